package dev.nexus.host.memory;

import dev.nexus.host.vector.Hit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds and ranks memories: nearest vectors from the index as candidates (when a query vector and a
 * loaded index are at hand), keyword matches from the database as well when vectors are missing or
 * found too little, then the {@link Ranking} formula over all candidates. Thread-safe.
 */
final class Retrieval {

    private static final int KEYWORD_TERMS = 3;
    private static final int KEYWORD_ROWS = 40;

    private final MemorySettings settings;
    private final FactRepository facts;
    private final EpisodeRepository episodes;
    private final MemoryIndex index;
    private final Ranking ranking;

    Retrieval(MemorySettings settings, FactRepository facts, EpisodeRepository episodes, MemoryIndex index) {
        this.settings = settings;
        this.facts = facts;
        this.episodes = episodes;
        this.index = index;
        this.ranking = new Ranking(settings);
    }

    /** Returns the best {@code query.limit()} memories, best first, leaving out texts in {@code exclude}. */
    List<Remembered> search(MemoryQuery query, Optional<float[]> vector, Instant now, Set<String> exclude) {
        Map<String, Float> similarity = new HashMap<>();
        boolean useVectors = vector.isPresent() && index.loaded();
        if (useVectors) {
            for (Hit hit : index.search(query.user(), vector.get(), Math.max(settings.candidates(), query.limit() * 3),
                    query::accepts)) {
                similarity.put(hit.id(), hit.similarity());
            }
        }
        Set<String> words = Keywords.of(query.text());
        Map<String, Fact> factRows = new LinkedHashMap<>();
        List<String> episodeIds = new ArrayList<>();
        for (String id : similarity.keySet()) {
            if (index.meta(id).map(MemoryIndex.Meta::fact).orElse(false)) {
                factRows.put(id, null);
            } else {
                episodeIds.add(id);
            }
        }
        facts.findAll(factRows.keySet()).forEach(f -> factRows.put(f.id(), f));
        if (!useVectors || similarity.size() < query.limit()) {
            words.stream().sorted(Comparator.comparingInt(String::length).reversed()).limit(KEYWORD_TERMS)
                    .forEach(word -> facts.containing(query.user(), word, KEYWORD_ROWS).forEach(f -> factRows.putIfAbsent(f.id(), f)));
            if (!useVectors) {
                facts.mostImportant(query.user(), KEYWORD_ROWS).forEach(f -> factRows.putIfAbsent(f.id(), f));
            }
        }
        List<Remembered> ranked = new ArrayList<>();
        for (Fact fact : factRows.values()) {
            if (fact == null || exclude.contains(fact.text()) || !query.accepts(meta(fact))) {
                continue;
            }
            Optional<Double> sim = Optional.ofNullable(similarity.get(fact.id())).map(Float::doubleValue);
            Ranking.Scored scored = ranking.score(sim, Keywords.overlap(words, fact.text()), fact.updatedAt(), true,
                    fact.importance(), now);
            ranked.add(new Remembered(fact.id(), "fact", fact.text(), fact.category().label(),
                    fact.personality().orElse(""), scored.score(), scored.components(), fact.updatedAt()));
        }
        for (Episode episode : episodes.findAll(episodeIds)) {
            if (exclude.contains(episode.text())) {
                continue;
            }
            Optional<Double> sim = Optional.ofNullable(similarity.get(episode.id())).map(Float::doubleValue);
            Ranking.Scored scored = ranking.score(sim, Keywords.overlap(words, episode.text()), episode.at(), false,
                    episode.importance(), now);
            ranked.add(new Remembered(episode.id(), "episode", episode.text(), "conversation", episode.personality(),
                    scored.score(), scored.components(), episode.at()));
        }
        ranked.sort(Comparator.comparingDouble(Remembered::score).reversed().thenComparing(Remembered::id));
        return ranked.size() > query.limit() ? List.copyOf(ranked.subList(0, query.limit())) : ranked;
    }

    static MemoryIndex.Meta meta(Fact fact) {
        return new MemoryIndex.Meta(fact.user(), true, fact.personality().orElse(""), Optional.of(fact.category()),
                fact.updatedAt());
    }
}
