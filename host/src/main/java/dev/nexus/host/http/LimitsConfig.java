package dev.nexus.host.http;

import dev.nexus.host.auth.Scope;
import java.util.Set;

/**
 * The {@code limits} configuration section: per-key request rates and concurrent streams, by scope.
 * Limits are kept in the memory of each host: behind a load balancer with several hosts, a key gets
 * each host's allowance. Immutable.
 *
 * <pre>{@code
 * limits:
 *   enabled: true
 *   user:     {requests-per-minute: 600,  burst: 120,  streams: 4}
 *   approver: {requests-per-minute: 600,  burst: 120,  streams: 4}
 *   admin:    {requests-per-minute: 6000, burst: 1200, streams: 16}
 * }</pre>
 *
 * @param enabled false turns every per-key limit off (default true)
 * @param user the limits of keys with the {@code user} scope
 * @param approver the limits of keys with the {@code approver} scope
 * @param admin the limits of keys with the {@code admin} scope
 */
public record LimitsConfig(Boolean enabled, ScopeLimits user, ScopeLimits approver, ScopeLimits admin) {

    /** The defaults of {@code user} keys. */
    public static final ScopeLimits USER_DEFAULTS = new ScopeLimits(600, 120, 4);
    /** The defaults of {@code approver} keys. */
    public static final ScopeLimits APPROVER_DEFAULTS = new ScopeLimits(600, 120, 4);
    /** The defaults of {@code admin} keys. */
    public static final ScopeLimits ADMIN_DEFAULTS = new ScopeLimits(6000, 1200, 16);

    /** States the defaults (per scope, per key) and validates. */
    public LimitsConfig {
        enabled = enabled == null || enabled;
        user = ScopeLimits.complete(user, USER_DEFAULTS);
        approver = ScopeLimits.complete(approver, APPROVER_DEFAULTS);
        admin = ScopeLimits.complete(admin, ADMIN_DEFAULTS);
    }

    /** The defaults: limits on. */
    public static LimitsConfig defaults() {
        return new LimitsConfig(null, null, null, null);
    }

    /**
     * Returns the limits of a key holding {@code scopes}: an admin key's are the admin limits; a key with
     * both other scopes gets the more generous value of each.
     */
    ScopeLimits of(Set<Scope> scopes) {
        if (scopes.contains(Scope.ADMIN)) {
            return admin;
        }
        ScopeLimits result = null;
        for (Scope scope : scopes) {
            ScopeLimits limits = scope == Scope.APPROVER ? approver : user;
            result = result == null ? limits : result.max(limits);
        }
        return result == null ? user : result;
    }

    /**
     * The limits of one scope. A key's requests refill a bucket of {@code burst} tokens at
     * {@code requestsPerMinute}; each request takes one token, and with none left it is answered 429.
     * Values left out of the configuration are {@code null} while bound and take the scope's defaults.
     *
     * @param requestsPerMinute the sustained request rate of one key, 1-1000000
     * @param burst how many requests one key may send at once (the bucket's size), 1-1000000
     * @param streams how many event streams (SSE, streamed chat) one key may hold open at once, 1-10000
     */
    public record ScopeLimits(Integer requestsPerMinute, Integer burst, Integer streams) {

        /** Validates the values that are present. */
        public ScopeLimits {
            check("requests-per-minute", requestsPerMinute, 1_000_000);
            check("burst", burst, 1_000_000);
            check("streams", streams, 10_000);
        }

        static ScopeLimits complete(ScopeLimits given, ScopeLimits defaults) {
            if (given == null) {
                return defaults;
            }
            return new ScopeLimits(
                    given.requestsPerMinute == null ? defaults.requestsPerMinute : given.requestsPerMinute,
                    given.burst == null ? defaults.burst : given.burst,
                    given.streams == null ? defaults.streams : given.streams);
        }

        ScopeLimits max(ScopeLimits other) {
            return new ScopeLimits(
                    Math.max(requestsPerMinute, other.requestsPerMinute),
                    Math.max(burst, other.burst),
                    Math.max(streams, other.streams));
        }

        private static void check(String key, Integer value, int max) {
            if (value != null && (value < 1 || value > max)) {
                throw new IllegalArgumentException(key + " must be between 1 and " + max + ", got " + value
                        + "; to switch limits off set limits.enabled: false");
            }
        }
    }
}
