package dev.nexus.host.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The full turn over HTTP, as a self-hoster runs it: {@code java -jar host/target/nexus-host.jar} in
 * a child process with the JVM settings {@code ./nexus run} uses, every first-party plugin and bundled
 * personality, the offline model, the local embedding model, memory (recall with the query's
 * embedding, fact extraction after the turn) and knowledge (the personality {@code performance-engineer}
 * references the {@code software-engineering} pack; the messages name its topics). Load generator:
 * {@code wrk} (Debian package {@code wrk}) with a Lua script that sends {@code POST /v1/chat}, each
 * request a new message (so the embedding cache does not answer it) from one of 200 users.
 *
 * <p>Baseline in the same run: the same wrk command against a bare Javalin route
 * ({@link BareJavalinMain}: {@code POST /v1/chat} reading the body and answering a fixed JSON), before
 * and after the host's rounds. Also printed: the host's RSS after the load, the stage histograms of
 * {@code /metrics} (mean per stage) and the SQL statements per turn when {@code --count-sql} is given.
 *
 * <p>Run from the repository root:
 * {@code ./nexus bench dev.nexus.host.bench.FullTurnBenchmark [--seconds 20] [--rounds 3] [--connections 32]
 * [--database-url jdbc:postgresql://…] [--java-opts "…"] [--warmup 10] [--host-jar path/to/nexus-host.jar]
 * [--startup-cache off]}:
 * {@code --warmup} is the seconds of load before the measured rounds (the JIT compiles the turn's code
 * meanwhile), {@code --host-jar} runs another build's host (e.g. main's, for a before/after in one sitting);
 * the host maps the start-up cache {@code ./nexus run} maps (recorded first when the build has none) unless
 * {@code --startup-cache off}. After the load it prints the RSS by kind of mapping and the thread count.
 */
public final class FullTurnBenchmark {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private static final String KEY = "nxk_benchmark-admin-key-0123456789";
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern RESULT = Pattern.compile(
            "RESULT requests=(\\d+) non2xx=(\\d+) errors=(\\d+) timeouts=(\\d+) p50us=(\\d+) p99us=(\\d+)");

