package dev.nexus.host.tasks;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolResult;
import dev.nexus.api.tool.ToolSpec;
import dev.nexus.host.approval.ApprovalConfig;
import dev.nexus.host.approval.ProposalService;
import dev.nexus.host.approval.ToolCallProposals;
import dev.nexus.host.db.Database;
import dev.nexus.host.plugins.PluginRuntime;
import dev.nexus.host.plugins.PluginsConfig;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import dev.nexus.host.tools.ExternalTool;
import dev.nexus.host.tools.ToolExecutor;
import dev.nexus.host.tools.ToolsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the durable queue costs per task: N no-op low-risk tasks submitted at once and run by one or
 * two workers on one database (H2 file, and PostgreSQL when {@code NEXUS_TEST_PG_URL} is set), as
 * tasks per second and the median and p99 of submit-to-completion latency. Baseline in the same run:
 * the same tool called inline through the tool executor (what a low-risk call in a chat turn costs),
 * so the difference is the queue: the insert with its audit row, the claim transaction, the completion
 * transaction, the wake-up.
 *
 * <p>Run: {@code ./nexus bench dev.nexus.host.tasks.TaskQueueBenchmark [tasks]} (default 1000).
 */
public final class TaskQueueBenchmark {

    private TaskQueueBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        System.out.printf(
                "machine: %d cores, %s %s; %d tasks per run%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                n);
        System.out.println(
                "| database | workers x concurrency | tasks/s | latency median | latency p99 | inline call median |");
        System.out.println("|---|---|---|---|---|---|");
        List<Database.Kind> kinds = new ArrayList<>(List.of(Database.Kind.H2));
        if (TestDatabases.postgresAvailable()) {
            kinds.add(Database.Kind.POSTGRESQL);
        }
        for (Database.Kind kind : kinds) {
            for (int[] shape : new int[][] {{1, 4}, {1, 16}, {2, 16}}) {
                run(kind, shape[0], shape[1], Math.max(100, n / 5), false); // warm-up
                run(kind, shape[0], shape[1], n, true);
            }
        }
        System.exit(0);
    }

    private static void run(Database.Kind kind, int workers, int concurrency, int n, boolean print) throws Exception {
        Path dir = Files.createTempDirectory("nexus-task-bench-");
        ExternalTool noop = new ExternalTool(
                "bench",
                new ToolSpec(
                        "bench_noop",
                        "does nothing, fast",
                        "{\"type\":\"object\",\"properties\":{\"i\":{\"type\":\"integer\"}}}",
                        RiskLevel.LOW),
                call -> new ToolResult.Success("ok", "text/plain"));
        long[] submitted = new long[n];
        long[] latencies = new long[n];
        int[] done = {0};
        CountDownLatch all = new CountDownLatch(n);
        try (TestDatabase db = TestDatabases.of(kind);
                PluginRuntime runtime = new PluginRuntime(
                        new PluginsConfig(dir.toString(), "", List.of(), Map.of()),
                        dir,
                        id -> Map.of(),
                        Clock.systemUTC())) {
            runtime.start();
            TasksConfig config = new TasksConfig(true, 200, 3, 100, 1000, concurrency, null, 30_000);
            List<TaskService> services = new ArrayList<>();
            List<ToolExecutor> executors = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                ProposalService proposals =
                        new ProposalService(db.database(), Clock.systemUTC(), ApprovalConfig.defaults());
                TaskService tasks = new TaskService(
                        db.database(),
                        Clock.systemUTC(),
                        config,
                        new ToolCallProposals(proposals),
                        new SplittableRandom(w));
                ToolExecutor executor = new ToolExecutor(
                        runtime, new ToolsConfig(10_000, 1000, null, null), tasks, () -> List.of(noop));
                tasks.onSettled(task -> {
                    int i = ((Number) task.params().get("i")).intValue();
                    synchronized (done) {
                        latencies[done[0]++] = System.nanoTime() - submitted[i];
                    }
                    all.countDown();
                });
                tasks.start(executor, 10_000);
                services.add(tasks);
                executors.add(executor);
            }
            long[] inline = new long[Math.min(n, 500)];
            for (int i = 0; i < inline.length; i++) {
                long t = System.nanoTime();
                executors.get(0).execute("inline-" + i, "bench_noop", "{\"i\":" + i + "}", "bench", "api");
                inline[i] = System.nanoTime() - t;
            }
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                submitted[i] = System.nanoTime();
                services.get(i % workers)
                        .submit(new TaskService.Request(
                                "bench", "noop", Map.of("i", (long) i), "bench", "api", "bench"));
            }
            if (!all.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + (n - all.getCount()) + " of " + n + " tasks finished");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (TaskService service : services) {
                service.close();
            }
            for (ToolExecutor executor : executors) {
                executor.close();
            }
            if (print) {
                Arrays.sort(latencies);
                Arrays.sort(inline);
                System.out.printf(
                        "| %s | %d x %d | %,.0f | %.1f ms | %.1f ms | %.3f ms |%n",
                        kind,
                        workers,
                        concurrency,
                        n / seconds,
                        latencies[n / 2] / 1e6,
                        latencies[(int) (n * 0.99)] / 1e6,
                        inline[inline.length / 2] / 1e6);
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }
}
