package dev.nexus.host.routing;

import dev.nexus.host.llm.Embedder;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.TraitFilter;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Finds the personalities that best fit a request: {@code POST /v1/route}, {@code personality: "auto"}
 * in chat, and the rooms' "most relevant speaks" policy. A personality's profile is its name,
 * description, summary, scenario, values, tags ("capabilities") and knowledge pack ids. The score mixes
 * two signals: the cosine similarity of the request's embedding with the profile's (when the
 * embedding model is ready; its vectors are cached per personality text), and the share of the
 * request's content words found in the profile, with a bonus when a word names a tag or a knowledge
 * pack. Without embeddings the words decide alone, and {@link Ranking#method()} says so. Deterministic
 * for the same inputs and the same embedder state; ties go to the id. Thread-safe.
 */
public final class PersonalityRouter {

    /**
     * The outcome of a ranking. Immutable.
     *
     * @param matches the candidates that passed the filters, best first
     * @param method {@code embedding+keywords} or {@code keywords} (the embedding model was not ready)
     */
    public record Ranking(List<Match> matches, String method) {
        /** Copies the matches. */
        public Ranking {
            matches = List.copyOf(matches);
        }

        /** Returns the best match, if any passed the filters. */
        public Optional<Match> best() {
            return matches.isEmpty() ? Optional.empty() : Optional.of(matches.get(0));
        }
    }

    private static final Set<String> STOP = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "do", "does", "for", "from", "give",
            "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "please", "should",
            "so", "some", "tell", "than", "that", "the", "their", "them", "then", "there", "this", "to", "up", "us",
            "was", "we", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you", "your", "want",
            "need", "help", "good", "best", "make", "get", "about", "just", "like", "know", "char", "user", "one",
            "all", "any", "more", "most", "very", "not", "no", "yes", "also", "while", "own");

    private final Supplier<? extends Collection<Personality>> personalities;
    private final Embedder embedder;
    private final Map<String, float[]> profiles = new ConcurrentHashMap<>();

    /**
     * Creates a router over {@code personalities} (the current versions, read on each call).
     *
     * @param embedder used when {@link Embedder#ready()}; never waited for
     */
    public PersonalityRouter(Supplier<? extends Collection<Personality>> personalities, Embedder embedder) {
        this.personalities = personalities;
        this.embedder = embedder;
    }

    /** Ranks every registered personality for {@code request}; only those passing every filter are listed. */
    public Ranking rank(String request, List<TraitFilter> filters) {
        return rank(request, personalities.get(), filters);
    }

    /** Ranks {@code candidates} for {@code request}; only those passing every filter are listed. */
    public Ranking rank(String request, Collection<Personality> candidates, List<TraitFilter> filters) {
        Optional<float[]> query = embedder.embedIfReady(request);
        Set<String> words = words(request);
        List<Match> matches = new ArrayList<>();
        for (Personality p : candidates) {
            if (filters.stream().allMatch(f -> f.test(p))) {
                matches.add(match(p, words, query, filters));
            }
        }
        matches.sort(Comparator.comparingDouble(Match::score).reversed().thenComparing(Match::id));
        return new Ranking(matches, query.isPresent() ? "embedding+keywords" : "keywords");
    }

    private Match match(Personality p, Set<String> words, Optional<float[]> query, List<TraitFilter> filters) {
        List<String> reasons = new ArrayList<>();
        String profile = profile(p);
        Set<String> profileWords = words(profile);
        Set<String> capabilities = new LinkedHashSet<>();
        p.tags().forEach(t -> capabilities.addAll(words(t)));
        p.knowledge().forEach(k -> capabilities.addAll(words(k.replace('-', ' '))));
        List<String> shared =
                words.stream().filter(profileWords::contains).sorted().toList();
        List<String> capable =
                words.stream().filter(capabilities::contains).sorted().toList();
        double lexical = words.isEmpty() ? 0 : Math.min(1.0, (shared.size() + capable.size()) / (double) words.size());
        if (!shared.isEmpty()) {
            reasons.add("shares the words " + String.join(", ", shared) + " with its description");
        }
        if (!capable.isEmpty()) {
            reasons.add("its tags or knowledge cover " + String.join(", ", capable));
        }
        double score = lexical;
        if (query.isPresent()) {
            float[] vector =
                    profiles.computeIfAbsent(p.id().value() + "\u0000" + profile, key -> embedder.embed(profile));
            double cosine = Math.max(0, dot(query.get(), vector));
            reasons.add(String.format(Locale.ROOT, "description similarity %.2f (embedding)", cosine));
            score = 0.6 * cosine + 0.4 * lexical;
        }
        for (TraitFilter f : filters) {
            reasons.add(String.format(
                    Locale.ROOT, "%s %.2f passes %s", f.trait(), p.traits().value(f.trait(), 0), f));
        }
        if (reasons.isEmpty()) {
            reasons.add("nothing in the request matches its description");
        }
        return new Match(p.id().value(), p.name(), Math.round(score * 1000) / 1000.0, reasons);
    }

    private static String profile(Personality p) {
        return String.join(
                " ",
                p.name(),
                p.description(),
                p.summary(),
                p.scenario(),
                String.join(" ", p.values()),
                String.join(" ", p.tags()),
                String.join(" ", p.knowledge()));
    }

    /** The request's content words, lower case, accents folded, a plural "s" dropped. */
    static Set<String> words(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : fold(text).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() < 3 || STOP.contains(w)) {
                continue;
            }
            out.add(w.length() > 4 && w.endsWith("s") && !w.endsWith("ss") ? w.substring(0, w.length() - 1) : w);
        }
        return out;
    }

    private static String fold(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT);
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
