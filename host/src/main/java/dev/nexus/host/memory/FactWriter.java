package dev.nexus.host.memory;

import dev.nexus.host.DependencyException;
import dev.nexus.host.Ids;
import dev.nexus.host.llm.Embedder;
import dev.nexus.host.vector.Vectors;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Stores facts without repeating them: a fact in a slot someone already has (their name, home,
 * job…) restates that fact; a fact with the same words as a stored one confirms it (newer time, a
 * little more confidence); anything else is inserted, however close its vector.
 * Thread-safe; writes for one user are serialised so two turns cannot insert the same fact twice.
 */
final class FactWriter {

    private final FactRepository facts;
    private final MemoryIndex index;
    private final Embedder embedder;
    private final Clock clock;
    private final Object[] stripes = new Object[64];

    FactWriter(FactRepository facts, MemoryIndex index, Embedder embedder, Clock clock) {
        this.facts = facts;
        this.index = index;
        this.embedder = embedder;
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    /** Stores or confirms {@code extracted} for {@code user} in scope {@code personality} ("" = all). */
    Fact write(String user, String personality, ExtractedFact extracted, FactSource source) {
        Optional<float[]> vector = embed(extracted.text());
        Instant now = clock.instant();
        double importance = Importance.ofFact(extracted.category(), extracted.confidence(), source);
        synchronized (lockFor(user)) {
            Optional<Fact> same = extracted.slot().flatMap(slot -> facts.findBySlot(user, personality, slot))
                    .or(() -> same(user, personality, extracted));
            if (same.isPresent()) {
                Fact old = same.get();
                boolean restated = !normalize(old.text()).equals(normalize(extracted.text()));
                double confidence = restated ? extracted.confidence() : Math.min(1, Math.max(old.confidence(), extracted.confidence()) + 0.05);
                String text = restated ? extracted.text() : old.text();
                double newImportance = Math.max(importance, Importance.ofFact(old.category(), confidence, source));
                facts.restate(old.id(), text, confidence, newImportance, now, vector.map(Vectors::toBytes).orElse(null),
                        vector.isPresent() ? embedder.name() : null);
                Fact updated = new Fact(old.id(), user, old.personality(), text, old.category(), old.source(), confidence,
                        newImportance, old.retrievalCount(), old.createdAt(), now, old.slot());
                index.put(old.id(), Retrieval.meta(updated), updated.text(), vector);
                return updated;
            }
            Fact fact = new Fact(Ids.newId(clock), user, personality.isEmpty() ? Optional.empty() : Optional.of(personality),
                    extracted.text(), extracted.category(), source, extracted.confidence(), importance, 0, now, now,
                    extracted.slot());
            facts.insert(fact, vector.map(Vectors::toBytes).orElse(null), vector.isPresent() ? embedder.name() : null);
            index.put(fact.id(), Retrieval.meta(fact), fact.text(), vector);
            return fact;
        }
    }

    /**
     * Returns a stored fact that says the same thing (the same words, ignoring case and punctuation).
     * Only that: a fact whose vector is merely close says something else ("I live in Oslo" and "I
     * lived in Oslo as a child"), and overwriting it would lose it.
     */
    private Optional<Fact> same(String user, String personality, ExtractedFact extracted) {
        String normalized = normalize(extracted.text());
        if (index.loaded()) {
            List<String> ids = index.lexical(user, extracted.text(), 20, m -> m.fact() && m.personality().equals(personality))
                    .stream().map(LexicalIndex.Scored::id).toList();
            return facts.findAll(ids).stream().filter(f -> normalize(f.text()).equals(normalized)).findFirst();
        }
        String longest = Keywords.of(extracted.text()).stream().max(java.util.Comparator.comparingInt(String::length)).orElse("");
        if (longest.isEmpty()) {
            return Optional.empty();
        }
        return facts.containing(user, longest, 50).stream()
                .filter(f -> f.personality().orElse("").equals(personality) && normalize(f.text()).equals(normalized))
                .findFirst();
    }

    /** Returns the name of the model vectors are made with. */
    String model() {
        return embedder.name();
    }

    Optional<float[]> embed(String text) {
        try {
            return Optional.of(embedder.embed(text));
        } catch (DependencyException e) {
            return Optional.empty();
        }
    }

    static String normalize(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    private Object lockFor(String user) {
        return stripes[Math.floorMod(user.hashCode(), stripes.length)];
    }
}
