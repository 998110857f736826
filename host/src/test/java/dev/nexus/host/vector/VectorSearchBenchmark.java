package dev.nexus.host.vector;

import dev.nexus.host.llm.Embedder;
import dev.nexus.host.llm.Embedders;
import dev.nexus.host.llm.EmbeddingSettings;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Benchmark main (not a test): embedding latency per sentence with the bundled model, and top-10
 * search latency over 10k and 100k stored vectors against a brute-force scan in the same run, with
 * recall@10 of the index against the exact answer.
 *
 * <p>Run: {@code ./nexus bench dev.nexus.host.vector.VectorSearchBenchmark [queries]}.
 */
public final class VectorSearchBenchmark {

    private static final int DIM = 384;
    private static final int K = 10;

    private VectorSearchBenchmark() {}

    public static void main(String[] args) {
        int queries = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        System.out.printf(
                Locale.ROOT,
                "cores=%d java=%s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        Embedder embedder = embedding();
        for (int n : new int[] {10_000, 100_000}) {
            SyntheticVectors vectors = new SyntheticVectors(n, DIM, Math.max(50, n / 500), 1.0);
            float[][] data = new float[n][];
            for (int i = 0; i < n; i++) {
                data[i] = vectors.next();
            }
            float[][] qs = new float[queries][];
            for (int q = 0; q < queries; q++) {
                qs[q] = vectors.next();
            }
            search(String.format(Locale.ROOT, "%,d synthetic topic-clustered vectors", n), data, qs);
        }
        int sentences = 10_000;
        long start = System.nanoTime();
        List<float[]> data = embedder.embedAll(java.util.stream.IntStream.range(0, sentences)
                .mapToObj(i -> generated(i))
                .toList());
        List<float[]> qs = embedder.embedAll(java.util.stream.IntStream.range(0, Math.min(queries, 500))
                .mapToObj(i -> generated(1_000_003 + i * 7))
                .toList());
        System.out.printf(
                Locale.ROOT,
                "%nembedded %,d generated sentences in %.1f s%n",
                sentences + qs.size(),
                (System.nanoTime() - start) / 1e9);
        search(
                String.format(Locale.ROOT, "%,d all-MiniLM-L6-v2 vectors of generated sentences", sentences),
                data.toArray(float[][]::new),
                qs.toArray(float[][]::new));
        loader.shutdownNow();
    }

    private static final String[] WHO = {
        "I", "My sister", "My boss", "We", "Our neighbour", "My son", "The team", "My friend"
    };
    private static final String[] DID = {
        "cooked",
        "visited",
        "talked about",
        "bought",
        "planned",
        "forgot",
        "read about",
        "complained about",
        "painted",
        "fixed",
        "saved money for",
        "dreamed about",
        "learned about"
    };
    private static final String[] WHAT = {
        "vegetarian lasagne",
        "a trip to Lisbon",
        "index funds",
        "a long hike",
        "jazz records",
        "the quarterly report",
        "a new bicycle",
        "the garden fence",
        "a chess opening",
        "the football match",
        "a birthday cake",
        "a sailing course",
        "the tax return",
        "an old castle",
        "a violin lesson",
        "the electricity bill",
        "a camping stove"
    };
    private static final String[] WHEN = {
        "yesterday",
        "last weekend",
        "this morning",
        "in March",
        "after work",
        "on holiday",
        "twice this week",
        "with some friends",
        "for the first time",
        "again"
    };

    private static String generated(int i) {
        return WHO[i % WHO.length] + " " + DID[(i / 7) % DID.length] + " " + WHAT[(i / 3) % WHAT.length] + " "
                + WHEN[(i / 11) % WHEN.length]
                + (i >= WHO.length * DID.length * WHAT.length ? " (" + i % 997 + ")" : "") + ".";
    }

    private static ExecutorService loader;

    private static Embedder embedding() {
        loader = Executors.newSingleThreadExecutor();
        {
            long start = System.nanoTime();
            Embedder embedder = Embedders.create(EmbeddingSettings.local(), loader);
            embedder.embed("warm up");
            System.out.printf(
                    Locale.ROOT, "embedding model load + first sentence: %.0f ms%n", (System.nanoTime() - start) / 1e6);
            String[] subjects = {"I", "My sister", "The user", "We", "Our team"};
            String[] verbs = {"like", "cooked", "visited", "prefer", "read about", "budgeted for"};
            String[] objects = {
                "vegetarian lasagne",
                "Lisbon in spring",
                "index funds",
                "a long hike",
                "jazz records",
                "the quarterly report",
                "a new bicycle"
            };
            for (int i = 0; i < 50; i++) {
                embedder.embed(sentence(subjects, verbs, objects, i));
            }
            long[] nanos = new long[300];
            for (int i = 0; i < nanos.length; i++) {
                String text = sentence(subjects, verbs, objects, i + 1000) + " (" + i + ")";
                long t = System.nanoTime();
                embedder.embed(text);
                nanos[i] = System.nanoTime() - t;
            }
            System.out.printf(
                    Locale.ROOT,
                    "embed one sentence: median %.2f ms, p99 %.2f ms (%d sentences)%n",
                    percentile(nanos, 50) / 1e6,
                    percentile(nanos, 99) / 1e6,
                    nanos.length);
            return embedder;
        }
    }

    private static String sentence(String[] s, String[] v, String[] o, int i) {
        return s[i % s.length] + " " + v[(i / s.length) % v.length] + " " + o[(i / (s.length * v.length)) % o.length]
                + ".";
    }

    private static void search(String label, float[][] data, float[][] qs) {
        int n = data.length;
        int queries = qs.length;
        VectorIndex index = new VectorIndex(DIM, new IndexSettings(null, null, null, 42L), Runnable::run);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            index.put("m" + i, data[i]);
        }
        System.out.printf(
                Locale.ROOT,
                "%n%s x %d dims: loaded and clustered in %.1f s (clustered=%s)%n",
                label,
                DIM,
                (System.nanoTime() - start) / 1e9,
                index.clustered());
        for (int q = 0; q < Math.min(200, queries); q++) {
            index.search(qs[q], K, id -> true);
            index.exact(qs[q], K, id -> true);
        }
        long[] approx = new long[queries];
        long[] exact = new long[queries];
        int found = 0;
        for (int q = 0; q < queries; q++) {
            long t = System.nanoTime();
            List<Hit> hits = index.search(qs[q], K, id -> true);
            approx[q] = System.nanoTime() - t;
            t = System.nanoTime();
            List<Hit> truth = index.exact(qs[q], K, id -> true);
            exact[q] = System.nanoTime() - t;
            Set<String> expected = new HashSet<>();
            truth.forEach(h -> expected.add(h.id()));
            found += (int) hits.stream().filter(h -> expected.contains(h.id())).count();
        }
        double approxMedian = percentile(approx, 50) / 1e6;
        double exactMedian = percentile(exact, 50) / 1e6;
        System.out.printf(
                Locale.ROOT,
                "index top-%d: median %.3f ms, p99 %.3f ms, %.0f vectors compared per search%n",
                K,
                approxMedian,
                percentile(approx, 99) / 1e6,
                index.averageScanned());
        System.out.printf(
                Locale.ROOT,
                "brute force top-%d: median %.3f ms, p99 %.3f ms%n",
                K,
                exactMedian,
                percentile(exact, 99) / 1e6);
        System.out.printf(
                Locale.ROOT,
                "speed-up %.1fx, recall@%d %.4f over %d queries%n",
                exactMedian / approxMedian,
                K,
                found / (double) (K * queries),
                queries);
    }

    private static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int at = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, at))];
    }
}
