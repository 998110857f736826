package dev.nexus.host.conversation;

import dev.nexus.host.auth.ApiKeys;
import dev.nexus.host.db.Database;
import dev.nexus.host.db.DatabaseConfig;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.HttpServer;
import dev.nexus.host.http.Route;
import dev.nexus.host.http.ServerConfig;
import dev.nexus.host.llm.FinishReason;
import dev.nexus.host.llm.LanguageModel;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.LlmSettings;
import dev.nexus.host.llm.ModelDescription;
import dev.nexus.host.llm.ModelReply;
import dev.nexus.host.llm.ModelRequest;
import dev.nexus.host.llm.TokenSink;
import dev.nexus.host.llm.TokenUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the host adds to a chat turn, with a model that answers instantly:
 * <ol>
 *   <li>in process: {@link ConversationService#chat} latency (store the message, resolve, recall,
 *       compose, "call" the model, store the reply), median and p99, against a single-row
 *       insert-and-commit on the same H2 database as the baseline;</li>
 *   <li>over HTTP on loopback: chat turns per second through {@code POST /v1/chat} with real API-key
 *       authentication, at several concurrency levels, against a hello-world route on the same server
 *       in the same run.</li>
 * </ol>
 * Client and server share the machine's cores. Run from the repository root:
 * {@code ./nexus bench dev.nexus.host.conversation.ChatTurnBenchmark [seconds-per-level]}.
 */
public final class ChatTurnBenchmark {

    private static final String KEY = "nxk_benchmark-user-key-0123456789abcdef";
    private static final Pattern CONVERSATION = Pattern.compile("\"conversation\":\"([^\"]+)\"");

    /** A model that answers at once, so only the host's own work is measured. */
    private static final class InstantModel implements LanguageModel {
        private static final ModelDescription DESCRIPTION = new ModelDescription("bench", "instant", "", false);

        @Override
        public ModelReply chat(ModelRequest request) {
            return new ModelReply("Noted.", new TokenUsage(0, 1), FinishReason.STOP, DESCRIPTION, List.of());
        }

        @Override
        public ModelReply stream(ModelRequest request, TokenSink sink) {
            sink.accept("Noted.");
            return chat(request);
        }

        @Override
        public ModelDescription description() {
            return DESCRIPTION;
        }
    }

    private ChatTurnBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("nexus-chat-bench-");
        System.out.printf(
                "machine: %d cores, java %s; H2 file database in %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), dir);
        try (Database database = Database.open(DatabaseConfig.of("", "", ""), dir);
                ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            ConversationService service = new ConversationService(
                    database,
                    Personalities.withZen(),
                    Recall.none(),
                    List.of(),
                    LanguageModels.fixed(new InstantModel(), LlmSettings.offlineDefaults()),
                    ChatSettings.defaults(),
                    Clock.systemUTC(),
                    background);
            inProcess(service, database);
            overHttp(service, database, seconds);
        }
    }

    private static void inProcess(ConversationService service, Database database) {
        database.jdbi().useHandle(h -> h.execute("CREATE TABLE bench_baseline (id BIGINT PRIMARY KEY, body VARCHAR)"));
        int warmup = 3000;
        int measured = 5000;
        String[] conversations = new String[8];
        long[] turns = new long[measured];
        long[] baseline = new long[measured];
        for (int i = 0; i < warmup + measured; i++) {
            int slot = i % conversations.length;
            ChatRequest request = ChatRequest.api(
                    "zen-engineer",
                    "user-" + slot,
                    Optional.ofNullable(conversations[slot]),
                    "How should I name this service, and why does it matter? (" + i + ")");
            long start = System.nanoTime();
            TurnResult turn = service.chat(request);
            long took = System.nanoTime() - start;
            conversations[slot] = turn.reply().conversation();
            long id = i;
            long baseStart = System.nanoTime();
            database.jdbi()
                    .useHandle(h -> h.createUpdate("INSERT INTO bench_baseline (id, body) VALUES (:id, :body)")
                            .bind("id", id)
                            .bind("body", "How should I name this service?")
                            .execute());
            long baseTook = System.nanoTime() - baseStart;
            if (i >= warmup) {
                turns[i - warmup] = took;
                baseline[i - warmup] = baseTook;
            }
        }
        Arrays.sort(turns);
        Arrays.sort(baseline);
        System.out.printf(
                "%nin-process chat turn (%d measured after %d warm-up, 8 conversations of growing history):%n",
                measured, warmup);
        System.out.printf("  turn:     median %.3f ms, p99 %.3f ms%n", millis(turns, 0.5), millis(turns, 0.99));
        System.out.printf(
                "  baseline: median %.3f ms, p99 %.3f ms (one INSERT + commit on the same H2)%n",
                millis(baseline, 0.5), millis(baseline, 0.99));
        System.out.printf("  ratio:    %.1fx the baseline at the median%n", millis(turns, 0.5) / millis(baseline, 0.5));
    }

