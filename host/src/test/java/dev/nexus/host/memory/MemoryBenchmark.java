package dev.nexus.host.memory;

import dev.nexus.host.json.Json;
import dev.nexus.host.llm.Embedder;
import dev.nexus.host.llm.Embedders;
import dev.nexus.host.llm.EmbeddingSettings;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * The memory benchmark (issue 16): evidence recall of Nexus's memory search on a long-conversation
 * QA file (format {@code nexus-memory-qa/1}, written by {@link LifeGenerator}), against a BM25 and a
 * dense-only (the same embedding model, exact cosine) baseline computed in the same run over the
 * same user turns.
 *
 * <p>Each ingest mode runs on a fresh real host (port 0, H2, a clock the benchmark sets to each
 * session's date), through the public HTTP API only:
 * <ul>
 *   <li>{@code facts}: every user turn is {@code POST /v1/memory/facts} with its date as
 *       {@code occurredAt} and its turn id as {@code externalId};</li>
 *   <li>{@code chat}: every user turn is a {@code POST /v1/chat} turn (one conversation per session)
 *       at its date; memory stores it as an episode and extracts facts from it.</li>
 * </ul>
 * Then every question is a {@code GET /v1/memory/search?limit=10} at the life's "now" (the clock set
 * to a day after the last session); a result counts for the turn it came from (a fact for the turn
 * it was stated or extracted in). Reported per category: evidence recall@5 and @10 (share of the
 * evidence turns in the top k, averaged over questions) and hit@10 (at least one in the top 10);
 * plus ingestion and search latency medians. Never a timed assertion.
 *
 * <p>Usage: {@code ./nexus bench dev.nexus.host.memory.MemoryBenchmark [--file qa.json | --seed 7
 * --lives 4 --sessions 150 --decoys 0.25] [--modes facts,chat] [--yaml "recency-boost: 0.2, fusion-k: 30"]} (the yaml
 * is added to the host's {@code memory} section, to try other weights; several variants separated by
 * {@code ;} run one after the other against the same baselines).
 */
public final class MemoryBenchmark {

    private static final int K = 10;
    private static final String PERSONA = """
            {"id": "keeper", "name": "Keeper", "description": "A personality that remembers.", "greetings": ["Hello."]}""";

    record Turn(String id, String text, Instant at) {}

    record Question(String id, String category, String text, List<String> evidence) {}

    record Life(String id, String timeZone, Instant now, List<List<Turn>> sessions, List<Question> questions) {
        List<Turn> turns() {
            return sessions.stream().flatMap(List::stream).toList();
        }
    }

    /** Recall figures of one method for one category. */
    static final class Score {
        int questions;
        double recall5;
        double recall10;
        int hits10;

        void add(List<String> ranked, List<String> evidence) {
            questions++;
            recall5 += found(ranked, evidence, 5);
            recall10 += found(ranked, evidence, 10);
            hits10 += found(ranked, evidence, 10) > 0 ? 1 : 0;
        }

        private static double found(List<String> ranked, List<String> evidence, int k) {
            Set<String> top = new HashSet<>(ranked.subList(0, Math.min(k, ranked.size())));
            return (double) evidence.stream().filter(top::contains).count() / evidence.size();
        }

        String cells() {
            return String.format(
                    Locale.ROOT,
                    "%5.3f %5.3f %5.3f",
                    recall5 / questions,
                    recall10 / questions,
                    (double) hits10 / questions);
        }
    }

    public static void main(String[] args) throws Exception {
        Path file = null;
        long seed = 7;
        int lives = 4;
        int sessions = 150;
        double decoys = LifeGenerator.DECOYS;
        List<String> modes = List.of("facts", "chat");
        String yaml = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--file" -> file = Path.of(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--lives" -> lives = Integer.parseInt(args[++i]);
                case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                case "--decoys" -> decoys = Double.parseDouble(args[++i]);
                case "--modes" -> modes = Arrays.asList(args[++i].split(","));
                case "--yaml" -> yaml = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Map<String, Object> document = file == null
                ? LifeGenerator.generate(seed, lives, sessions, decoys)
                : Json.readMap(Files.readString(file));
        List<Life> data = read(document);
        System.out.printf(
                Locale.ROOT,
                "memory benchmark: %s, %d lives, %d user turns, %d questions; cores %d, java %s%n",
                file == null
                        ? "generated seed " + seed + " (" + lives + " lives x " + sessions + " sessions, decoys "
                                + decoys + ")"
                        : file,
                data.size(),
                data.stream().mapToInt(l -> l.turns().size()).sum(),
                data.stream().mapToInt(l -> l.questions().size()).sum(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));

        Map<String, Map<String, Score>> baselines = baselines(data);
        for (String variant : yaml.split(";", -1)) {
            for (String mode : modes) {
                Map<String, Map<String, Score>> scores = new LinkedHashMap<>(baselines);
                scores.put("nexus", run(mode, data, variant));
                print(mode + (variant.isBlank() ? "" : " " + variant.strip()), scores);
            }
        }
        System.exit(0);
    }

