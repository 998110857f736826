package dev.nexus.host.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Nexus as an MCP server, driven by the official MCP Java SDK's Streamable HTTP client. */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class McpServerHostTest {

    /** The backend this invocation runs on (also handed to {@code start}). */
    @Parameter
    Database.Kind database;

    static TestHost host;

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
        host = TestHost.builder()
                .database(database)
                .yaml("personalities: {directory: '"
                        + Path.of("..", "personalities").toAbsolutePath().normalize() + "'}")
                .start();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
    }

    private static McpSyncClient client(String key) {
        return client(key, Duration.ofSeconds(30));
    }

    private static McpSyncClient client(String key, Duration timeout) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                        host.baseUrl().toString())
                .endpoint("/mcp")
                .httpRequestCustomizer(
                        (request, method, uri, body, context) -> request.header("Authorization", "Bearer " + key))
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .requestTimeout(timeout)
                .initializationTimeout(timeout)
                .clientInfo(new McpSchema.Implementation("test-client", "1"))
                .build();
        client.initialize();
        return client;
    }

    private static String secret(String name) {
        HttpResponse<String> created = host.http()
                .post("/v1/keys", "{\"name\":\"" + name + "\",\"scopes\":[\"user\"],\"user\":\"" + name + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) TestHttp.json(created).get("secret");
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @Test
    @SuppressWarnings("unchecked")
    void sdkClient_listsAndCallsNexusTools_andGetsPersonalitiesAsPrompts() {
        try (McpSyncClient client = client(secret("mcp-user"))) {
            assertThat(client.getServerInfo().name()).isEqualTo("nexus");
            List<McpSchema.Tool> tools = client.listTools().tools();
            assertThat(tools).extracting(McpSchema.Tool::name).containsExactly("chat", "memory_search");
            Map<String, Object> personality =
                    (Map<String, Object>) tools.get(0).inputSchema().get("properties");
            assertThat((List<String>) ((Map<String, Object>) personality.get("personality")).get("enum"))
                    .contains("zen-engineer");

            McpSchema.CallToolResult reply = client.callTool(new McpSchema.CallToolRequest(
                    "chat", Map.of("personality", "zen-engineer", "message", "I am allergic to peanuts.")));
            assertThat(reply.isError()).isFalse();
            assertThat(text(reply)).isNotBlank();
            Map<String, Object> structured = (Map<String, Object>) reply.structuredContent();
            String conversation = (String) structured.get("conversation");
            McpSchema.CallToolResult next = client.callTool(new McpSchema.CallToolRequest(
                    "chat",
                    Map.of(
                            "personality",
                            "zen-engineer",
                            "message",
                            "What should I cook?",
                            "conversation",
                            conversation)));
            assertThat(((Map<String, Object>) next.structuredContent()).get("conversation"))
                    .isEqualTo(conversation);
            assertThat((List<?>) TestHttp.json(host.http().get("/v1/conversations/" + conversation + "/messages"))
                            .get("messages"))
                    .hasSize(5); // the greeting, then two turns

            // Facts are extracted after the turn, in the background.
            assertThat(search(client, "peanuts")).containsIgnoringCase("peanuts");

            McpSchema.CallToolResult unknown = client.callTool(
                    new McpSchema.CallToolRequest("chat", Map.of("personality", "nobody", "message", "hi")));
            assertThat(unknown.isError()).isTrue();
            assertThat(text(unknown)).contains("unknown personality 'nobody'");

            List<McpSchema.Prompt> prompts = client.listPrompts().prompts();
            assertThat(prompts).extracting(McpSchema.Prompt::name).contains("zen-engineer", "wry-historian");
            McpSchema.GetPromptResult prompt =
                    client.getPrompt(new McpSchema.GetPromptRequest("zen-engineer", Map.of("user", "Ada")));
            assertThat(((McpSchema.TextContent) prompt.messages().get(0).content()).text())
                    .isNotBlank();
        }
    }

    @Test
    void eachKeyIsItsOwnPrincipal_aStrangerCannotContinueOrSearchAnothersMemory() {
        String alice = secret("alice-mcp");
        String bob = secret("bob-mcp");
        String conversation;
        try (McpSyncClient client = client(alice)) {
            McpSchema.CallToolResult reply = client.callTool(new McpSchema.CallToolRequest(
                    "chat", Map.of("personality", "zen-engineer", "message", "My locker code is 4711.")));
            @SuppressWarnings("unchecked")
            Map<String, Object> structured = (Map<String, Object>) reply.structuredContent();
            conversation = (String) structured.get("conversation");
            assertThat(search(client, "locker code")).contains("4711");
        }
        try (McpSyncClient client = client(bob)) {
            McpSchema.CallToolResult hijack = client.callTool(new McpSchema.CallToolRequest(
                    "chat",
                    Map.of(
                            "personality",
                            "zen-engineer",
                            "message",
                            "What is my code?",
                            "conversation",
                            conversation)));
            assertThat(hijack.isError()).isTrue();
            assertThat(text(hijack)).contains("unknown conversation"); // as if it did not exist (issue 11)
            McpSchema.CallToolResult search =
                    client.callTool(new McpSchema.CallToolRequest("memory_search", Map.of("query", "locker code")));
            assertThat(text(search)).doesNotContain("4711");
        }
    }

    /** Searches memory until something matches (extraction runs after the turn) or 30 seconds pass. */
    private static String search(McpSyncClient client, String query) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String found;
        do {
            McpSchema.CallToolResult result =
                    client.callTool(new McpSchema.CallToolRequest("memory_search", Map.of("query", query)));
            assertThat(result.isError()).isFalse();
            found = text(result);
            if (!found.startsWith("Nothing remembered")) {
                return found;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
        } while (System.nanoTime() < deadline);
        return found;
    }

    @Test
    void withoutAKey_theMcpEndpointIsRefused_andGetOffersNoStream() {
        assertThatThrownBy(() -> client("not-a-key", Duration.ofSeconds(3))).isInstanceOf(RuntimeException.class);
        HttpResponse<String> get = host.http()
                .send(host.http()
                        .request("/mcp")
                        .header("Accept", "text/event-stream")
                        .GET());
        assertThat(get.statusCode()).isEqualTo(405);
        HttpResponse<String> foreign = host.http()
                .send(host.http()
                        .request("/mcp")
                        .header("Content-Type", "application/json")
                        .header("Origin", "http://evil.example")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")));
        assertThat(foreign.statusCode()).isEqualTo(403);
        HttpResponse<String> garbage = host.http().post("/mcp", "{not json");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("-32700");
    }
}
