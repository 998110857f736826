package dev.nexus.host.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Streamable HTTP side of Nexus's MCP client, against a real MCP server over HTTP: a second Nexus
 * (its {@code /mcp}), reached with a bearer token from {@code NEXUS_MCP_<NAME>_TOKEN}.
 */
@SuppressWarnings("unchecked")
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class McpOverHttpTest {

    /** The backend this invocation runs on. */
    @Parameter
    Database.Kind database;

    private static final String PERSONALITIES =
            Path.of("..", "personalities").toAbsolutePath().normalize().toString();

    @Test
    void aNexusUsesAnotherNexusAsAnMcpServer_overStreamableHttp_withItsToken() throws Exception {
        try (TestHost server = TestHost.builder()
                        .database(database)
                        .yaml("personalities: {directory: '" + PERSONALITIES + "'}")
                        .start();
                FakeOpenAiServer fake = FakeOpenAiServer.start();
                TestHost client = TestHost.builder()
                        .database(database)
                        .yaml("personalities: {directory: '" + PERSONALITIES + "'}")
                        .yaml("mcp:\n  servers:\n    peer:\n      url: '" + server.baseUrl()
                                + "/mcp'\n      risk: {chat: LOW}")
                        .env("NEXUS_MCP_PEER_TOKEN", server.adminKey())
                        .env("NEXUS_LLM_BASE_URL", fake.baseUrl())
                        .env("NEXUS_LLM_API_KEY", "local")
                        .env("NEXUS_LLM_MODEL", "llama3.2")
                        .start()) {
            Map<String, Object> peer = awaitStarted(client);
            assertThat(peer.get("version")).isEqualTo("0.1.0");
            assertThat((List<Map<String, Object>>) ((Map<String, Object>) peer.get("details")).get("tools"))
                    .containsExactly(
                            Map.of("name", "chat", "risk", "LOW"), Map.of("name", "memory_search", "risk", "HIGH"));

            fake.enqueue(
                    new FakeOpenAiServer.ToolCall(
                            "chat", "{\"personality\":\"wry-historian\",\"message\":\"Who built Rome?\"}"),
                    FakeOpenAiServer.reply("My colleague answered."));
            HttpResponse<String> turn = client.http()
                    .post(
                            "/v1/chat",
                            "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"Ask the historian.\"}");

            assertThat(turn.statusCode()).as(turn.body()).isEqualTo(200);
            Map<String, Object> use = ((List<Map<String, Object>>)
                            ((Map<String, Object>) TestHttp.json(turn).get("metadata")).get("tools"))
                    .get(0);
            assertThat(use).containsEntry("name", "chat").containsEntry("outcome", "done");
            List<Map<String, Object>> second = fake.requests().get(1).messages();
            assertThat((String) second.get(second.size() - 1).get("content")).isNotBlank();
        }
    }

    private static Map<String, Object> awaitStarted(TestHost host) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        Map<String, Object> peer = Map.of();
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> rows = (List<Map<String, Object>>)
                    TestHttp.json(host.http().get("/v1/plugins")).get("plugins");
            peer = rows.stream()
                    .filter(row -> "mcp:peer".equals(row.get("id")))
                    .findFirst()
                    .orElseThrow();
            if (!"starting".equals(peer.get("state"))) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(peer.get("state")).as(String.valueOf(peer)).isEqualTo("started");
        return peer;
    }
}
