package dev.nexus.host.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.nexus.host.AccessDeniedException;
import dev.nexus.host.Ids;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.db.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys: creation (the secret is shown once), listing, revocation and authentication. Secrets
 * look like {@code nxk_<43 url-safe base64 chars>}; only their SHA-256 is stored.
 *
 * <p>Authentication answers from a short-lived cache (5 s) of hash lookups so a busy chat endpoint
 * does not query the database per request; revocation through this instance invalidates the cache
 * at once. Other hosts sharing the database drop their cached lookups when told ({@link
 * #changedElsewhere}, the cluster's notice); a host that missed the notice refuses the key once its
 * cached lookup expires, 5 seconds on this instance's clock (the system's monotonic time when that
 * clock is the system clock, so a wall-clock step cannot stretch it). Thread-safe.
 */
public final class ApiKeys {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    private static final String PREFIX = "nxk_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final KeyRepository repository;
    private final Clock clock;
    private final Cache<String, Optional<Caller>> byHash;
    private final ConcurrentHashMap<String, Instant> lastTouched = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong revocations = new java.util.concurrent.atomic.AtomicLong();

    /** A newly created key with its secret, which is never shown again. */
    public record Created(ApiKey key, String secret) {}

    public ApiKeys(Database database, Clock clock) {
        this.repository = new KeyRepository(database);
        this.clock = clock;
        this.byHash = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofSeconds(5))
                .maximumSize(10_000)
                .ticker(ticker(clock))
                .build();
    }

    /**
     * The key cache's time: the JVM's monotonic ticker under the system clock, else {@code clock} itself,
     * so a host on a clock a test moves by hand keeps its cached lookups until the test moves it.
     */
    private static Ticker ticker(Clock clock) {
        return clock.equals(Clock.system(clock.getZone()))
                ? Ticker.systemTicker()
                : () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }

    /**
     * Makes sure an admin key exists. When {@code configured} is present (from {@code NEXUS_ADMIN_KEY})
     * it is registered if unknown; otherwise, if no active admin key exists, one is generated.
     *
     * @return the secret of a key created now (to print once), or empty when none was created
     */
    public Optional<String> bootstrap(Optional<String> configured) {
        if (configured.isPresent()) {
            String secret = configured.get();
            if (secret.length() < 16) {
                throw new InvalidInputException(
                        "NEXUS_ADMIN_KEY must be at least 16 characters; generate one with: openssl rand -base64 32");
            }
            if (repository.findActiveByHash(hash(secret)).isPresent()) {
                return Optional.empty();
            }
            try {
                store(
                        "bootstrap admin (NEXUS_ADMIN_KEY)",
                        EnumSet.allOf(Scope.class),
                        Optional.empty(),
                        secret,
                        Optional.empty());
                LOG.info("registered the admin key from NEXUS_ADMIN_KEY");
            } catch (RuntimeException e) {
                if (!Database.isUniqueViolation(e)) {
                    throw e;
                }
                // Another host on the same database registered it a moment ago, or it was revoked.
                if (repository.findActiveByHash(hash(secret)).isEmpty()) {
                    LOG.warn("the key in NEXUS_ADMIN_KEY was revoked, so it is not registered again and does not work; "
                            + "set NEXUS_ADMIN_KEY to a new key (openssl rand -base64 32) and restart");
                }
            }
            return Optional.empty();
        }
        if (repository.anyActiveAdmin()) {
            return Optional.empty();
        }
        String secret = newSecret();
        store("bootstrap admin", EnumSet.allOf(Scope.class), Optional.empty(), secret, Optional.empty());
        return Optional.of(secret);
    }

    /** Creates a key bound to no user (admin or approver keys); {@code creator} is the admin creating it. */
    public Created create(String name, Set<Scope> scopes, Caller creator) {
        return create(name, scopes, Optional.empty(), creator);
    }

    /**
     * Creates a key; {@code creator} is the admin creating it. A key with the {@code user} scope (and
     * not {@code admin}) must be bound to the user it acts for.
     *
     * @throws InvalidInputException naming the field when the name, scopes or user are invalid
     */
    public Created create(String name, Set<Scope> scopes, Optional<String> user, Caller creator) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidInputException("field 'name' must be 1-200 characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(
                    "field 'name' must not contain control characters (line breaks, tabs, NUL); "
                            + "use a single line of printable text");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new InvalidInputException("field 'scopes' needs at least one scope: admin, approver or user");
        }
        Optional<String> bound = user.map(String::strip);
        if (bound.isPresent()) {
            Principals.requireValid("user", bound.get());
        } else if (scopes.contains(Scope.USER) && !scopes.contains(Scope.ADMIN)) {
            throw new InvalidInputException(
                    "field 'user' is required for a key with the 'user' scope: the id of the "
                            + "person the key acts for, e.g. {\"name\": \"alice's phone\", \"scopes\": [\"user\"], \"user\": \"alice\"}");
        }
        String secret = newSecret();
        ApiKey key = store(name.strip(), scopes, bound, secret, Optional.of(creator.keyId()));
        changes.run(); // another host may have cached this secret as unknown
        return new Created(key, secret);
    }

    /** Returns the key {@code id}, revoked or not. */
    public Optional<ApiKey> find(String id) {
        return repository.find(id);
    }

    /** Lists all keys, revoked ones included, without secrets. */
    public List<ApiKey> list() {
        return repository.list();
    }

    /**
     * Revokes a key immediately.
     *
     * @throws NotFoundException if no such key exists or it is already revoked
     */
    public void revoke(String id) {
        if (!repository.revoke(id, clock.instant())) {
            throw repository.find(id).isPresent()
                    ? NotFoundException.of("active API key", id)
                    : NotFoundException.of("API key", id);
        }
        revocations.incrementAndGet();
        byHash.invalidateAll();
        changes.run();
    }

    private volatile Runnable changes = () -> {};

    /** Tells {@code listener} whenever this host revoked or created keys (so other hosts drop their cached lookups). */
    public void onChange(Runnable listener) {
        this.changes = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Drops every cached key lookup, after another host created or revoked keys. */
    public void changedElsewhere() {
        revocations.incrementAndGet();
        byHash.invalidateAll();
    }

    /** Returns the keys bound to {@code user}, revoked ones included, without secrets. */
    public List<ApiKey> boundTo(String user) {
        return repository.list().stream()
                .filter(key -> key.user().filter(user::equals).isPresent())
                .toList();
    }

    /** Revokes every active key bound to {@code user} (a person's erasure); returns how many. */
    public int revokeAllOf(String user) {
        int revoked = 0;
        for (ApiKey key : boundTo(user)) {
            if (key.revokedAt().isEmpty() && repository.revoke(key.id(), clock.instant())) {
                revoked++;
            }
        }
        byHash.invalidateAll();
        changes.run();
        return revoked;
    }

    /**
     * Returns the caller for a bearer secret.
     *
     * @throws AccessDeniedException (401) if the secret is unknown or revoked
     */
    public Caller authenticate(String secret) {
        String hash = hash(secret);
        // Looked up outside the cache's lock: Cache.get(key, loader) would make every request with the
        // same key wait behind one lookup, and during a database outage load again one after another.
        // Two concurrent misses query twice; that costs less than a queue.
        Optional<Caller> caller = byHash.getIfPresent(hash);
        if (caller == null) {
            long generation = revocations.get();
            caller = repository
                    .findActiveByHash(hash)
                    .map(key -> new Caller(key.id(), key.name(), key.scopes(), key.user()));
            if (revocations.get() == generation) { // a revocation meanwhile: do not cache what it may have revoked
                byHash.put(hash, caller);
            }
        }
        Caller found = caller.orElseThrow(() -> AccessDeniedException.unauthenticated(
                "the API key is unknown or revoked; ask an admin for a key (POST /v1/keys)"));
        touch(found.keyId());
        return found;
    }

    private void touch(String keyId) {
        Instant now = clock.instant();
        Instant last = lastTouched.get(keyId);
        if (last == null || Duration.between(last, now).compareTo(TOUCH_INTERVAL) >= 0) {
            lastTouched.put(keyId, now);
            try {
                repository.touch(keyId, now);
            } catch (RuntimeException e) {
                // "last used" is bookkeeping: a database hiccup must not refuse a caller already known
                LOG.debug("could not record the use of key {}: {}", keyId, e.getMessage());
            }
        }
    }

    private ApiKey store(
            String name, Set<Scope> scopes, Optional<String> user, String secret, Optional<String> createdBy) {
        ApiKey key = new ApiKey(
                Ids.newId(clock),
                name,
                secret.substring(0, Math.min(8, secret.length())),
                scopes,
                clock.instant(),
                createdBy,
                Optional.empty(),
                Optional.empty(),
                user);
        repository.insert(key, hash(secret));
        return key;
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
