package dev.nexus.host.sandbox;

import dev.nexus.api.evolution.FeedbackSample;
import dev.nexus.api.evolution.FitnessFunction;
import dev.nexus.api.evolution.FitnessRequest;
import dev.nexus.api.evolution.FitnessResult;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Round-trip latency of one score call through the sandbox (host encodes, child JVM decodes, scores,
 * encodes, host validates) against calling the same plugin class in-process, in the same run. Also
 * the cold start of a child JVM (start, load, first score). The plugin is the test "good" plugin
 * (cheap scoring), so the figures are the sandbox's overhead.
 *
 * <p>Run: {@code ./nexus bench dev.nexus.host.sandbox.SandboxBenchmark [calls]} (default 3000 calls
 * per round for the small request, a tenth of that for the large one; 3 measured rounds after a
 * warm-up round).
 */
public final class SandboxBenchmark {

    private SandboxBenchmark() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        Path dir = Files.createTempDirectory("nexus-sandbox-bench-");
        Path jar = PluginSources.goodJar(dir);
        // The baseline loads the plugin into this (benchmark) JVM; the host never does.
        URLClassLoader loader =
                new URLClassLoader(new URL[] {jar.toUri().toURL()}, SandboxBenchmark.class.getClassLoader());
        FitnessFunction inProcess =
                (FitnessFunction) loader.loadClass("good.Good").getConstructor().newInstance();
        System.out.printf(
                "machine: %d cores, %s %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"));

        try (FitnessSandbox sandbox = SandboxFixtures.sandbox(SandboxFixtures.config(dir))) {
            String sha = sandbox.refresh().getFirst().sha256();
            sandbox.enable(sha);
            System.out.printf("isolation: %s%n", sandbox.isolation().label());
            System.out.println(
                    "| request | in-process median | in-process p99 | sandbox median | sandbox p99 | ratio (median) |");
            System.out.println("|---|---|---|---|---|---|");
            for (int[] shape : new int[][] {{32, 50, calls}, {256, 1000, Math.max(50, calls / 10)}}) {
                FitnessRequest request = request(shape[0], shape[1]);
                int n = shape[2];
                long[] direct = new long[0];
                long[] boxed = new long[0];
                for (int round = 0; round < 4; round++) {
                    long[] d = time(n, () -> check(inProcess.score(request)));
                    long[] b = time(n, () -> check(sandbox.score(sha, request)));
                    if (round > 0) { // round 0 is warm-up
                        direct = concat(direct, d);
                        boxed = concat(boxed, b);
                    }
                }
                System.out.printf(
                        "| %d candidates, %d samples | %s | %s | %s | %s | %.0fx |%n",
                        shape[0],
                        shape[1],
                        micros(percentile(direct, 50)),
                        micros(percentile(direct, 99)),
                        micros(percentile(boxed, 50)),
                        micros(percentile(boxed, 99)),
                        (double) percentile(boxed, 50) / percentile(direct, 50));
            }
        }

        long[] cold = new long[7];
        for (int i = 0; i < cold.length; i++) {
            Path fresh = Files.createTempDirectory("nexus-sandbox-cold-");
            PluginSources.goodJar(fresh);
            try (FitnessSandbox sandbox = SandboxFixtures.sandbox(SandboxFixtures.config(fresh))) {
                String sha = sandbox.refresh().getFirst().sha256();
                sandbox.enable(sha);
                long start = System.nanoTime();
                check(sandbox.score(sha, request(32, 50)));
                cold[i] = System.nanoTime() - start;
            }
        }
        System.out.printf(
                "cold start (child JVM start + load + first score), median of %d: %s ms%n",
                cold.length, percentile(cold, 50) / 1_000_000);
    }

    private static FitnessRequest request(int candidates, int samples) {
        SplittableRandom random = new SplittableRandom(1);
        List<String> traits = List.of("warmth", "verbosity", "formality", "humor", "directness", "curiosity");
        List<double[]> vectors = new ArrayList<>();
        for (int i = 0; i < candidates; i++) {
            vectors.add(random.doubles(traits.size()).toArray());
        }
        List<FeedbackSample> evidence = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            evidence.add(new FeedbackSample(
                    random.doubles(traits.size()).toArray(),
                    random.nextInt(5) / 4.0,
                    random.nextInt(3) == 0 ? Map.of("verbosity", -1) : Map.of(),
                    50 + random.nextInt(2000),
                    40));
        }
        return new FitnessRequest("support", traits, vectors, evidence, 7);
    }

    private static void check(Object result) {
        if (!(result instanceof FitnessResult.Scores) && !(result instanceof ScoreOutcome.Scored)) {
            throw new IllegalStateException("unexpected result " + result);
        }
    }

    private static long[] time(int calls, Runnable call) {
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String micros(long nanos) {
        return String.format("%.1f µs", nanos / 1000.0);
    }
}