    private FullTurnBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int connections = Integer.parseInt(options.getOrDefault("connections", "32"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "10"));
        String postgres = options.getOrDefault("database-url", "");
        Path root = Path.of("").toAbsolutePath();
        // Another build's jar (e.g. main's, built in another worktree) measures a before/after in one sitting.
        Path jar = Path.of(options.getOrDefault(
                        "host-jar", root.resolve("host/target/nexus-host.jar").toString()))
                .toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build first: " + jar + " is missing (./nexus bench builds it)");
        }
        requireWrk();
        Path script = Files.createTempFile("nexus-full-turn-", ".lua");
        Files.writeString(script, luaScript());
        String java = ProcessHandle.current().info().command().orElse("java");

        List<Run> bare = new ArrayList<>();
        List<Run> nexus = new ArrayList<>();
        List<Double> cpuPerTurn = new ArrayList<>();
        Map<String, Long> threadCpu = new java.util.TreeMap<>();
        long answered = 0;
        bare.add(bareRound(java, script, seconds, connections));

        Path data = Files.createTempDirectory("nexus-full-turn-");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java));
        // --java-opts, else NEXUS_JAVA_OPTS, else what ./nexus run uses (./nexus bench passes it in
        // NEXUS_SERVER_JAVA_OPTS).
        String javaOpts = options.getOrDefault(
                "java-opts",
                System.getenv()
                        .getOrDefault("NEXUS_JAVA_OPTS", System.getenv().getOrDefault("NEXUS_SERVER_JAVA_OPTS", "")));
        if (!javaOpts.isBlank()) {
            command.addAll(List.of(javaOpts.trim().split("\\s+")));
        }
        // The start-up cache ./nexus run maps (a mapped AOT cache is part of the RSS), unless --startup-cache off.
        // Not with another build's jar: the cache's file name fingerprints this build's jars.
        List<String> cache =
                options.getOrDefault("startup-cache", "on").equals("off") || options.containsKey("host-jar")
                        ? List.of()
                        : words(System.getenv().getOrDefault("NEXUS_SERVER_STARTUP_CACHE", ""));
        command.addAll(cache);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("host.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("NEXUS_DATA_DIR", data.toString());
        env.put("NEXUS_PLUGINS_DEV_ROOT", root.resolve("plugins").toString());
        env.put("NEXUS_PERSONALITIES_DIR", root.resolve("personalities").toString());
        env.put("NEXUS_ADMIN_KEY", KEY);
        env.put("NEXUS_PORT", Integer.toString(port));
        env.put(
                "NEXUS_LIMITS_ENABLED",
                "false"); // one key sends every turn: the per-key limit would be measured instead
        if (!postgres.isBlank()) {
            env.put("NEXUS_DATABASE_URL", postgres);
        }
        if (cache.stream().anyMatch(option -> option.startsWith("-XX:AOTCacheOutput="))) {
            recordStartupCache(builder, port); // as the first ./nexus run after a build does
            command.replaceAll(option -> option.replace("-XX:AOTCacheOutput=", "-XX:AOTCache="));
        }
        long started = System.nanoTime();
        Process host = builder.start();
        try {
            String base = "http://127.0.0.1:" + port;
            awaitStatus(host, base + "/health/ready", 200);
            long ready = (System.nanoTime() - started) / 1_000_000;
            awaitEmbeddingModel(host, base);
            System.out.printf("host ready after %d ms (pid %d, log %s)%n", ready, host.pid(), data.resolve("host.log"));
            System.out.println(
                    "warm-up: " + wrk(script, base, warmup, connections).summary());
            for (int i = 0; i < rounds; i++) {
                long cpuBefore = cpuMillis(host.pid());
                Map<String, Long> threadsBefore = threadCpuMillis(host.pid());
                Run run = wrk(script, base, seconds, connections);
                cpuPerTurn.add(
                        (double) (cpuMillis(host.pid()) - cpuBefore) / Math.max(1, run.requests() - run.non2xx()));
                threadCpuMillis(host.pid())
                        .forEach((group, ms) ->
                                threadCpu.merge(group, ms - threadsBefore.getOrDefault(group, 0L), Long::sum));
                answered += run.requests() - run.non2xx();
                nexus.add(run);
                System.out.println("nexus round " + (i + 1) + ": " + run.summary());
            }
            long rss = rssKilobytes(host.pid(), "VmRSS");
            long hwm = rssKilobytes(host.pid(), "VmHWM");
            String memory = memoryBreakdown(host.pid());
            String metrics = get(base + "/metrics");
            if (javaOpts.contains("NativeMemoryTracking")) { // where the RSS goes, by JVM area
                Process jcmd = new ProcessBuilder("jcmd", Long.toString(host.pid()), "VM.native_memory", "summary")
                        .redirectErrorStream(true)
                        .start();
                System.out.println(new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                jcmd.waitFor();
            }
            host.destroy();
            host.waitFor();
            bare.add(bareRound(java, script, seconds, connections));

            double bareRate = median(bare.stream().map(Run::rate).toList());
            double nexusRate = median(nexus.stream().map(Run::rate).toList());
            System.out.printf(
                    "%nmachine: %d cores, java %s, load average before/after: see uptime%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.printf(
                    "load generator: wrk -t2 -c%d -d%ds --latency -s <script> (%d rounds after a %d s warm-up, median)%n",
                    connections, seconds, rounds, warmup);
            System.out.printf("host: %s%n", jar);
            System.out.printf(
                    "database: %s%n",
                    postgres.isBlank()
                            ? "H2 (embedded, default)"
                            : postgres.replaceAll("password=[^&;]*", "password=…"));
            System.out.printf("bare Javalin POST route (baseline): %.0f req/s median of %s%n", bareRate, rates(bare));
            System.out.printf(
                    "Nexus full turn: %.0f turns/s median of %s (%.1f%% of the baseline), p50 %s, p99 %s%n",
                    nexusRate,
                    rates(nexus),
                    100 * nexusRate / bareRate,
                    median(nexus.stream().map(r -> (double) r.p50us()).toList()) / 1000 + " ms",
                    median(nexus.stream().map(r -> (double) r.p99us()).toList()) / 1000 + " ms");
            double cpu = median(cpuPerTurn);
            System.out.printf(
                    "host CPU per answered turn (user + system, all threads): %.2f ms median of %s;"
                            + " at that cost %d free cores would answer about %.0f turns/s%n",
                    cpu,
                    cpuPerTurn.stream().map(c -> String.format("%.2f", c)).toList(),
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors() * 1000 / cpu);
            System.out.printf(
                    "RSS after the load: %d MB (peak %d MB), JVM options: '%s', start-up cache: %s, MALLOC_ARENA_MAX=%s%n",
                    rss / 1024,
                    hwm / 1024,
                    javaOpts,
                    cache.isEmpty() ? "none" : cache.getFirst().replaceAll("^-XX:AOTCache(Output)?=.*/", "AOT "),
                    System.getenv().getOrDefault("MALLOC_ARENA_MAX", "(unset)"));
            System.out.print(memory);
            long turns = Math.max(1, answered);
            System.out.println(
                    "host CPU per answered turn by thread (all rounds, ms; threads that ended during a round are missed):");
            threadCpu.entrySet().stream()
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> System.out.printf("  %-24s %.2f%n", e.getKey(), (double) e.getValue() / turns));
            System.out.println("stage means from /metrics (count, mean ms):");
            stageMeans(metrics).forEach((stage, figure) -> System.out.println("  " + stage + ": " + figure));
        } finally {
            host.destroyForcibly();
        }
    }

    /** One wrk run's figures. */
    record Run(double rate, long requests, long non2xx, long errors, long timeouts, long p50us, long p99us) {
        String summary() {
            return String.format(
                    "%.0f/s, %d requests, %d non-2xx, %d socket errors, %d timeouts, p50 %.1f ms, p99 %.1f ms",
                    rate, requests, non2xx, errors, timeouts, p50us / 1000.0, p99us / 1000.0);
        }
    }

    private static Run bareRound(String java, Path script, int seconds, int connections) throws Exception {
        int port = freePort();
        Process bare = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        BareJavalinMain.class.getName(),
                        Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            String base = "http://127.0.0.1:" + port;
            awaitStatus(bare, base + "/health", 200);
            wrk(script, base, 5, connections);
            Run run = wrk(script, base, seconds, connections);
            System.out.println("bare Javalin: " + run.summary());
            return run;
        } finally {
            bare.destroy();
            bare.waitFor();
        }
    }

    private static Run wrk(Path script, String base, int seconds, int connections) throws Exception {
        Process wrk = new ProcessBuilder(
                        "wrk",
                        "-t2",
                        "-c" + connections,
                        "-d" + seconds + "s",
                        "--timeout",
                        "10s",
                        "--latency",
                        "-s",
                        script.toString(),
                        base)
                .redirectErrorStream(true)
                .start();
        String output = new String(wrk.getInputStream().readAllBytes());
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        Matcher rate = RATE.matcher(output);
        Matcher result = RESULT.matcher(output);
        if (!rate.find() || !result.find()) {
            throw new IllegalStateException("unexpected wrk output: " + output);
        }
        return new Run(
                Double.parseDouble(rate.group(1)),
                Long.parseLong(result.group(1)),
                Long.parseLong(result.group(2)),
                Long.parseLong(result.group(3)),
                Long.parseLong(result.group(4)),
                Long.parseLong(result.group(5)),
                Long.parseLong(result.group(6)));
    }

    /** Each request a new message (a counter per wrk thread), from one of 200 users, to performance-engineer. */
    private static String luaScript() {
        return """
                local thread_no = 0
                local threads = {}
                function setup(thread)
                  thread:set("id", thread_no)
                  thread_no = thread_no + 1
                  table.insert(threads, thread)
                end
                local messages = {
                  "My name is Sam and I work on a payment service written in Java.",
                  "Our database queries got slow after the last release, any idea why?",
                  "I prefer short answers. How should I profile a slow endpoint?",
                  "We deploy with Kubernetes and the pods restart under load.",
                  "I live in Lisbon and I am learning about caching strategies.",
                  "The connection pool is exhausted at peak traffic. What should I check?",
                  "I like benchmarking with wrk. Is p99 latency more useful than the mean?",
                  "My team uses PostgreSQL and the index is not used by the planner."
                }
                local counter = 0
                function request()
                  counter = counter + 1
                  local n = counter * 2 + id
                  local user = "user" .. (n % 200)
                  local message = messages[(n % #messages) + 1] .. " (turn " .. n .. ")"
                  local body = '{"personality":"performance-engineer","user":"' .. user .. '","message":"' .. message .. '"}'
                  return wrk.format("POST", "/v1/chat", {["Content-Type"] = "application/json",
                    ["Authorization"] = "Bearer KEY"}, body)
                end
                function done(summary, latency, requests)
                  io.write(string.format("RESULT requests=%d non2xx=%d errors=%d timeouts=%d p50us=%d p99us=%d\\n",
                    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write,
                    summary.errors.timeout, latency:percentile(50), latency:percentile(99)))
                end
                """.replace("KEY", KEY);
    }

    private static Map<String, String> stageMeans(String metrics) {
        Map<String, Double> sums = new LinkedHashMap<>();
        Map<String, Double> counts = new LinkedHashMap<>();
        Pattern line = Pattern.compile(
                "^nexus_turn_stage_seconds_(sum|count)\\{stage=\"([a-z]+)\"\\} ([0-9.eE+-]+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(metrics);
        while (m.find()) {
            (m.group(1).equals("sum") ? sums : counts).put(m.group(2), Double.parseDouble(m.group(3)));
        }
        Map<String, String> means = new LinkedHashMap<>();
        counts.forEach((stage, count) -> means.put(
                stage,
                String.format("%.0f, %.3f ms", count, count == 0 ? 0 : 1000 * sums.getOrDefault(stage, 0.0) / count)));
        return means;
    }

    private static void awaitEmbeddingModel(Process host, String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!get(base + "/v1/memory/stats").contains("\"embeddingModelReady\":true")) {
            if (!host.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the embedding model did not load within 120 s");
            }
            Thread.sleep(100);
        }
    }

    private static void awaitStatus(Process process, String url, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue());
            }
            try {
                HttpResponse<Void> response = CLIENT.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == status) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + status + " from " + url + " within 120 s");
            }
            Thread.sleep(20);
        }
    }

    private static String get(String url) throws Exception {
        return CLIENT.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + KEY)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /**
     * Starts the host with {@code builder}'s command (which records a JDK 25 AOT cache) until it is ready, then
     * stops it with SIGTERM: the JVM writes the cache as it exits.
     */
    private static void recordStartupCache(ProcessBuilder builder, int port) throws Exception {
        System.out.println("recording the start-up cache (first start of this build) ...");
        Process training = builder.start();
        try {
            awaitStatus(training, "http://127.0.0.1:" + port + "/health/ready", 200);
            training.destroy();
            training.waitFor();
        } finally {
            training.destroyForcibly();
        }
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    private static final Pattern HEAP_ADDRESS = Pattern.compile("0x([0-9a-f]{8,16})");
    private static final Pattern MAPPING = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) (\\S+) \\S+ \\S+ \\S+\\s*(.*)$");
    private static final long MALLOC_ARENA = 64L << 20; // glibc's HEAP_MAX_SIZE on 64-bit

    /**
     * Where the resident memory lies, from {@code /proc/<pid>/smaps}: the Java heap (its address range from
     * {@code jcmd GC.heap_info}), glibc's malloc arenas (the {@code [heap]} of the main arena and the 64 MiB
     * aligned mappings of the others), other anonymous memory (the JVM's metaspace, code cache, thread
     * stacks; ONNX Runtime's large buffers, which malloc maps on their own), file mappings by file; and the
     * number of the process's threads.
     */
    private static String memoryBreakdown(long pid) {
        try {
            long heapLow = Long.MAX_VALUE;
            long heapHigh = 0;
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info")
                    .redirectErrorStream(true)
                    .start();
            String heapInfo = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor();
            for (String line : heapInfo.lines().toList()) {
                if (line.contains("[0x")) { // a space's [bottom, top, end)
                    Matcher address = HEAP_ADDRESS.matcher(line.substring(line.indexOf('[')));
                    while (address.find()) {
                        long value = Long.parseUnsignedLong(address.group(1), 16);
                        heapLow = Math.min(heapLow, value);
                        heapHigh = Math.max(heapHigh, value);
                    }
                }
            }
            Map<String, Long> kb = new LinkedHashMap<>();
            Map<String, Long> files = new java.util.TreeMap<>();
            String kind = null;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
                Matcher mapping = MAPPING.matcher(line);
                if (mapping.matches()) {
                    long start = Long.parseUnsignedLong(mapping.group(1), 16);
                    long end = Long.parseUnsignedLong(mapping.group(2), 16);
                    String name = mapping.group(4).trim();
                    if (name.startsWith("/")) {
                        kind = "file " + name.substring(name.lastIndexOf('/') + 1);
                    } else if (start >= heapLow && end <= heapHigh + 1) {
                        kind = "Java heap";
                    } else if (name.equals("[heap]")
                            || (name.isEmpty() && start % MALLOC_ARENA == 0 && end - start <= MALLOC_ARENA)) {
                        kind = "malloc arenas ([heap] and 64 MiB aligned)";
                    } else if (name.isEmpty() || name.startsWith("[anon")) {
                        kind = "other anonymous (JVM non-heap, stacks, large mallocs)";
                    } else {
                        kind = name;
                    }
                } else if (line.startsWith("Rss:") && kind != null) {
                    long value = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    (kind.startsWith("file ") ? files : kb).merge(kind, value, Long::sum);
                }
            }
            long filesTotal = files.values().stream().mapToLong(Long::longValue).sum();
            StringBuilder out = new StringBuilder("RSS by mapping (/proc/<pid>/smaps, MB):\n");
            kb.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> out.append(String.format("  %-56s %6.1f%n", e.getKey(), e.getValue() / 1024.0)));
            out.append(String.format("  %-56s %6.1f%n", "files, of which:", filesTotal / 1024.0));
            files.entrySet().stream()
                    .filter(e -> e.getValue() >= 1024)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> out.append(String.format("    %-54s %6.1f%n", e.getKey(), e.getValue() / 1024.0)));
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                out.append("threads of the host process: ")
                        .append(tasks.count())
                        .append('\n');
            }
            return out.toString();
        } catch (IOException | RuntimeException e) {
            return "RSS by mapping: not available (" + e + ")\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "RSS by mapping: interrupted\n";
        }
    }

    private static long rssKilobytes(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** User plus system CPU time of process {@code pid} so far, all its threads (from /proc). */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
        return ticks * 10; // USER_HZ is 100 on Linux
    }

    /**
     * CPU time (user + system, ms) of {@code pid}'s live threads, summed by thread name with its digits left
     * out: the request and background work ({@code ForkJoinPool-N-worker-N}, the carriers of virtual threads),
     * the JIT ({@code C2 CompilerThreadN}), the collector ({@code GC Thread#N}) and the rest.
     */
    private static Map<String, Long> threadCpuMillis(long pid) throws IOException {
        Map<String, Long> byName = new LinkedHashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[0-9]+", "N");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byName.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10, Long::sum);
                } catch (IOException | RuntimeException ended) {
                    // the thread ended while it was read
                }
            }
        }
        return byName;
    }

    private static void requireWrk() throws InterruptedException {
        try {
            new ProcessBuilder("wrk", "--version")
                    .redirectErrorStream(true)
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "this benchmark drives the host with wrk: install it (apt-get install wrk)", e);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("options come as --name value pairs, not '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String rates(List<Run> runs) {
        return runs.stream().map(r -> String.format("%.0f", r.rate())).toList().toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
