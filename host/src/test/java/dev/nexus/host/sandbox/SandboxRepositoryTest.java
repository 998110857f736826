package dev.nexus.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.json.Json;
import dev.nexus.host.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Plugin states in the database, on H2 and PostgreSQL. */
class SandboxRepositoryTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void insertFindUpdate_roundTripsEveryFieldAndTheReport(TestDatabase db) throws IOException {
        SandboxRepository repository = new SandboxRepository(db.database());
        AdmissionReport report = new BytecodeScanner().scan("good.jar", Files.readAllBytes(PluginSources.goodJar(dir)));
        Instant at = Instant.parse("2025-02-03T04:05:06Z");
        SandboxPlugin plugin = new SandboxPlugin(
                report.sha256(),
                "good.jar",
                "good.Good",
                Optional.of("1.2.3"),
                Optional.empty(),
                SandboxState.PENDING_APPROVAL,
                0,
                Optional.empty(),
                at,
                at,
                report);

        boolean inserted = repository.insert(plugin);
        boolean again = repository.insert(plugin);
        SandboxPlugin failing = plugin.withFitnessId("good").withFailure("timed out", at.plusSeconds(5));
        repository.update(failing);

        assertThat(inserted).isTrue();
        assertThat(again).isFalse();
        assertThat(repository.find(report.sha256())).contains(failing);
        assertThat(repository.find("0".repeat(64))).isEmpty();
        assertThat(repository.all()).containsExactly(failing);
        assertThat(repository.find(report.sha256()).orElseThrow().report().symbols())
                .isEqualTo(report.symbols());
        assertThat(Json.write(report)).contains("\"verdict\":\"admitted\"").contains("\"allowed\":true");
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void enable_survivesARestartOfTheSandbox(TestDatabase db) {
        PluginSources.goodJar(dir);
        String sha;
        try (FitnessSandbox first =
                new FitnessSandbox(SandboxFixtures.config(dir), dir, db.database(), SandboxFixtures.CLOCK)) {
            sha = first.refresh().getFirst().sha256();
            first.enable(sha);
        }

        try (FitnessSandbox second =
                new FitnessSandbox(SandboxFixtures.config(dir), dir, db.database(), SandboxFixtures.CLOCK)) {
            second.refresh();

            assertThat(second.enabled()).extracting(SandboxPlugin::sha256).containsExactly(sha);
            assertThat(second.score(sha, SandboxFixtures.request("support", 1)))
                    .isInstanceOf(ScoreOutcome.Scored.class);
            assertThat(second.plugin(sha))
                    .get()
                    .satisfies(p -> assertThat(p.fitnessId()).contains("good"));
        }
    }
}
