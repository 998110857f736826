package dev.nexus.plugin.httpfetch;

import dev.nexus.api.ConfigReader;
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
     * @throws IllegalArgumentException naming every key that is wrong, its value and what is expected
     */
    static FetchSettings from(PluginConfig config) {
        ConfigReader read = new ConfigReader("http-fetch", config);
        List<String> schemes = config.strings("schemes").stream()
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .toList();
        if (schemes.isEmpty()) {
            schemes = List.of("https");
        }
        for (String scheme : schemes) {
            if (!scheme.equals("http") && !scheme.equals("https")) {
                read.problem("schemes", "may contain only http and https, got '" + scheme + "'");
            }
        }
        HostAllowlist hosts = HostAllowlist.of(List.of());
        try {
            hosts = HostAllowlist.of(config.strings("allowed-hosts"));
        } catch (IllegalArgumentException e) {
            read.problem(String.valueOf(e.getMessage()));
        }
        boolean allowPrivate = read.flag("allow-private-addresses", false);
        int maxResponseBytes = (int) read.integer("max-response-bytes", 262_144, 1, 16 * 1024 * 1024);
        Duration timeout = Duration.ofMillis(read.integer("timeout-ms", 10_000, 100, 120_000));
        int maxRedirects = (int) read.integer("max-redirects", 3, 0, 10);
        read.check();
        return new FetchSettings(hosts, Set.copyOf(schemes), allowPrivate, maxResponseBytes, timeout, maxRedirects);
    }
}
