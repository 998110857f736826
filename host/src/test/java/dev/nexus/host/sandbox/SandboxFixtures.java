package dev.nexus.host.sandbox;

import dev.nexus.api.evolution.FeedbackSample;
import dev.nexus.api.evolution.FitnessRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Requests, settings and sandboxes for the sandbox tests. */
final class SandboxFixtures {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    private SandboxFixtures() {}

    /** A request for {@code personality} with {@code n} candidates: candidate i is (i/n, 0.5). */
    static FitnessRequest request(String personality, int n) {
        List<double[]> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            candidates.add(new double[] {(double) i / n, 0.5});
        }
        List<FeedbackSample> evidence = List.of(
                new FeedbackSample(new double[] {0.9, 0.5}, 0.0, Map.of("verbosity", -1), 1200, 40),
                new FeedbackSample(new double[] {0.2, 0.5}, 1.0, Map.of(), 150, 35),
                new FeedbackSample(new double[] {0.5, 0.5}, Double.NaN, Map.of(), 400, 20));
        return new FitnessRequest(personality, List.of("verbosity", "warmth"), candidates, evidence, 42);
    }

    /**
     * Settings for tests: a short call timeout so hangs are cut quickly, and one clean call resets the
     * failure count, so that a suite can run many attacks through one plugin; {@link #strictConfig} keeps
     * the default failure policy.
     */
    static SandboxConfig config(Path directory) {
        return new SandboxConfig(
                directory.toString(), null, 3_000, null, null, null, null, null, null, null, null, 1, null);
    }

    /** Settings for tests with the default failure policy (three clean calls in a row reset the count). */
    static SandboxConfig strictConfig(Path directory) {
        return new SandboxConfig(directory.toString(), null, 3_000, null, null, null, null, null, null, null);
    }

    /** A sandbox with the real admission scan. */
    static FitnessSandbox sandbox(SandboxConfig config) {
        return new FitnessSandbox(
                config,
                config.directory(Path.of("unused")),
                CLOCK,
                new InMemorySandboxStore(),
                new BytecodeScanner()::scan);
    }

    /**
     * A sandbox whose admission scans but admits everything (tests only): it proves the run-time
     * defences (class-loader filter, child JVM limits, output validation) hold on their own.
     */
    static FitnessSandbox lenientSandbox(SandboxConfig config) {
        BytecodeScanner scanner = new BytecodeScanner();
        return new FitnessSandbox(
                config, config.directory(Path.of("unused")), CLOCK, new InMemorySandboxStore(), (fileName, jar) -> {
                    AdmissionReport real = scanner.scan(fileName, jar);
                    return AdmissionReport.of(
                            real.fileName(),
                            real.sha256(),
                            real.sizeBytes(),
                            real.fitnessClass(),
                            real.version(),
                            real.classes(),
                            List.of(),
                            List.of());
                });
    }
}
