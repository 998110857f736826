package dev.nexus.plugin.webhook;

import dev.nexus.api.ConfigReader;
import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.RateLimit;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The webhook connector's configuration ({@code plugins.config.webhook}) and secrets, with defaults.
 * Immutable.
 *
 * <p>Secrets ({@code NEXUS_SECRET_WEBHOOK_<NAME>}): {@code signing-key} signs and verifies both
 * directions (at least 32 characters; without it the connector runs but refuses inbound requests with
 * 503 and fails every delivery); {@code previous-signing-key} is also accepted on inbound requests
 * while senders move to a new key.
 *
 * @param keys the verification keys, the signing key first; empty when not configured
 * @param callbackUrl where replies go by default ({@code callback-url}); empty means only per-message
 *     callback URLs are used
 * @param callbackHosts hosts a message's own {@code callbackUrl} may point at ({@code callback-hosts};
 *     empty by default, which refuses per-message callback URLs)
 * @param tolerance how far a request's timestamp may be from the clock ({@code tolerance-seconds},
 *     default 300, 1 to 3600); also how long message ids are remembered against replays
 * @param maxBodyBytes the largest inbound body accepted ({@code max-body-bytes}, default 65536)
 * @param maxTextChars the longest message text accepted ({@code max-text-chars}, default 16000)
 * @param replayCapacity read from {@code replay-cache-size} (default 100000) but no longer used: the replay
 *     memory is the plugin store ({@link ReplayGuard}), whose limit is the store's; kept so existing files load
 * @param connectTimeout the callback connect timeout ({@code connect-timeout-ms}, default 5000)
 * @param requestTimeout the time a callback has to answer ({@code request-timeout-ms}, default 10000)
 * @param rateLimit how many replies per second the host may send ({@code rate-limit-per-second}, default 10)
 * @param retryBase the first retry delay after a transient failure ({@code retry-base-seconds}, default
 *     2), doubled per attempt
 * @param retryMax the longest retry delay, also the cap on a callback's {@code Retry-After}
 *     ({@code retry-max-seconds}, default 300)
 */
record WebhookSettings(
        List<byte[]> keys,
        Optional<URI> callbackUrl,
        HostPatterns callbackHosts,
        Duration tolerance,
        int maxBodyBytes,
        int maxTextChars,
        int replayCapacity,
        Duration connectTimeout,
        Duration requestTimeout,
        RateLimit rateLimit,
        Duration retryBase,
        Duration retryMax) {

    /** The smallest signing key accepted, in bytes. */
    static final int MIN_KEY_BYTES = 32;

    /** The rate limit announced before the connector is started. */
    static final RateLimit DEFAULT_RATE_LIMIT = RateLimit.perSecond(10);

    /**
     * Reads configuration and secrets.
     *
     * @throws IllegalArgumentException naming every key that is wrong, its value (never a secret) and the fix
     */
    static WebhookSettings from(PluginContext context) {
        ConfigReader read = new ConfigReader("webhook", context.config());
        List<byte[]> keys = new ArrayList<>();
        key(context, read, "signing-key").ifPresent(keys::add);
        key(context, read, "previous-signing-key").ifPresent(key -> {
            if (keys.isEmpty()) {
                read.problem("webhook secret 'previous-signing-key' is set but 'signing-key' is not;"
                        + " set NEXUS_SECRET_WEBHOOK_SIGNING_KEY to the current key");
            }
            keys.add(key);
        });
        Optional<URI> callbackUrl = Optional.empty();
        Optional<String> callback = read.config().string("callback-url");
        if (callback.isPresent()) {
            try {
                callbackUrl = Optional.of(url(callback.get(), "webhook config 'callback-url'"));
            } catch (IllegalArgumentException e) {
                read.problem(String.valueOf(e.getMessage()));
            }
        }
        HostPatterns callbackHosts = HostPatterns.of("callback-hosts", List.of());
        try {
            callbackHosts = HostPatterns.of("callback-hosts", read.config().strings("callback-hosts"));
        } catch (IllegalArgumentException e) {
            read.problem(String.valueOf(e.getMessage()));
        }
        Duration tolerance = Duration.ofSeconds(read.integer("tolerance-seconds", 300, 1, 3600));
        int maxBodyBytes = (int) read.integer("max-body-bytes", 65_536, 256, 16 * 1024 * 1024);
        int maxTextChars = (int) read.integer("max-text-chars", 16_000, 1, 1_000_000);
        int replayCapacity = (int) read.integer("replay-cache-size", 100_000, 100, 10_000_000);
        Duration connectTimeout = Duration.ofMillis(read.integer("connect-timeout-ms", 5_000, 100, 120_000));
        Duration requestTimeout = Duration.ofMillis(read.integer("request-timeout-ms", 10_000, 100, 300_000));
        RateLimit rateLimit = RateLimit.perSecond((int) read.integer("rate-limit-per-second", 10, 1, 10_000));
        Duration retryBase = Duration.ofSeconds(read.integer("retry-base-seconds", 2, 1, 3600));
        Duration retryMax = Duration.ofSeconds(read.integer("retry-max-seconds", 300, 1, 86_400));
        read.check();
        return new WebhookSettings(
                List.copyOf(keys),
                callbackUrl,
                callbackHosts,
                tolerance,
                maxBodyBytes,
                maxTextChars,
                replayCapacity,
                connectTimeout,
                requestTimeout,
                rateLimit,
                retryBase,
                retryMax);
    }

    /** Returns true when a signing key is configured. */
    boolean signing() {
        return !keys.isEmpty();
    }

    /** Returns the key outbound requests are signed with; call only when {@link #signing()}. */
    byte[] signingKey() {
        return keys.get(0);
    }

    /**
     * Parses an absolute http(s) URL with a host.
     *
     * @throws IllegalArgumentException naming {@code what}
     */
    static URI url(String text, String what) {
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https"))
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(what
                        + " must be an absolute http(s) URL with a host and no user info, got '" + cap(text) + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a valid URL: '" + cap(text) + "'", e);
        }
    }

    static String cap(String text) {
        return ConfigReader.echo(text);
    }

    private static Optional<byte[]> key(PluginContext context, ConfigReader read, String name) {
        return context.secret(name).filter(value -> !value.isBlank()).flatMap(value -> {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_KEY_BYTES) {
                read.problem("webhook secret '" + name + "' is " + bytes.length + " bytes long; use at least "
                        + MIN_KEY_BYTES + " random bytes, e.g. the output of: openssl rand -hex 32");
                return Optional.empty();
            }
            return Optional.of(bytes);
        });
    }
}
