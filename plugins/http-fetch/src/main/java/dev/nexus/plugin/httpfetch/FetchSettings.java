package dev.nexus.plugin.httpfetch;

import dev.nexus.api.PluginConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code http-fetch} configuration section ({@code plugins.config.http-fetch}), with its defaults.
 * Immutable.
 *
 * @param hosts the hosts calls may reach ({@code allowed-hosts}; empty by default, so nothing is
 *     reachable until an operator lists hosts)
 * @param schemes the URL schemes allowed ({@code schemes}, default {@code [https]}; only {@code http}
 *     and {@code https} can be enabled)
 * @param allowPrivateAddresses whether allowlisted host names may resolve to loopback, private or
 *     link-local addresses ({@code allow-private-addresses}, default false); IP literals listed
 *     exactly in {@code allowed-hosts} are always reachable, since listing them is explicit
 * @param maxResponseBytes how many body bytes are read at most; longer bodies are cut
 *     ({@code max-response-bytes}, default 262144, 1 to 16777216)
 * @param timeout the limit for the whole call, redirects included ({@code timeout-ms}, default 10000,
 *     100 to 120000)
 * @param maxRedirects how many redirects are followed, each checked like the first URL
 *     ({@code max-redirects}, default 3, 0 to 10)
 */
record FetchSettings(
        HostAllowlist hosts,
        Set<String> schemes,
        boolean allowPrivateAddresses,
        int maxResponseBytes,
        Duration timeout,
        int maxRedirects) {

    /**
     * Reads the section.
     *
     * @throws IllegalArgumentException naming the key, the value and what is expected
     */
    static FetchSettings from(PluginConfig config) {
        List<String> schemes = config.strings("schemes").stream()
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .toList();
        if (schemes.isEmpty()) {
            schemes = List.of("https");
        }
        for (String scheme : schemes) {
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException(
                        "http-fetch config 'schemes' may contain only http and https, got '" + scheme + "'");
            }
        }
        return new FetchSettings(
                HostAllowlist.of(config.strings("allowed-hosts")),
                Set.copyOf(schemes),
                config.flag("allow-private-addresses", false),
                (int) bounded(config, "max-response-bytes", 262_144, 1, 16 * 1024 * 1024),
                Duration.ofMillis(bounded(config, "timeout-ms", 10_000, 100, 120_000)),
                (int) bounded(config, "max-redirects", 3, 0, 10));
    }

    private static long bounded(PluginConfig config, String key, long fallback, long min, long max) {
        long value = config.integer(key, fallback);
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    "http-fetch config '" + key + "' must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }
}
