package dev.nexus.plugin.httpfetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostAllowlistTest {

    private final HostAllowlist allowlist =
            HostAllowlist.of(List.of("docs.example.com", "*.nexus.dev", "203.0.113.7", "[2001:db8::1]"));

    @ParameterizedTest
    @CsvSource({
        "docs.example.com, true",
        "DOCS.Example.COM., true",
        "api.docs.example.com, false",
        "example.com, false",
        "api.nexus.dev, true",
        "a.b.nexus.dev, true",
        "nexus.dev, false",
        "evilnexus.dev, false",
        "nexus.dev.evil.com, false",
        "203.0.113.7, true",
        "203.0.113.70, false",
        "[2001:db8::1], true",
        "2001:db8::1, true",
    })
    void allows_matchesExactHostsAndSubdomainWildcards(String host, boolean allowed) {
        assertThat(allowlist.allows(host)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://example.com",
                "example.com:443",
                "example.com/path",
                "*",
                "*.",
                "exa mple.com",
                "",
                "-bad.com"
            })
    void of_refusesEntriesThatAreNotHosts(String entry) {
        assertThatThrownBy(() -> HostAllowlist.of(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("http-fetch config 'allowed-hosts' entry '" + entry + "' must be a host name");
    }
}
