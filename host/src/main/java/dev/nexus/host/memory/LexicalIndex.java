package dev.nexus.host.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The in-process full-text index of memories, one inverted index per user, scored with Okapi BM25
 * (IDF over that user's memories, term-frequency saturation {@code k1}, length normalisation
 * {@code b}). Terms are {@link Keywords#terms}: lower case, stop words removed, light stemming. The
 * same mechanism on H2 and PostgreSQL; it is kept in step with every insert, restatement, deletion
 * and erasure by {@link MemoryIndex}, and rebuilt from the database at start-up like the vectors.
 *
 * <p>Thread-safe: each user's index is guarded by its own lock.
 */
final class LexicalIndex {

    private static final double K1 = 1.2;
    private static final double B = 0.75;

    /** One scored document. */
    record Scored(String id, double score) {}

    private static final class UserIndex {
        final Map<String, Map<String, Integer>> postings = new HashMap<>();
        final Map<String, Map<String, Integer>> documents = new HashMap<>();
        long totalLength;
    }

    private final Map<String, UserIndex> byUser = new ConcurrentHashMap<>();

    /** Indexes (or re-indexes) {@code text} as document {@code id} of {@code user}. */
    void put(String user, String id, String text) {
        Map<String, Integer> tf = new HashMap<>();
        for (String term : Keywords.terms(text)) {
            tf.merge(term, 1, Integer::sum);
        }
        UserIndex index = byUser.computeIfAbsent(user, u -> new UserIndex());
        synchronized (index) {
            removeFrom(index, id);
            index.documents.put(id, tf);
            for (Map.Entry<String, Integer> e : tf.entrySet()) {
                index.postings.computeIfAbsent(e.getKey(), k -> new HashMap<>()).put(id, e.getValue());
                index.totalLength += e.getValue();
            }
        }
    }

    void remove(String user, String id) {
        UserIndex index = byUser.get(user);
        if (index != null) {
            synchronized (index) {
                removeFrom(index, id);
            }
        }
    }

    private static void removeFrom(UserIndex index, String id) {
        Map<String, Integer> old = index.documents.remove(id);
        if (old == null) {
            return;
        }
        for (Map.Entry<String, Integer> e : old.entrySet()) {
            Map<String, Integer> posting = index.postings.get(e.getKey());
            if (posting != null) {
                posting.remove(id);
                if (posting.isEmpty()) {
                    index.postings.remove(e.getKey());
                }
            }
            index.totalLength -= e.getValue();
        }
    }

    /**
     * Returns the best {@code k} documents of {@code user} for {@code query}, best first, only those
     * {@code accept} lets through; documents sharing no term with the query are never returned.
     */
    List<Scored> search(String user, String query, int k, Predicate<String> accept) {
        UserIndex index = byUser.get(user);
        List<String> terms = Keywords.terms(query).stream().distinct().toList();
        if (index == null || terms.isEmpty()) {
            return List.of();
        }
        Map<String, Double> scores = new HashMap<>();
        synchronized (index) {
            int n = index.documents.size();
            double averageLength = n == 0 ? 1 : Math.max(1, (double) index.totalLength / n);
            for (String term : terms) {
                Map<String, Integer> posting = index.postings.get(term);
                if (posting == null) {
                    continue;
                }
                double df = posting.size();
                double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
                for (Map.Entry<String, Integer> e : posting.entrySet()) {
                    int length = length(index.documents.get(e.getKey()));
                    double f = e.getValue();
                    double part = idf * f * (K1 + 1) / (f + K1 * (1 - B + B * length / averageLength));
                    scores.merge(e.getKey(), part, Double::sum);
                }
            }
        }
        List<Scored> ranked = new ArrayList<>();
        scores.forEach((id, score) -> ranked.add(new Scored(id, score)));
        ranked.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score()) : a.id().compareTo(b.id()));
        List<Scored> top = new ArrayList<>();
        for (Scored s : ranked) {
            if (top.size() >= k) {
                break;
            }
            if (accept.test(s.id())) {
                top.add(s);
            }
        }
        return top;
    }

    /**
     * Returns the most a document of {@code user} could score for {@code query}: every distinct query
     * term at its IDF times the saturation ceiling {@code k1 + 1} (a term no document holds counts at
     * the IDF of a term in none). A document's score divided by it says how much of the query's
     * weight it matched, 0–1, comparable across queries: a match on one common word of a query with a
     * rare unmatched word stays small, where dividing by the query's best match would make it 1.
     */
    double ceiling(String user, String query) {
        UserIndex index = byUser.get(user);
        List<String> terms = Keywords.terms(query).stream().distinct().toList();
        if (index == null || terms.isEmpty()) {
            return 0;
        }
        double ceiling = 0;
        synchronized (index) {
            int n = index.documents.size();
            for (String term : terms) {
                Map<String, Integer> posting = index.postings.get(term);
                double df = posting == null ? 0 : posting.size();
                ceiling += Math.log(1 + (n - df + 0.5) / (df + 0.5)) * (K1 + 1);
            }
        }
        return ceiling;
    }

    private static int length(Map<String, Integer> tf) {
        int length = 0;
        for (int f : tf.values()) {
            length += f;
        }
        return length;
    }

    /** Returns how many documents {@code user} has indexed. */
    int documentsOf(String user) {
        UserIndex index = byUser.get(user);
        if (index == null) {
            return 0;
        }
        synchronized (index) {
            return index.documents.size();
        }
    }
}