    private static void overHttp(ConversationService service, Database database, int seconds) throws Exception {
        ApiKeys keys = new ApiKeys(database, Clock.systemUTC());
        keys.bootstrap(Optional.of(KEY));
        List<Route> routes = new ArrayList<>(new ChatRoutes(service).routes());
        routes.add(Route.get("/hello", Access.PUBLIC, exchange -> exchange.respond(200, Map.of("hello", "world"))));
        try (HttpServer server =
                HttpServer.start(new ServerConfig("127.0.0.1", 0, "unused", null), keys::authenticate, routes)) {
            URI base = server.baseUri();
            System.out.printf(
                    "%nover HTTP on loopback (%d s per level after %d s warm-up; client on the same cores):%n",
                    seconds, 2);
            System.out.printf("  %-12s %14s %14s %8s%n", "concurrency", "hello req/s", "chat turns/s", "ratio");
            for (int concurrency : new int[] {1, 4, 16, 64}) {
                double hello = load(base, concurrency, seconds, false);
                double chat = load(base, concurrency, seconds, true);
                System.out.printf("  %-12d %14.0f %14.0f %7.2fx%n", concurrency, hello, chat, hello / chat);
            }
        }
    }

    /** Runs {@code concurrency} sequential clients for a warm-up and then {@code seconds}; returns requests per second. */
    private static double load(URI base, int concurrency, int seconds, boolean chat) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        LongAdder done = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicBoolean counting = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            workers.add(Thread.ofVirtual().start(() -> {
                String conversation = null;
                int n = 0;
                while (running.get()) {
                    try {
                        HttpRequest request = chat
                                ? chatRequest(base, worker, conversation, n++)
                                : HttpRequest.newBuilder(base.resolve("/hello"))
                                        .GET()
                                        .build();
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            failed.increment();
                            continue;
                        }
                        if (chat && conversation == null) {
                            Matcher m = CONVERSATION.matcher(response.body());
                            conversation = m.find() ? m.group(1) : null;
                        }
                        if (counting.get()) {
                            done.increment();
                        }
                    } catch (Exception e) {
                        failed.increment();
                    }
                }
            }));
        }
        Thread.sleep(2000);
        counting.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        counting.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        running.set(false);
        for (Thread worker : workers) {
            worker.join();
        }
        if (failed.sum() > 0) {
            System.out.printf(
                    "  (%d failed requests at concurrency %d, %s)%n",
                    failed.sum(), concurrency, chat ? "chat" : "hello");
        }
        return done.sum() / elapsed;
    }

    private static HttpRequest chatRequest(URI base, int worker, String conversation, int n) {
        String body = "{\"personality\":\"zen-engineer\",\"user\":\"load-" + worker + "\","
                + (conversation == null ? "" : "\"conversation\":\"" + conversation + "\",")
                + "\"message\":\"Turn " + n + ": how should I name this service?\"}";
        return HttpRequest.newBuilder(base.resolve("/v1/chat"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static double millis(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length));
        return sorted[index] / 1e6;
    }
}
