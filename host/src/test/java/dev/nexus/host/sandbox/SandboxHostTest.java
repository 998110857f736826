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
            awaitSandboxRows(host, 2);
            var listed = host.http().get("/v1/plugins");
            List<Map<String, Object>> rows =
                    (List<Map<String, Object>>) TestHttp.json(listed).get("plugins");
            var health = TestHttp.json(host.http().get("/health"));

            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(rows)
                    .extracting(row -> row.get("id") + "=" + row.get("state"))
                    .containsExactlyInAnyOrder("good.jar=pending-approval", "attack-files.jar=refused");
            assertThat(rows)
                    .isNotEmpty()
                    .allSatisfy(row -> assertThat(row.get("kinds")).isEqualTo(List.of("fitness")));
            Map<String, Object> good = rows.stream()
                    .filter(r -> r.get("id").equals("good.jar"))
                    .findFirst()
                    .orElseThrow();
            assertThat((Map<String, Object>) good.get("details"))
                    .containsEntry("admission", "admitted")
                    .containsEntry("sandboxed", true)
                    .containsKey("sha256")
                    .containsEntry("callTimeoutMillis", 5000)
                    .hasEntrySatisfying(
                            "isolation", v -> assertThat(v).isIn("os-sandbox", "network-namespace", "none"));
            Map<String, Object> refused = rows.stream()
                    .filter(r -> r.get("id").equals("attack-files.jar"))
                    .findFirst()
                    .orElseThrow();
            assertThat((String) refused.get("error"))
                    .contains("java/nio/file/Files")
                    .contains("file and stream I/O (NIO)");
            assertThat(health.get("plugins").toString()).contains("failed=[attack-files.jar]");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void droppedJar_isEnabledOnlyByApprovingItsProposal() throws Exception {
        Path sandbox = Files.createDirectories(data.resolve("sandbox"));
        PluginSources.goodJar(sandbox);

        try (TestHost host = TestHost.builder().database(database).dataDir(data).start()) {
            Map<String, Object> proposal = awaitEnablementProposal(host);
            Map<String, Object> payload = (Map<String, Object>) proposal.get("payload");
            assertThat(payload)
                    .doesNotContainKey("externalSymbols")
                    .containsKeys("externalSymbolCount", "symbolsByPackage", "isolation");
            var symbols = host.http().get((String) payload.get("symbols"));
            assertThat(symbols.statusCode()).isEqualTo(200);
            assertThat((List<Object>) TestHttp.json(symbols).get("symbols"))
                    .hasSize(((Number) payload.get("externalSymbolCount")).intValue());
            assertThat(host.http()
                            .get("/v1/sandbox/plugins/" + "0".repeat(64) + "/symbols")
                            .statusCode())
                    .isEqualTo(404);
            assertThat(proposal.get("subject")).isEqualTo("fitness:good.jar");
            assertThat(proposal.get("proposer")).isEqualTo("system:sandbox");
            assertThat(state(host, "good.jar")).isEqualTo("pending-approval");

            var approved = host.http()
                    .post(
                            "/v1/proposals/" + proposal.get("id") + "/approve",
                            "{\"sha256\":\"" + proposal.get("sha256") + "\",\"reason\":\"symbols reviewed\"}");

            assertThat(approved.statusCode()).isEqualTo(200);
            assertThat(TestHttp.json(approved).get("state")).isEqualTo("applied");
            assertThat(state(host, "good.jar")).isEqualTo("enabled");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void start_withADirectoryFullOfHostileJars_isNotDelayedAndListsEachAsRefusedWithItsReason() throws Exception {
        Path sandbox = Files.createDirectories(data.resolve("sandbox"));
        HostileJars.writeAll(sandbox);
        PluginSources.goodJar(sandbox);

        try (TestHost host = TestHost.builder().database(database).dataDir(data).start()) {
            assertThat(host.http().get("/health").statusCode()).isEqualTo(200);
            List<Map<String, Object>> rows = awaitSandboxRows(host, 6);

            HostileJars.REASONS.forEach((file, reason) -> assertThat(rows)
                    .filteredOn(r -> r.get("id").equals(file))
                    .singleElement()
                    .satisfies(row -> {
                        assertThat(row.get("state")).as(file).isEqualTo("refused");
                        assertThat((String) row.get("error")).as(file).contains(reason);
                    }));
            assertThat(state(host, "good.jar")).isEqualTo("pending-approval");
            assertThat(awaitEnablementProposal(host).get("subject")).isEqualTo("fitness:good.jar");
        }
        // The verdicts are stored by hash: a restart lists them again without scanning.
        try (TestHost host = TestHost.builder().database(database).dataDir(data).start()) {
            assertThat(awaitSandboxRows(host, 6))
                    .filteredOn(r -> "refused".equals(r.get("state")))
                    .hasSize(5);
        }
    }

    /** Admission runs in the background at start: waits until {@code n} sandboxed rows are listed. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> awaitSandboxRows(TestHost host, int n) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<Map<String, Object>> rows = ((List<Map<String, Object>>)
                            TestHttp.json(host.http().get("/v1/plugins")).get("plugins"))
                    .stream()
                            .filter(r -> List.of("fitness").equals(r.get("kinds")))
                            .toList();
            if (rows.size() >= n || System.nanoTime() > deadline) {
                return rows;
            }
            Thread.sleep(100);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> awaitEnablementProposal(TestHost host) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<Map<String, Object>> pending =
                    (List<Map<String, Object>>) TestHttp.json(host.http().get("/v1/proposals?state=pending"))
                            .get("proposals");
            var found = pending.stream()
                    .filter(p -> p.get("kind").equals("plugin-enablement"))
                    .findFirst();
            if (found.isPresent() || System.nanoTime() > deadline) {
                return found.orElseThrow();
            }
            Thread.sleep(100);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object state(TestHost host, String id) {
        List<Map<String, Object>> rows = (List<Map<String, Object>>)
                TestHttp.json(host.http().get("/v1/plugins")).get("plugins");
        return rows.stream()
                .filter(r -> r.get("id").equals(id))
                .findFirst()
                .orElseThrow()
                .get("state");
    }
}
