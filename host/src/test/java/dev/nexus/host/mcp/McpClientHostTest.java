package dev.nexus.host.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nexus as an MCP client: a real MCP server process (the SDK's stdio server in a child JVM) configured
 * under {@code mcp.servers}, its tools offered in turns of a remote model (a local fake speaking the
 * OpenAI protocol), the risky one waiting for approval.
 */
@SuppressWarnings("unchecked")
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class McpClientHostTest {

    /** The backend this invocation runs on. */
    @Parameter
    Database.Kind database;

    @TempDir
    static Path dir;

    static Path ledger;
    static FakeOpenAiServer fake;
    static TestHost host;
    int before;

    @BeforeAll
    static void startModel() {
        fake = FakeOpenAiServer.start();
    }

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) throws Exception {
        ledger = dir.resolve("ledger-" + database + ".txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = Json.write(List.of(
                java,
                "-Dlogback.configurationFile=mcp-server-logback.xml",
                "-cp",
                System.getProperty("java.class.path"),
                StampServer.class.getName()));
        host = TestHost.builder()
                .database(database)
                .yaml("personalities: {directory: '"
                        + Path.of("..", "personalities").toAbsolutePath().normalize() + "'}")
                .yaml("mcp:\n  servers:\n    stamps:\n      command: " + command + "\n      env: {STAMP_FILE: '"
                        + ledger + "'}\n"
                        + "      risk: {shout: LOW}\n    broken:\n      command: [\"" + dir.resolve("no-such-program")
                        + "\"]\n"
                        + "      timeout-millis: 3000")
                .env("NEXUS_LLM_BASE_URL", fake.baseUrl())
                .env("NEXUS_LLM_API_KEY", "local")
                .env("NEXUS_LLM_MODEL", "llama3.2")
                .start();
        awaitState("mcp:stamps", "started");
        awaitState("mcp:broken", "failed");
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    @AfterAll
    static void stopModel() {
        if (fake != null) {
            fake.close();
        }
    }

    @BeforeEach
    void mark() {
        before = fake.requests().size();
    }

    private static Map<String, Object> plugin(String id) {
        List<Map<String, Object>> rows = (List<Map<String, Object>>)
                TestHttp.json(host.http().get("/v1/plugins")).get("plugins");
        return rows.stream().filter(row -> id.equals(row.get("id"))).findFirst().orElseThrow();
    }

    private static void awaitState(String id, String state) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!state.equals(plugin(id).get("state")) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(plugin(id).get("state")).as(String.valueOf(plugin(id))).isEqualTo(state);
    }

    private static Map<String, Object> chat(String message) {
        return firstToolUse(turn(message));
    }

    private static Map<String, Object> turn(String message) {
        HttpResponse<String> response = host.http()
                .post(
                        "/v1/chat",
                        "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"" + message + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    private static Map<String, Object> firstToolUse(Map<String, Object> turn) {
        return (Map<String, Object>) ((List<?>) ((Map<String, Object>) turn.get("metadata")).get("tools")).get(0);
    }

    private static List<Map<String, Object>> messagesOnceThereAre(String conversation, int count)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        List<Map<String, Object>> messages;
        do {
            Thread.sleep(50);
            messages = (List<Map<String, Object>>)
                    TestHttp.json(host.http().get("/v1/conversations/" + conversation + "/messages"))
                            .get("messages");
        } while (messages.size() < count && Instant.now().isBefore(deadline));
        return messages;
    }

    @Test
    void plugins_listTheMcpServers_withTheirToolsAndRisks_andTheFailedOneWithItsReason() {
        Map<String, Object> stamps = plugin("mcp:stamps");
        assertThat(stamps.get("version")).isEqualTo("1.2.3");
        assertThat((List<String>) stamps.get("kinds")).containsExactly("tool");
        assertThat((List<Map<String, Object>>) ((Map<String, Object>) stamps.get("details")).get("tools"))
                .containsExactlyInAnyOrder(
                        Map.of("name", "stamp", "risk", "HIGH"), Map.of("name", "shout", "risk", "LOW"));
        Map<String, Object> broken = plugin("mcp:broken");
        assertThat((String) broken.get("error")).startsWith("connecting failed");
    }

    @Test
    void turn_callsALowRiskMcpTool_andTheModelReadsItsResult() {
        fake.enqueue(
                new FakeOpenAiServer.ToolCall("shout", "{\"text\":\"quiet please\"}"),
                FakeOpenAiServer.reply("Shouted."));

        Map<String, Object> use = chat("Shout it.");

        assertThat(use).containsEntry("name", "shout").containsEntry("outcome", "done");
        List<Map<String, Object>> second = fake.requests().get(before + 1).messages();
        assertThat(second.get(second.size() - 1).get("content")).isEqualTo("QUIET PLEASE");
        List<String> offered = ((List<Map<String, Object>>)
                        fake.requests().get(before).body().get("tools"))
                .stream()
                        .map(tool -> (String) ((Map<String, Object>) tool.get("function")).get("name"))
                        .toList();
        assertThat(offered).contains("stamp", "shout");
    }

    @Test
    void turn_sendsAnUnlistedMcpToolToApproval_andTheApprovedCallRunsOnTheServer() throws Exception {
        // The third answer is the model going on once the approved call has run.
        fake.enqueue(
                new FakeOpenAiServer.ToolCall("stamp", "{\"text\":\"approved entry\"}"),
                FakeOpenAiServer.reply("Waiting."),
                FakeOpenAiServer.reply("Stamped, as approved."));

        Map<String, Object> turn = turn("Stamp it.");
        Map<String, Object> use = firstToolUse(turn);

        assertThat(use).containsEntry("name", "stamp").containsEntry("outcome", "awaiting-approval");
        assertThat(ledger).doesNotExist();
        String proposal = (String) use.get("proposal");
        Map<String, Object> pending = TestHttp.json(host.http().get("/v1/proposals/" + proposal));
        assertThat((Map<String, Object>) pending.get("payload")).containsEntry("tool", "stamp");

        HttpResponse<String> approved = host.http()
                .post(
                        "/v1/proposals/" + proposal + "/approve",
                        "{\"sha256\":\"" + pending.get("sha256") + "\",\"reason\":\"fine\"}");

        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        // Approving releases the call's task; the task executor runs it once the approval has committed.
        assertThat((Map<String, Object>) TestHttp.json(approved).get("result"))
                .containsEntry("outcome", "queued")
                .containsKey("task");
        List<Map<String, Object>> messages = messagesOnceThereAre((String) turn.get("conversation"), 5);
        assertThat(Files.readString(ledger)).isEqualTo("approved entry\n");
        assertThat(messages)
                .extracting(m -> m.get("role"))
                .containsExactly("assistant", "user", "assistant", "tool", "assistant");
        assertThat((String) messages.get(3).get("content")).endsWith("Its result:\nstamped: approved entry");
        assertThat(messages.get(4)).containsEntry("content", "Stamped, as approved.");
    }

    @Test
    void turn_refusesArgumentsThatBreakTheMcpToolsSchema_beforeCallingIt() {
        fake.enqueue(new FakeOpenAiServer.ToolCall("shout", "{\"text\":42}"), FakeOpenAiServer.reply("Could not."));

        Map<String, Object> use = chat("Shout a number.");

        assertThat(use).containsEntry("outcome", "failed");
        assertThat((String) use.get("error"))
                .contains("invalid arguments for 'shout'")
                .contains("$.text");
    }
}
