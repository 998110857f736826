package dev.nexus.host.mcp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.config.ConfigException;
import dev.nexus.host.testing.TestHost;
import org.junit.jupiter.api.Test;

/**
 * Bad {@code mcp} sections stop start-up with every problem named. H2 only: start-up stops at the
 * configuration check and nothing is stored (docs/testing.md, "Both databases").
 */
class McpConfigTest {

    @Test
    void start_withBadMcpServers_listsEveryProblem() {
        assertThatThrownBy(() -> TestHost.builder()
                        .yaml("mcp:\n  servers:\n    both: {command: [node, s.js], url: 'http://127.0.0.1:1/mcp'}\n"
                                + "    neither: {timeout-millis: 5}\n    ftp: {url: 'ftp://example.org'}\n"
                                + "    risky: {command: [x], risk: {t: EXTREME}}")
                        .start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "mcp.servers.both: set exactly one of command (a stdio server) and url (Streamable HTTP)")
                .hasMessageContaining("mcp.servers.neither.timeout-millis must be within [100, 600000], got 5")
                .hasMessageContaining("mcp.servers.ftp.url must be an http(s) URL, got 'ftp://example.org'")
                .hasMessageContaining("mcp.servers.risky.risk.t must be LOW, MEDIUM or HIGH, got 'EXTREME'")
                .hasMessageNotContaining("dev.nexus");
    }
}
