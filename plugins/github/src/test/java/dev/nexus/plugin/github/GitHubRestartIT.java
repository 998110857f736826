package dev.nexus.plugin.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.ChildHost;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Killing the host between an approval and the run: a real host in a child JVM files the model's
 * GitHub call as a task, the reviewer approves it, and the host is killed ({@code kill -9}) before
 * the task runs (its worker is off, {@code tasks.worker: false}, which makes that window certain).
 * After a restart on the same database with the worker on, the task runs exactly once and the
 * conversation goes on with the issue number.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
@SuppressWarnings("unchecked")
class GitHubRestartIT {

    @Parameter
    Database.Kind database;

    @Test
    void killedBetweenApprovalAndRun_theTaskRunsOnceAfterTheRestart() throws Exception {
        try (FakeGitHub github = FakeGitHub.start("ghp_test");
                FakeOpenAiServer model = FakeOpenAiServer.start()) {
            ChildHost.Config first = ChildHost.Config.fresh(database, Map.of());
            try {
                Path plugins = first.dataDir().resolve("plugins");
                PackagedPlugin.installInto(plugins);
                Path yaml = Files.writeString(
                        first.dataDir().resolve("nexus.yaml"),
                        "plugins: {config: {github: {api-url: \"" + github.url() + "\"}}}\ntasks: {poll-millis: 50}\n");
                Map<String, String> env = new HashMap<>(Map.of(
                        "NEXUS_CONFIG",
                        yaml.toString(),
                        "NEXUS_PLUGINS_DIRECTORY",
                        plugins.toString(),
                        "NEXUS_LLM_BASE_URL",
                        model.baseUrl(),
                        "NEXUS_LLM_API_KEY",
                        "local",
                        "NEXUS_LLM_MODEL",
                        "llama3.2",
                        "NEXUS_SECRET_GITHUB_TOKEN",
                        "ghp_test"));
                env.put("NEXUS_TASKS_WORKER", "false");
                ChildHost.Config queueOnly =
                        new ChildHost.Config(first.dataDir(), first.kind(), first.postgresDatabase(), Map.copyOf(env));
                env.put("NEXUS_TASKS_WORKER", "true");
                ChildHost.Config worker =
                        new ChildHost.Config(first.dataDir(), first.kind(), first.postgresDatabase(), Map.copyOf(env));

                String conversation;
                String task;
                try (ChildHost child = ChildHost.start(queueOnly)) {
                    TestHttp admin = child.http();
                    assertThat(admin.post("/v1/personalities", GitHubChatIT.PERSONA)
                                    .statusCode())
                            .isEqualTo(201);
                    TestHttp reviewer =
                            admin.withKey(GitHubChatIT.key(admin, "{\"name\":\"reviewer\",\"scopes\":[\"approver\"]}"));
                    model.enqueue(
                            new FakeOpenAiServer.ToolCall(
                                    "github_create_issue", "{\"repo\":\"acme/site\",\"title\":\"Typo in README\"}"),
                            FakeOpenAiServer.reply("That needs approval first."));
                    HttpResponse<String> chat = admin.post(
                            "/v1/chat",
                            "{\"personality\":\"dev\",\"user\":\"ada\",\"message\":\"Open an issue about the README typo.\"}");
                    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
                    Map<String, Object> turn = TestHttp.json(chat);
                    conversation = (String) turn.get("conversation");
                    String proposal = (String)
                            ((List<Map<String, Object>>) ((Map<String, Object>) turn.get("metadata")).get("tools"))
                                    .get(0)
                                    .get("proposal");
                    String sha = (String) TestHttp.json(reviewer.get("/v1/proposals/" + proposal))
                            .get("sha256");
                    GitHubChatIT.approve(reviewer, proposal, sha);
                    Map<String, Object> approved = ((List<Map<String, Object>>)
                                    TestHttp.json(admin.get("/v1/tasks?user=ada"))
                                            .get("tasks"))
                            .get(0);
                    assertThat(approved).as("approved, not yet run").containsEntry("status", "pending");
                    task = (String) approved.get("id");
                    child.kill();
                }
                assertThat(github.count("POST", "/repos/acme/site/issues"))
                        .as("issues opened before the restart")
                        .isZero();

                model.enqueue(FakeOpenAiServer.reply("Issue #1 is open now."));
                try (ChildHost restarted = ChildHost.start(worker)) {
                    TestHttp admin = restarted.http();
                    Map<String, Object> done = Map.of();
                    for (int i = 0; i < 300 && !"completed".equals(done.get("status")); i++) {
                        Thread.sleep(100);
                        done = TestHttp.json(admin.get("/v1/tasks/" + task));
                    }
                    assertThat(done)
                            .as("the task after the restart")
                            .containsEntry("status", "completed")
                            .containsEntry("attempts", 1)
                            .containsEntry(
                                    "result", "Created issue #1 in acme/site: https://github.com/acme/site/issues/1");
                    List<Map<String, Object>> messages = GitHubChatIT.messagesOnceThereAre(admin, conversation, 5);
                    assertThat(messages.get(4)).containsEntry("content", "Issue #1 is open now.");
                }
                System.out.printf(
                        "[restart %s] issues opened on the fake GitHub: %d%n",
                        database, github.count("POST", "/repos/acme/site/issues"));
                assertThat(github.count("POST", "/repos/acme/site/issues"))
                        .as("issues opened in all")
                        .isEqualTo(1);
            } finally {
                first.delete();
            }
        }
    }
}
