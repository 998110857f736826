package dev.nexus.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The sandbox inside the real host: jars dropped into {@code <data-dir>/sandbox} show up in {@code /v1/plugins}. */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class SandboxHostTest {

    @Parameter
    Database.Kind database;

    @TempDir
    Path data;

    @Test
    @SuppressWarnings("unchecked")
    void start_admitsGoodJarsRefusesHostileOnesAndListsBothWithTheIsolationLevel() throws Exception {
        Path sandbox = Files.createDirectories(data.resolve("sandbox"));
        PluginSources.goodJar(sandbox);
        PluginSources.attackJar(sandbox, "files");

        try (TestHost host = TestHost.builder().database(database).dataDir(data).start()) {
            var listed = host.http().get("/v1/plugins");
            List<Map<String, Object>> rows = (List<Map<String, Object>>) TestHttp.json(listed).get("plugins");
            var health = TestHttp.json(host.http().get("/health"));

            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(rows).extracting(row -> row.get("id") + "=" + row.get("state"))
                    .containsExactlyInAnyOrder("good.jar=pending-approval", "attack-files.jar=refused");
            assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row.get("kinds")).isEqualTo(List.of("fitness")));
            Map<String, Object> good = rows.stream().filter(r -> r.get("id").equals("good.jar")).findFirst().orElseThrow();
            assertThat((Map<String, Object>) good.get("details")).containsEntry("admission", "admitted")
                    .containsEntry("sandboxed", true)
                    .containsKey("sha256")
                    .hasEntrySatisfying("isolation", v -> assertThat(v).isIn("network-namespace", "none"));
            Map<String, Object> refused = rows.stream().filter(r -> r.get("id").equals("attack-files.jar")).findFirst().orElseThrow();
            assertThat((String) refused.get("error")).contains("java/nio/file/Files").contains("file and stream I/O (NIO)");
            assertThat(health.get("plugins").toString()).contains("failed=[attack-files.jar]");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void droppedJar_isEnabledOnlyByApprovingItsProposal() throws Exception {
        Path sandbox = Files.createDirectories(data.resolve("sandbox"));
        PluginSources.goodJar(sandbox);

        try (TestHost host = TestHost.builder().database(database).dataDir(data).start()) {
            List<Map<String, Object>> pending = (List<Map<String, Object>>) TestHttp.json(
                    host.http().get("/v1/proposals?state=pending")).get("proposals");
            Map<String, Object> proposal = pending.stream()
                    .filter(p -> p.get("kind").equals("plugin-enablement")).findFirst().orElseThrow();
            assertThat(proposal.get("subject")).isEqualTo("fitness:good.jar");
            assertThat(proposal.get("proposer")).isEqualTo("system:sandbox");
            assertThat(state(host, "good.jar")).isEqualTo("pending-approval");

            var approved = host.http().post("/v1/proposals/" + proposal.get("id") + "/approve",
                    "{\"sha256\":\"" + proposal.get("sha256") + "\",\"reason\":\"symbols reviewed\"}");

            assertThat(approved.statusCode()).isEqualTo(200);
            assertThat(TestHttp.json(approved).get("state")).isEqualTo("applied");
            assertThat(state(host, "good.jar")).isEqualTo("enabled");
        }
    }

    @SuppressWarnings("unchecked")
    private static Object state(TestHost host, String id) {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) TestHttp.json(host.http().get("/v1/plugins")).get("plugins");
        return rows.stream().filter(r -> r.get("id").equals(id)).findFirst().orElseThrow().get("state");
    }
}
