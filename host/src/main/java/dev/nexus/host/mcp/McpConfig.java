package dev.nexus.host.mcp;

import dev.nexus.api.tool.RiskLevel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code mcp} configuration section: the MCP servers whose tools Nexus offers to the model, and
 * the MCP server Nexus itself runs at {@code /mcp}. Immutable; every default is stated here.
 *
 * <pre>
 * mcp:
 *   servers:
 *     files:                                   # the server's name (tools show as source mcp:files)
 *       command: [node, /opt/mcp/files.js]      # a stdio server, started by Nexus, or:
 *       url: http://127.0.0.1:3001/mcp          # a Streamable HTTP server (bearer token: NEXUS_MCP_FILES_TOKEN)
 *       env: {ROOT: /srv/share}                 # extra environment of a stdio server
 *       risk: {read_file: LOW, write_file: HIGH}  # per tool; unlisted tools are HIGH (need approval)
 *       timeout-millis: 15000                   # connecting and each request
 *   server-enabled: true                        # serve /mcp
 * </pre>
 *
 * @param servers the MCP servers to connect to, by name
 * @param serverEnabled whether Nexus serves MCP at {@code /mcp} (default true)
 */
public record McpConfig(Map<String, Server> servers, Boolean serverEnabled) {

    /**
     * One MCP server. Exactly one of {@code command} and {@code url}.
     *
     * @param command the program and its arguments of a stdio server
     * @param url the endpoint of a Streamable HTTP server
     * @param env extra environment variables of a stdio server
     * @param risk the risk level of each tool by name; tools not listed are {@code HIGH}
     * @param timeoutMillis how long connecting and each request may take (default 15000)
     */
    public record Server(
            List<String> command,
            String url,
            Map<String, String> env,
            Map<String, String> risk,
            Integer timeoutMillis) {

        /** States the defaults. */
        public Server {
            command = command == null ? List.of() : List.copyOf(command);
            url = url == null ? "" : url.strip();
            env = env == null ? Map.of() : Map.copyOf(env);
            risk = risk == null ? Map.of() : Map.copyOf(risk);
            timeoutMillis = timeoutMillis == null ? 15_000 : timeoutMillis;
        }

        /** Returns the risk level the admin set for {@code tool}; {@code HIGH} when not listed. */
        public RiskLevel riskOf(String tool) {
            String level = risk.get(tool);
            return level == null
                    ? RiskLevel.HIGH
                    : RiskLevel.valueOf(level.strip().toUpperCase(java.util.Locale.ROOT));
        }

        /** Returns true for a stdio server. */
        public boolean stdio() {
            return !command.isEmpty();
        }
    }

    /** States the defaults and reports every problem at once. */
    public McpConfig {
        servers = servers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(servers));
        serverEnabled = serverEnabled == null || serverEnabled;
        List<String> problems = new ArrayList<>();
        servers.forEach((name, server) -> {
            if (!name.matches("[a-z0-9][a-z0-9-]{0,39}")) {
                problems.add("mcp.servers." + name + ": a server name is 1-40 lower-case letters, digits and '-'");
            }
            if (server == null) {
                problems.add("mcp.servers." + name + ": needs command or url");
                return;
            }
            if (server.stdio() == !server.url().isEmpty()) {
                problems.add("mcp.servers." + name
                        + ": set exactly one of command (a stdio server) and url (Streamable HTTP)");
            }
            if (!server.url().isEmpty() && !server.url().matches("https?://.+")) {
                problems.add("mcp.servers." + name + ".url must be an http(s) URL, got '" + server.url() + "'");
            }
            server.risk().forEach((tool, level) -> {
                if (level == null
                        || !List.of("LOW", "MEDIUM", "HIGH")
                                .contains(level.strip().toUpperCase(java.util.Locale.ROOT))) {
                    problems.add("mcp.servers." + name + ".risk." + tool + " must be LOW, MEDIUM or HIGH, got '" + level
                            + "'");
                }
            });
            if (server.timeoutMillis() < 100 || server.timeoutMillis() > 600_000) {
                problems.add("mcp.servers." + name + ".timeout-millis must be within [100, 600000], got "
                        + server.timeoutMillis());
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }
}