    // ---- Baselines ----------------------------------------------------------------------------

    private static Map<String, Map<String, Score>> baselines(List<Life> data) {
        Embedder embedder = Embedders.create(
                new EmbeddingSettings(null, null, null, null, null, null), Executors.newVirtualThreadPerTaskExecutor());
        Map<String, Score> bm25 = new TreeMap<>();
        Map<String, Score> dense = new TreeMap<>();
        long started = System.nanoTime();
        for (Life life : data) {
            List<Turn> turns = life.turns();
            Bm25 index = new Bm25(turns.stream().map(Turn::text).toList());
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < turns.size(); i += 64) {
                vectors.addAll(embedder.embedAll(turns.subList(i, Math.min(turns.size(), i + 64)).stream()
                        .map(Turn::text)
                        .toList()));
            }
            for (Question q : life.questions()) {
                List<String> byBm25 = distinct(index.top(q.text(), turns.size()), turns);
                float[] query = embedder.embed(q.text());
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < turns.size(); i++) {
                    order.add(i);
                }
                double[] cos = new double[turns.size()];
                for (int i = 0; i < turns.size(); i++) {
                    cos[i] = dot(query, vectors.get(i));
                }
                order.sort((a, b) -> Double.compare(cos[b], cos[a]));
                List<String> byDense = distinct(order, turns);
                for (String category : List.of(q.category(), "all")) {
                    bm25.computeIfAbsent(category, c -> new Score()).add(byBm25, q.evidence());
                    dense.computeIfAbsent(category, c -> new Score()).add(byDense, q.evidence());
                }
            }
        }
        System.out.printf(Locale.ROOT, "baselines computed in %.1f s%n", (System.nanoTime() - started) / 1e9);
        Map<String, Map<String, Score>> result = new LinkedHashMap<>();
        result.put("bm25", bm25);
        result.put("dense", dense);
        return result;
    }

    /**
     * The first {@link #K} turns of {@code order}, a text said again counted once (as Nexus's search
     * does), so the baselines are not handicapped by repeated small talk.
     */
    private static List<String> distinct(List<Integer> order, List<Turn> turns) {
        Set<String> seen = new HashSet<>();
        List<String> ids = new ArrayList<>();
        for (int i : order) {
            if (ids.size() >= K) {
                break;
            }
            if (seen.add(turns.get(i)
                    .text()
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N}]+", " ")
                    .strip())) {
                ids.add(turns.get(i).id());
            }
        }
        return ids;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Plain Okapi BM25 (k1 1.2, b 0.75) over lower-cased words, English stop words removed, no stemming. */
    static final class Bm25 {
        private static final Set<String> STOP = Set.of(
                "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "is", "are", "was",
                "were", "be", "been", "i", "me", "my", "we", "our", "you", "your", "he", "she", "it", "his", "her",
                "they", "them", "their", "what", "which", "who", "where", "when", "how", "do", "does", "did", "this",
                "that", "these", "those", "as", "by", "from", "so", "am", "s", "t", "have", "has", "had", "not", "no",
                "just", "about", "there");
        private final List<Map<String, Integer>> docs = new ArrayList<>();
        private final Map<String, Integer> df = new HashMap<>();
        private final double avgLength;

        Bm25(List<String> texts) {
            long total = 0;
            for (String text : texts) {
                Map<String, Integer> tf = new HashMap<>();
                for (String w : words(text)) {
                    tf.merge(w, 1, Integer::sum);
                }
                tf.keySet().forEach(w -> df.merge(w, 1, Integer::sum));
                docs.add(tf);
                total += tf.values().stream().mapToInt(Integer::intValue).sum();
            }
            avgLength = texts.isEmpty() ? 1 : (double) total / texts.size();
        }

        List<Integer> top(String query, int k) {
            Set<String> terms = new LinkedHashSet<>(words(query));
            double[] scores = new double[docs.size()];
            for (int d = 0; d < docs.size(); d++) {
                Map<String, Integer> tf = docs.get(d);
                int length = tf.values().stream().mapToInt(Integer::intValue).sum();
                for (String term : terms) {
                    Integer f = tf.get(term);
                    if (f != null) {
                        double idf = Math.log(1 + (docs.size() - df.get(term) + 0.5) / (df.get(term) + 0.5));
                        scores[d] += idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * length / avgLength));
                    }
                }
            }
            List<Integer> order = new ArrayList<>();
            for (int d = 0; d < docs.size(); d++) {
                if (scores[d] > 0) {
                    order.add(d);
                }
            }
            order.sort((a, b) -> Double.compare(scores[b], scores[a]));
            return order.subList(0, Math.min(k, order.size()));
        }

        private static List<String> words(String text) {
            return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                    .filter(w -> !w.isEmpty() && !STOP.contains(w))
                    .toList();
        }
    }

    // ---- Nexus, through the API ---------------------------------------------------------------

    private static Map<String, Score> run(String mode, List<Life> data, String yaml) throws InterruptedException {
        MutableClock clock = new MutableClock(Instant.parse("2023-01-01T00:00:00Z"));
        List<Double> ingest = new ArrayList<>();
        List<Double> search = new ArrayList<>();
        Map<String, Score> scores = new TreeMap<>();
        long started = System.nanoTime();
        try (TestHost host = TestHost.builder()
                .clock(clock)
                .yaml("limits: {enabled: false}")
                .yaml("memory: {consolidation-interval-minutes: 0" + (yaml.isBlank() ? "" : ", " + yaml) + "}")
                .start()) {
            TestHttp http = host.http();
            while (!Boolean.TRUE.equals(
                    Json.readMap(http.get("/v1/memory/stats").body()).get("indexLoaded"))) {
                Thread.sleep(50);
            }
            if (mode.equals("chat")) {
                expect(http.post("/v1/personalities", PERSONA), 201);
            }
            Map<String, String> turnOf = new HashMap<>();
            for (Life life : data) {
                for (List<Turn> session : life.sessions()) {
                    String conversation = "";
                    for (Turn turn : session) {
                        clock.set(turn.at());
                        long t0 = System.nanoTime();
                        if (mode.equals("facts")) {
                            Map<String, Object> body = new LinkedHashMap<>();
                            body.put("user", life.id());
                            body.put("fact", turn.text());
                            body.put("occurredAt", turn.at().toString());
                            body.put("externalId", turn.id());
                            Map<String, Object> fact =
                                    Json.readMap(expect(http.post("/v1/memory/facts", Json.write(body)), 201));
                            turnOf.put((String) fact.get("id"), turn.id());
                        } else {
                            Map<String, Object> body = new LinkedHashMap<>();
                            body.put("personality", "keeper");
                            body.put("user", life.id());
                            body.put("message", turn.text());
                            if (!conversation.isEmpty()) {
                                body.put("conversation", conversation);
                            }
                            Map<String, Object> reply =
                                    Json.readMap(expect(http.post("/v1/chat", Json.write(body)), 200));
                            conversation = (String) reply.get("conversation");
                            @SuppressWarnings("unchecked")
                            Map<String, Object> user = (Map<String, Object>) reply.get("userMessage");
                            turnOf.put((String) user.get("id"), turn.id());
                        }
                        ingest.add((System.nanoTime() - t0) / 1e6);
                    }
                }
            }
            if (mode.equals("chat")) {
                settle(http);
            }
            double ingestSeconds = (System.nanoTime() - started) / 1e9;
            for (Life life : data) {
                clock.set(life.now());
                for (Question q : life.questions()) {
                    long t0 = System.nanoTime();
                    Map<String, Object> found = Json.readMap(expect(
                            http.get(
                                    "/v1/memory/search?limit=" + K + "&user=" + enc(life.id()) + "&q=" + enc(q.text())),
                            200));
                    search.add((System.nanoTime() - t0) / 1e6);
                    List<String> ranked = new ArrayList<>();
                    for (Object o : (List<?>) found.get("results")) {
                        Map<?, ?> r = (Map<?, ?>) o;
                        String turn = turnOf.get((String) r.get("id"));
                        if (turn == null && r.get("sourceMessage") instanceof String source) {
                            turn = turnOf.get(source);
                        }
                        ranked.add(turn == null ? "?" + r.get("id") : turn);
                    }
                    if (System.getenv("MEMORY_BENCH_TRACE") != null) {
                        System.out.println(q.category() + " | " + q.text() + " | evidence " + q.evidence()
                                + "\n    got " + ranked + "\n    "
                                + found.get("results")
                                        .toString()
                                        .substring(
                                                0,
                                                Math.min(
                                                        600,
                                                        found.get("results")
                                                                .toString()
                                                                .length())));
                    }
                    for (String category : List.of(q.category(), "all")) {
                        scores.computeIfAbsent(category, c -> new Score()).add(ranked, q.evidence());
                    }
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%n[%s] ingestion %.1f s: %d calls, median %.2f ms; search median %.2f ms over %d queries%n",
                    mode,
                    ingestSeconds,
                    ingest.size(),
                    median(ingest),
                    median(search),
                    search.size());
        }
        return scores;
    }

    /** Waits until background memory writes after chat turns have stopped changing the index. */
    private static void settle(TestHttp http) throws InterruptedException {
        Object last = null;
        for (int stable = 0; stable < 3; ) {
            Thread.sleep(500);
            Object now = Json.readMap(http.get("/v1/memory/stats").body()).get("indexedVectors");
            stable = now.equals(last) ? stable + 1 : 0;
            last = now;
        }
    }

    private static String expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(
                    response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void print(String mode, Map<String, Map<String, Score>> scores) {
        Set<String> categories = new java.util.TreeSet<>(scores.get("nexus").keySet());
        categories.remove("all");
        List<String> rows = new ArrayList<>(categories);
        rows.add("all");
        System.out.printf(Locale.ROOT, "%n[%s] evidence recall@5 recall@10 hit@10%n", mode);
        System.out.printf(
                Locale.ROOT, "%-17s %4s | %-17s | %-17s | %-17s%n", "category", "n", "nexus", "bm25", "dense");
        for (String category : rows) {
            System.out.printf(
                    Locale.ROOT,
                    "%-17s %4d | %s | %s | %s%n",
                    category,
                    scores.get("nexus").get(category).questions,
                    scores.get("nexus").get(category).cells(),
                    scores.get("bm25").get(category).cells(),
                    scores.get("dense").get(category).cells());
        }
    }

    // ---- Reading the QA file ------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static List<Life> read(Map<String, Object> document) {
        if (!LifeGenerator.FORMAT.equals(document.get("format"))) {
            throw new IllegalArgumentException(
                    "not a " + LifeGenerator.FORMAT + " file: format is " + document.get("format"));
        }
        List<Life> lives = new ArrayList<>();
        for (Object c : (List<Object>) document.get("conversations")) {
            Map<String, Object> conversation = (Map<String, Object>) c;
            List<List<Turn>> sessions = new ArrayList<>();
            for (Object s : (List<Object>) conversation.get("sessions")) {
                Map<String, Object> session = (Map<String, Object>) s;
                Instant date = Instant.parse((String) session.get("date"));
                List<Turn> turns = new ArrayList<>();
                for (Object t : (List<Object>) session.get("turns")) {
                    Map<String, Object> turn = (Map<String, Object>) t;
                    if ("user".equals(turn.get("speaker"))) {
                        turns.add(new Turn(
                                (String) turn.get("id"),
                                (String) turn.get("text"),
                                date.plus(Duration.ofMinutes(2L * turns.size()))));
                    }
                }
                sessions.add(turns);
            }
            List<Question> questions = new ArrayList<>();
            for (Object q : (List<Object>) conversation.get("questions")) {
                Map<String, Object> question = (Map<String, Object>) q;
                questions.add(new Question(
                        (String) question.get("id"),
                        (String) question.get("category"),
                        (String) question.get("question"),
                        (List<String>) question.get("evidence")));
            }
            lives.add(new Life(
                    (String) conversation.get("id"),
                    (String) conversation.getOrDefault("timeZone", "UTC"),
                    Instant.parse((String) conversation.get("now")),
                    sessions,
                    questions));
        }
        return lives;
    }
}
