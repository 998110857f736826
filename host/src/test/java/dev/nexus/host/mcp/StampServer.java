package dev.nexus.host.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A tiny MCP server speaking stdio, built with the official MCP Java SDK, that the tests start as a
 * child JVM. Tools: {@code stamp} (appends its text to the file named by {@code STAMP_FILE}: a side
 * effect the tests can see) and {@code shout} (upper-cases its text).
 */
public final class StampServer {

    private StampServer() {}

    public static void main(String[] args) throws InterruptedException {
        Path file = Path.of(System.getenv("STAMP_FILE"));
        Map<String, Object> textSchema = Map.of(
                "type", "object", "properties", Map.of("text", Map.of("type", "string")), "required", List.of("text"));
        McpSchema.Tool stamp = McpSchema.Tool.builder("stamp", textSchema)
                .description("Stamps a text into the ledger")
                .build();
        McpSchema.Tool shout = McpSchema.Tool.builder("shout", textSchema)
                .description("Upper-cases a text")
                .build();
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper()))
                .serverInfo("stamp-server", "1.2.3")
                .capabilities(
                        McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(
                        new McpServerFeatures.SyncToolSpecification(stamp, (exchange, call) -> {
                            String text = String.valueOf(call.arguments().get("text"));
                            try {
                                Files.writeString(
                                        file, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            return McpSchema.CallToolResult.builder()
                                    .addTextContent("stamped: " + text)
                                    .isError(false)
                                    .build();
                        }),
                        new McpServerFeatures.SyncToolSpecification(
                                shout,
                                (exchange, call) -> McpSchema.CallToolResult.builder()
                                        .addTextContent(
                                                String.valueOf(call.arguments().get("text"))
                                                        .toUpperCase(java.util.Locale.ROOT))
                                        .isError(false)
                                        .build()))
                .build();
        new CountDownLatch(1).await(); // serve until the parent closes stdin and kills the process
        server.close();
    }
}
