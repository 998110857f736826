package dev.nexus.host.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Cold start: wall time from process start to the first {@code /health} = 200, with every
 * first-party plugin and bundled personality loaded, as {@code ./nexus run} starts the server.
 * Measured for a first start (empty data directory: schema migration, key generation) and a restart
 * (existing data), against a bare Javalin process answering {@code /health} in the same run, with
 * the JVM options and start-up cache {@code ./nexus run} uses, and a restart without the cache.
 *
 * <p>Run from the repository root: {@code ./nexus bench dev.nexus.host.bench.ColdStartBenchmark [runs]}.
 */
public final class ColdStartBenchmark {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
    private static final String KEY = "nxk_benchmark-admin-key-0123456789";

    private ColdStartBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path root = Path.of("").toAbsolutePath();
        Path jar = root.resolve("host/target/nexus-host.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build first: " + jar + " is missing (./nexus bench builds it)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String testClassPath = System.getProperty("java.class.path");
        // What ./nexus run passes (./nexus bench sets these from the same lines of the nexus script).
        List<String> server = words(System.getenv().getOrDefault("NEXUS_SERVER_JAVA_OPTS", ""));
        List<String> cache = words(System.getenv().getOrDefault("NEXUS_SERVER_STARTUP_CACHE", ""));
        Path trainingData = Files.createTempDirectory("nexus-coldstart-training-");
        Map<String, String> trainingEnv = environment(root, trainingData);
        cache = prepareStartupCache(java, jar, server, cache, trainingEnv);
        List<String> withCache = new ArrayList<>(server);
        withCache.addAll(cache);

        List<Long> bare = new ArrayList<>();
        List<Long> first = new ArrayList<>();
        List<Long> restart = new ArrayList<>();
        List<Long> restartNoCache = new ArrayList<>();
        int started = -1;
        for (int i = 0; i < runs; i++) {
            bare.add(measure(
                    port -> new ProcessBuilder(
                            java, "-cp", testClassPath, BareJavalinMain.class.getName(), Integer.toString(port)),
                    Map.of()));
            Map<String, String> env = environment(root, Files.createTempDirectory("nexus-coldstart-"));
            first.add(measure(port -> new ProcessBuilder(command(java, withCache, jar)), env));
            long[] plugins = new long[1];
            restart.add(measureThen(
                    port -> new ProcessBuilder(command(java, withCache, jar)),
                    env,
                    port -> plugins[0] = countStarted(port)));
            started = (int) plugins[0];
            if (!cache.isEmpty()) {
                restartNoCache.add(measure(port -> new ProcessBuilder(command(java, server, jar)), env));
            }
        }
        System.out.printf(
                "runs: %d, machine: %d cores, java %s%n",
                runs, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf("server JVM options: %s; start-up cache: %s%n", server, cache);
        System.out.printf("plugins started at restart: %d%n", started);
        report("bare Javalin /health (baseline)", bare, median(bare));
        report("Nexus first start (empty data dir)", first, median(bare));
        report("Nexus restart (existing data)", restart, median(bare));
        if (!restartNoCache.isEmpty()) {
            report("Nexus restart without start-up cache", restartNoCache, median(bare));
        }
    }

    /**
     * Makes the start-up cache the nexus script names exist before anything is measured, as the
     * first {@code ./nexus run} after a build does: a JDK 25 AOT cache is recorded by one start and
     * written when that server stops; a dynamic CDS archive is written at the first exit. Returns
     * the options that use the cache.
     */
    private static List<String> prepareStartupCache(
            String java, Path jar, List<String> server, List<String> cache, Map<String, String> env) throws Exception {
        if (cache.isEmpty()) {
            return cache;
        }
        List<String> training = new ArrayList<>(server);
        training.addAll(cache);
        measure(port -> new ProcessBuilder(command(java, training, jar)), env);
        return cache.stream()
                .map(option -> option.replace("-XX:AOTCacheOutput=", "-XX:AOTCache="))
                .toList();
    }

    private static Map<String, String> environment(Path root, Path data) {
        return Map.of(
                "NEXUS_DATA_DIR", data.toString(),
                "NEXUS_PLUGINS_DEV_ROOT", root.resolve("plugins").toString(),
                "NEXUS_PERSONALITIES_DIR", root.resolve("personalities").toString(),
                "NEXUS_ADMIN_KEY", KEY);
    }

    private static List<String> command(String java, List<String> options, Path jar) {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options);
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    private static long measure(IntFunction<ProcessBuilder> command, Map<String, String> env) throws Exception {
        return measureThen(command, env, port -> {});
    }

    private static long measureThen(
            IntFunction<ProcessBuilder> command, Map<String, String> env, java.util.function.IntConsumer after)
            throws Exception {
        int port = freePort();
        ProcessBuilder builder =
                command.apply(port).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        builder.environment().put("NEXUS_PORT", Integer.toString(port));
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("server exited with " + process.exitValue());
                }
                try {
                    HttpResponse<Void> response = CLIENT.send(
                            HttpRequest.newBuilder(health)
                                    .timeout(Duration.ofSeconds(1))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    Thread.sleep(5);
                }
                if (System.nanoTime() - start > Duration.ofSeconds(60).toNanos()) {
                    throw new IllegalStateException("no /health within 60 s");
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            after.accept(port);
            return millis;
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    private static long countStarted(int port) {
        try {
            HttpResponse<String> response = CLIENT.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/plugins"))
                            .header("Authorization", "Bearer " + KEY)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body().split("\"state\":\"started\"", -1).length - 1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void report(String label, List<Long> values, long baseline) {
        long median = median(values);
        System.out.printf(
                "%-38s median %5d ms  min %5d  max %5d  ratio to baseline %.2fx  %s%n",
                label, median, Collections.min(values), Collections.max(values), (double) median / baseline, values);
    }
}
