package dev.nexus.plugin.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged files plugin in a real host, driven through the task executor's HTTP API on H2 and
 * PostgreSQL: the integration lists its actions with their risk; a write runs as a task; a delete
 * (high risk) waits for approval and runs once approved; another user cannot see the task.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
@SuppressWarnings("unchecked")
class FilesTasksIT {

    @Parameter
    Database.Kind database;

    @TempDir
    Path dir;

    @Test
    void filesActions_runAsTasks_andADeleteWaitsForApproval() throws Exception {
        Path plugins = dir.resolve("plugins");
        PackagedPlugin.installInto(plugins);
        Path workspaces = dir.resolve("workspaces");
        try (TestHost host = TestHost.builder()
                .database(database)
                .env("NEXUS_PLUGINS_DIRECTORY", plugins.toString())
                .yaml("plugins: {config: {files: {root: \"" + workspaces + "\"}}}\ntasks: {poll-millis: 50}")
                .start()) {
            TestHttp admin = host.http();
            TestHttp ada = admin.withKey(key(admin, "{\"name\":\"ada\",\"scopes\":[\"user\"],\"user\":\"ada\"}"));
            TestHttp bob = admin.withKey(key(admin, "{\"name\":\"bob\",\"scopes\":[\"user\"],\"user\":\"bob\"}"));
            TestHttp reviewer = admin.withKey(key(admin, "{\"name\":\"reviewer\",\"scopes\":[\"approver\"]}"));

            List<Map<String, Object>> integrations = (List<Map<String, Object>>)
                    TestHttp.json(ada.get("/v1/tasks/integrations")).get("integrations");
            Map<String, Object> files = integrations.stream()
                    .filter(i -> "files".equals(i.get("integration")))
                    .findFirst()
                    .orElseThrow();
            assertThat((List<Map<String, Object>>) files.get("actions"))
                    .extracting(a -> a.get("action") + ":" + a.get("risk"))
                    .containsExactly(
                            "delete:high", "list:low", "move:medium", "read:low", "search:low", "write:medium");

            Map<String, Object> write = accepted(
                    ada.post(
                            "/v1/tasks/execute",
                            "{\"integration\":\"files\",\"action\":\"write\",\"params\":{\"path\":\"notes/today.md\",\"content\":\"# Today\"}}"));
            Map<String, Object> written = await(ada, (String) write.get("id"), "completed");
            assertThat(written)
                    .containsEntry("result", "wrote notes/today.md (7 bytes)")
                    .containsEntry("user", "ada");
            assertThat(workspaces.resolve("ada/notes/today.md")).hasContent("# Today");
            assertThat(bob.get("/v1/tasks/" + write.get("id")).statusCode()).isEqualTo(404);

            Map<String, Object> delete = accepted(ada.post(
                    "/v1/tasks/execute",
                    "{\"integration\":\"files\",\"action\":\"delete\",\"params\":{\"path\":\"notes/today.md\"}}"));
            assertThat(delete).containsEntry("status", "awaiting-approval");
            assertThat(workspaces.resolve("ada/notes/today.md")).exists();
            String proposal = (String) delete.get("proposal");
            String sha = (String)
                    TestHttp.json(reviewer.get("/v1/proposals/" + proposal)).get("sha256");
            HttpResponse<String> approved = reviewer.post(
                    "/v1/proposals/" + proposal + "/approve", "{\"sha256\":\"" + sha + "\",\"reason\":\"ada asked\"}");
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
            Map<String, Object> deleted = await(ada, (String) delete.get("id"), "completed");
            assertThat(deleted).containsEntry("result", "deleted notes/today.md");
            assertThat(workspaces.resolve("ada/notes/today.md")).doesNotExist();
            assertThat((List<Map<String, Object>>) deleted.get("history"))
                    .extracting(h -> h.get("to"))
                    .containsExactly("awaiting-approval", "pending", "running", "completed");

            HttpResponse<String> escape = ada.post(
                    "/v1/tasks/execute",
                    "{\"integration\":\"files\",\"action\":\"read\",\"params\":{\"path\":\"../bob/x\"}}");
            Map<String, Object> refused =
                    await(ada, (String) TestHttp.json(escape).get("id"), "failed");
            assertThat((String) refused.get("error")).contains("may not contain '..'");
            assertThat(refused).containsEntry("attempts", 1);
            assertThat((List<Object>) TestHttp.json(ada.get("/v1/tasks?integration=files&status=completed"))
                            .get("tasks"))
                    .hasSize(2);
            assertThat(Files.exists(workspaces.resolve("bob"))).isFalse();
        }
    }

    private static String key(TestHttp admin, String body) {
        return (String) TestHttp.json(admin.post("/v1/keys", body)).get("secret");
    }

    private static Map<String, Object> accepted(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return TestHttp.json(response);
    }

    private static Map<String, Object> await(TestHttp http, String id, String status) throws InterruptedException {
        Map<String, Object> task = Map.of();
        for (int i = 0; i < 200; i++) {
            task = TestHttp.json(http.get("/v1/tasks/" + id));
            if (status.equals(task.get("status"))) {
                return task;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("task " + id + " never became " + status + ": " + task);
    }
}
