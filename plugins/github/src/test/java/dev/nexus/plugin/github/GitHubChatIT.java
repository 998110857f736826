package dev.nexus.plugin.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15's "done when", on H2 and PostgreSQL: a personality whose model (a local fake speaking
 * OpenAI's wire protocol) calls {@code github_create_issue}; the call becomes a task waiting for
 * approval, approval runs it once against a local fake GitHub, and the conversation goes on with
 * the issue number, which the model then reports.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
@SuppressWarnings("unchecked")
class GitHubChatIT {

    @Parameter
    Database.Kind database;

    @TempDir
    Path dir;

    static final String PERSONA = """
            {"id": "dev", "name": "Dev", "description": "A developer's assistant that files issues.", "greetings": ["Hi."]}""";

    @Test
    void aModelsCallToOpenAnIssue_waitsForApproval_runsOnce_andTheReplyReportsTheIssueNumber() throws Exception {
        Path plugins = dir.resolve("plugins");
        PackagedPlugin.installInto(plugins);
        try (FakeGitHub github = FakeGitHub.start("ghp_test");
                FakeOpenAiServer model = FakeOpenAiServer.start();
                TestHost host = TestHost.builder()
                        .database(database)
                        .env("NEXUS_PLUGINS_DIRECTORY", plugins.toString())
                        .env("NEXUS_LLM_BASE_URL", model.baseUrl())
                        .env("NEXUS_LLM_API_KEY", "local")
                        .env("NEXUS_LLM_MODEL", "llama3.2")
                        .env("NEXUS_SECRET_GITHUB_TOKEN", "ghp_test")
                        .yaml("plugins: {config: {github: {api-url: \"" + github.url()
                                + "\"}}}\ntasks: {poll-millis: 50}")
                        .start()) {
            TestHttp admin = host.http();
            assertThat(admin.post("/v1/personalities", PERSONA).statusCode()).isEqualTo(201);
            TestHttp ada = admin.withKey(key(admin, "{\"name\":\"ada\",\"scopes\":[\"user\"],\"user\":\"ada\"}"));
            TestHttp reviewer = admin.withKey(key(admin, "{\"name\":\"reviewer\",\"scopes\":[\"approver\"]}"));

            model.enqueue(
                    new FakeOpenAiServer.ToolCall(
                            "github_create_issue",
                            "{\"repo\":\"acme/site\",\"title\":\"Broken link on /about\",\"body\":\"Reported in chat\"}"),
                    FakeOpenAiServer.reply("I have asked for approval to open that issue."));
            HttpResponse<String> chat = ada.post(
                    "/v1/chat",
                    "{\"personality\":\"dev\",\"message\":\"Please open an issue on acme/site: the link on /about is broken.\"}");
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
            Map<String, Object> turn = TestHttp.json(chat);
            Map<String, Object> use =
                    ((List<Map<String, Object>>) ((Map<String, Object>) turn.get("metadata")).get("tools")).get(0);
            assertThat(use).containsEntry("name", "github_create_issue").containsEntry("outcome", "awaiting-approval");
            String proposal = (String) use.get("proposal");

            // A proposal appears; the task waits; nothing has reached GitHub.
            Map<String, Object> pending = TestHttp.json(reviewer.get("/v1/proposals/" + proposal));
            assertThat(pending).containsEntry("state", "pending").containsEntry("kind", "tool-call");
            List<Map<String, Object>> tasks = (List<Map<String, Object>>)
                    TestHttp.json(ada.get("/v1/tasks?integration=github")).get("tasks");
            assertThat(tasks)
                    .singleElement()
                    .satisfies(t -> assertThat(t)
                            .containsEntry("status", "awaiting-approval")
                            .containsEntry("origin", "chat")
                            .containsEntry("action", "create_issue")
                            .containsEntry("proposal", proposal));
            assertThat(github.count("POST", "/repos/acme/site/issues")).isZero();

            model.enqueue(FakeOpenAiServer.reply("Done: I opened issue #1 in acme/site for the broken link."));
            approve(reviewer, proposal, (String) pending.get("sha256"));
            approve(reviewer, proposal, (String) pending.get("sha256")); // a second approval changes nothing

            String conversation = (String) turn.get("conversation");
            List<Map<String, Object>> messages = messagesOnceThereAre(ada, conversation, 5);
            assertThat(messages)
                    .extracting(m -> m.get("role"))
                    .containsExactly("assistant", "user", "assistant", "tool", "assistant");
            assertThat(messages.get(0)).containsEntry("content", "Hi."); // the greeting the conversation opened with
            assertThat((String) messages.get(3).get("content"))
                    .isEqualTo(
                            "[Tool result] A reviewer approved your call to the tool "
                                    + "'github_create_issue', and it ran. Its result:\nCreated issue #1 in acme/site: https://github.com/acme/site/issues/1");
            assertThat(messages.get(4))
                    .containsEntry("content", "Done: I opened issue #1 in acme/site for the broken link.");
            List<Map<String, Object>> asked = model.lastRequest().messages();
            assertThat(asked)
                    .anySatisfy(m ->
                            assertThat(String.valueOf(m.get("content"))).contains("Created issue #1 in acme/site"));
            assertThat(github.issues("acme/site"))
                    .singleElement()
                    .satisfies(i -> assertThat(i)
                            .containsEntry("title", "Broken link on /about")
                            .containsEntry("body", "Reported in chat"));
            assertThat(github.count("POST", "/repos/acme/site/issues"))
                    .as("issues opened on GitHub")
                    .isEqualTo(1);
            Map<String, Object> task =
                    TestHttp.json(ada.get("/v1/tasks/" + tasks.get(0).get("id")));
            assertThat(task).containsEntry("status", "completed").containsEntry("attempts", 1);
        }
    }

    static String key(TestHttp admin, String body) {
        return (String) TestHttp.json(admin.post("/v1/keys", body)).get("secret");
    }

    static void approve(TestHttp reviewer, String proposal, String sha) {
        HttpResponse<String> approved = reviewer.post(
                "/v1/proposals/" + proposal + "/approve",
                "{\"sha256\":\"" + sha + "\",\"reason\":\"ada asked for it\"}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    }

    static List<Map<String, Object>> messagesOnceThereAre(TestHttp http, String conversation, int count)
            throws InterruptedException {
        List<Map<String, Object>> messages = List.of();
        for (int i = 0; i < 300; i++) {
            messages = (List<Map<String, Object>>)
                    TestHttp.json(http.get("/v1/conversations/" + conversation + "/messages"))
                            .get("messages");
            if (messages.size() >= count) {
                return messages;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("conversation " + conversation + " never had " + count + " messages: " + messages);
    }
}
