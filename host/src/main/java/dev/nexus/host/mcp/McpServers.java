package dev.nexus.host.mcp;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolResult;
import dev.nexus.api.tool.ToolSpec;
import dev.nexus.host.json.Json;
import dev.nexus.host.plugins.PluginInfo;
import dev.nexus.host.tools.ExternalTool;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP servers an admin configured ({@code mcp.servers}): connects to each (starting stdio servers
 * as child processes), lists their tools and offers them to the tool executor like plugin tools, with
 * the admin's risk level per tool ({@code HIGH}, which needs approval, unless configured otherwise).
 * A server that fails to start or connect is isolated: it shows as {@code failed} in {@code /v1/plugins}
 * with the reason, and its tools are not offered; the host goes on. Thread-safe.
 *
 * <p>Limitation: tools are listed once, when the server connects; a server's later tool changes are
 * seen after a restart of Nexus.
 */
public final class McpServers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(McpServers.class);

    private final List<Connection> connections = new ArrayList<>();

    /**
     * Creates the connections (not yet connected).
     *
     * @param config the {@code mcp} section
     * @param tokens the bearer token of an HTTP server by name, from {@code NEXUS_MCP_<NAME>_TOKEN}
     */
    public McpServers(McpConfig config, Function<String, Optional<String>> tokens) {
        config.servers().forEach((name, server) -> connections.add(new Connection(name, server, tokens.apply(name))));
    }

    /** Connects to every server in the background; each one's tools are offered once it is connected. */
    public void start() {
        for (Connection connection : connections) {
            Thread.ofVirtual().name("nexus-mcp-" + connection.name).start(connection::connect);
        }
    }

    /** Returns the tools of every connected server. */
    public List<ExternalTool> tools() {
        List<ExternalTool> tools = new ArrayList<>();
        connections.forEach(connection -> tools.addAll(connection.tools()));
        return tools;
    }

    /** Returns each server's status for {@code GET /v1/plugins} (id {@code mcp:<name>}, kind {@code tool}). */
    public List<PluginInfo> status() {
        return connections.stream().map(Connection::status).toList();
    }

    @Override
    public void close() {
        connections.forEach(Connection::close);
    }

    /** One configured server. Thread-safe: the state is replaced as a whole. */
    private static final class Connection {

        private record State(
                String state,
                Optional<String> error,
                Optional<McpSyncClient> client,
                List<ExternalTool> tools,
                String serverVersion) {}

        private final String name;
        private final McpConfig.Server config;
        private final Optional<String> token;
        private volatile State state = new State("starting", Optional.empty(), Optional.empty(), List.of(), "");
        private volatile boolean closed;

        Connection(String name, McpConfig.Server config, Optional<String> token) {
            this.name = name;
            this.config = config;
            this.token = token;
        }

        void connect() {
            McpSyncClient client = null;
            try {
                Duration timeout = Duration.ofMillis(config.timeoutMillis());
                client = McpClient.sync(transport())
                        .requestTimeout(timeout)
                        .initializationTimeout(timeout)
                        .clientInfo(new McpSchema.Implementation("nexus", "1"))
                        .build();
                McpSchema.InitializeResult initialized = client.initialize();
                List<ExternalTool> tools = new ArrayList<>();
                for (McpSchema.Tool tool : client.listTools().tools()) {
                    toolOf(client, tool).ifPresent(tools::add);
                }
                synchronized (this) {
                    if (closed) {
                        client.close();
                        return;
                    }
                    state = new State(
                            "started",
                            Optional.empty(),
                            Optional.of(client),
                            List.copyOf(tools),
                            initialized.serverInfo() == null
                                    ? ""
                                    : initialized.serverInfo().version());
                }
                LOG.info("MCP server {} connected: {} tools", name, tools.size());
            } catch (RuntimeException e) {
                if (client != null) {
                    closeQuietly(client);
                }
                String reason = "connecting failed: " + describe(e);
                LOG.warn("MCP server {}: {}", name, reason);
                state = new State("failed", Optional.of(reason), Optional.empty(), List.of(), "");
            }
        }

        private McpClientTransport transport() {
            if (config.stdio()) {
                ServerParameters.Builder parameters = ServerParameters.builder(
                                config.command().get(0))
                        .args(config.command().subList(1, config.command().size()));
                if (!config.env().isEmpty()) {
                    parameters.env(config.env());
                }
                StdioClientTransport stdio = new StdioClientTransport(parameters.build(), McpJsonDefaults.getMapper());
                stdio.setStdErrorHandler(line -> LOG.debug("MCP server {} stderr: {}", name, line));
                return stdio;
            }
            URI uri = URI.create(config.url());
            String base = uri.getScheme() + "://" + uri.getRawAuthority();
            String endpoint = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            HttpClientStreamableHttpTransport.Builder http = HttpClientStreamableHttpTransport.builder(base)
                    .endpoint(endpoint)
                    .connectTimeout(Duration.ofMillis(config.timeoutMillis()));
            token.ifPresent(secret -> http.httpRequestCustomizer(
                    (request, method, target, body, context) -> request.header("Authorization", "Bearer " + secret)));
            return http.build();
        }

        private Optional<ExternalTool> toolOf(McpSyncClient client, McpSchema.Tool tool) {
            RiskLevel risk = config.riskOf(tool.name());
            Map<String, Object> schema = tool.inputSchema() == null ? Map.of("type", "object") : tool.inputSchema();
            String description =
                    tool.description() == null || tool.description().isBlank() ? tool.name() : tool.description();
            try {
                ToolSpec spec = new ToolSpec(tool.name(), description, Json.write(schema), risk);
                return Optional.of(new ExternalTool(
                        "mcp:" + name,
                        spec,
                        call -> result(client.callTool(new McpSchema.CallToolRequest(tool.name(), call.arguments())))));
            } catch (IllegalArgumentException invalid) {
                LOG.warn("MCP server {}: tool '{}' is not offered: {}", name, tool.name(), invalid.getMessage());
                return Optional.empty();
            }
        }

        private static ToolResult result(McpSchema.CallToolResult result) {
            StringBuilder text = new StringBuilder();
            for (McpSchema.Content content :
                    result.content() == null ? List.<McpSchema.Content>of() : result.content()) {
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(content instanceof McpSchema.TextContent t ? t.text() : "[" + content.type() + " content]");
            }
            if (text.isEmpty() && result.structuredContent() != null) {
                text.append(Json.write(result.structuredContent()));
            }
            return Boolean.TRUE.equals(result.isError())
                    ? new ToolResult.Failure(text.toString(), false)
                    : new ToolResult.Success(text.toString(), "text/plain");
        }

        List<ExternalTool> tools() {
            return state.tools();
        }

        PluginInfo status() {
            State now = state;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("mcp", true);
            details.put("transport", config.stdio() ? "stdio" : "streamable-http");
            List<Map<String, Object>> tools = now.tools().stream()
                    .map(tool -> Map.<String, Object>of(
                            "name",
                            tool.spec().name(),
                            "risk",
                            tool.spec().risk().name()))
                    .toList();
            details.put("tools", tools);
            String source = config.stdio() ? String.join(" ", config.command()) : config.url();
            return new PluginInfo(
                    "mcp:" + name, now.serverVersion(), now.state(), List.of("tool"), now.error(), source, details);
        }

        synchronized void close() {
            closed = true;
            state.client().ifPresent(Connection::closeQuietly);
            state = new State("stopped", Optional.empty(), Optional.empty(), List.of(), "");
        }

        private static void closeQuietly(McpSyncClient client) {
            try {
                client.closeGracefully();
            } catch (RuntimeException e) {
                LOG.debug("closing an MCP client", e);
            }
        }

        private static String describe(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            return message.length() > 300 ? message.substring(0, 300) + "…" : message;
        }
    }
}
