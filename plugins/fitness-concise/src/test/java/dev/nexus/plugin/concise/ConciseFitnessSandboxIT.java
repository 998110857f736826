package dev.nexus.plugin.concise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.evolution.FeedbackSample;
import dev.nexus.api.evolution.FitnessRequest;
import dev.nexus.api.evolution.FitnessResult;
import dev.nexus.host.sandbox.AdmissionReport;
import dev.nexus.host.sandbox.FitnessSandbox;
import dev.nexus.host.sandbox.SandboxConfig;
import dev.nexus.host.sandbox.ScoreOutcome;
import dev.nexus.host.testing.PackagedPlugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, as an operator would install it: admitted by the real scan, run in a real child JVM. */
class ConciseFitnessSandboxIT {

    @TempDir
    Path sandboxDir;

    @Test
    void packagedJar_isASandboxJarNotAPf4jPlugin() throws IOException {
        Path packaged = PackagedPlugin.jar();
        try (JarFile jar = new JarFile(packaged.toFile())) {
            Manifest manifest = jar.getManifest();

            assertThat(packaged.getFileName().toString())
                    .startsWith("nexus-fitness-concise-")
                    .endsWith(".jar");
            assertThat(manifest.getMainAttributes().getValue("Plugin-Id")).isNull();
            assertThat(manifest.getMainAttributes().getValue("Nexus-Fitness-Class"))
                    .isEqualTo(ConciseFitness.class.getName());
            assertThat(jar.getEntry("META-INF/extensions.idx")).isNull();
        }
    }

    @Test
    void packagedJar_passesAdmissionAndScoresInTheChildJvmAsItDoesInProcess() throws IOException {
        Path packaged = PackagedPlugin.jar();
        Files.copy(packaged, sandboxDir.resolve(packaged.getFileName()));
        try (FitnessSandbox sandbox =
                new FitnessSandbox(SandboxConfig.defaults(sandboxDir), sandboxDir, Clock.systemUTC())) {
            AdmissionReport report = sandbox.refresh().getFirst();
            assertThat(report.problems()).isEmpty();
            assertThat(report.denied()).isEmpty();
            assertThat(report.version()).isPresent();

            sandbox.enable(report.sha256());
            FitnessRequest request = request();
            ScoreOutcome outcome = sandbox.score(report.sha256(), request);

            double[] inProcess = ((FitnessResult.Scores) new ConciseFitness().score(request)).values();
            assertThat(outcome)
                    .isInstanceOfSatisfying(
                            ScoreOutcome.Scored.class,
                            scored -> assertThat(scored.values()).containsExactly(inProcess));
            assertThat(sandbox.enabled())
                    .singleElement()
                    .satisfies(p -> assertThat(p.fitnessId()).contains("fitness-concise"));
        }
    }

    private static FitnessRequest request() {
        List<double[]> candidates = List.of(new double[] {0.1, 0.5}, new double[] {0.4, 0.5}, new double[] {0.9, 0.5});
        List<FeedbackSample> evidence = List.of(
                new FeedbackSample(new double[] {0.9, 0.5}, 0.0, Map.of("verbosity", -1), 1600, 50),
                new FeedbackSample(new double[] {0.3, 0.5}, 1.0, Map.of(), 240, 40));
        return new FitnessRequest("support", List.of("verbosity", "warmth"), candidates, evidence, 11);
    }
}
