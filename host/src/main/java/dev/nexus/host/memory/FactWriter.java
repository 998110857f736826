package dev.nexus.host.memory;

import dev.nexus.host.DependencyException;
import dev.nexus.host.Ids;
import dev.nexus.host.llm.Embedder;
import dev.nexus.host.vector.Vectors;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Stores facts without repeating them or losing them: a fact with the same words as a stored one
 * confirms it (newer time, a little more confidence); a different statement in a slot someone
 * already has (their name, home, job…) supersedes that fact, which stays as history
 * ({@code validUntil}, {@code supersededBy}) and leaves the search indexes; anything else is
 * inserted, however close its vector.
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

    /**
     * What the caller knows about a statement beyond its text. Immutable.
     *
     * @param occurredAt when it happened or became true (empty: now)
     * @param sourceMessage the message it was learnt from
     * @param externalId the caller's id (a second write with the same id returns the stored fact)
     * @param metadata the caller's attributes
     * @param pinned kept whatever consolidation would drop
     */
    record Stating(
            Optional<Instant> occurredAt,
            Optional<String> sourceMessage,
            Optional<String> externalId,
            Map<String, String> metadata,
            boolean pinned) {
        static final Stating NONE = new Stating(Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), false);

        static Stating from(String message) {
            return new Stating(
                    Optional.empty(),
                    Optional.of(message).filter(m -> !m.isBlank()),
                    Optional.empty(),
                    Map.of(),
                    false);
        }
    }

    /** Stores or confirms {@code extracted} for {@code user} in scope {@code personality} ("" = all). */
    Fact write(String user, String personality, ExtractedFact extracted, FactSource source) {
        return write(user, personality, extracted, source, Stating.NONE);
    }

    /**
     * Stores {@code extracted}: the same words as a stored fact confirm it; a different statement in a
     * slot that already holds a current fact supersedes that fact (which is kept as history, with
     * {@code validUntil}); anything else is inserted.
     */
    Fact write(String user, String personality, ExtractedFact extracted, FactSource source, Stating stating) {
        Instant now = clock.instant();
        Instant occurred = stating.occurredAt().orElse(now);
        double importance = Importance.ofFact(extracted.category(), extracted.confidence(), source);
        synchronized (lockFor(user)) {
            if (stating.externalId().isPresent()) {
                Optional<Fact> known =
                        facts.findByExternalId(user, stating.externalId().get());
                if (known.isPresent()) {
                    return known.get();
                }
            }
            // The same statement from the same message again (a turn's extraction run twice) is the fact stored
            // then, even if a newer statement has since superseded it.
            if (extracted.slot().isPresent() && stating.sourceMessage().isPresent()) {
                Optional<Fact> again = facts
                        .versions(user, personality, extracted.slot().get())
                        .stream()
                        .filter(f -> f.sourceMessage().equals(stating.sourceMessage())
                                && normalize(f.text()).equals(normalize(extracted.text())))
                        .findFirst();
                if (again.isPresent()) {
                    return again.get();
                }
            }
            Optional<float[]> vector = embed(extracted.text());
            Optional<Fact> inSlot = extracted.slot().flatMap(slot -> facts.findBySlot(user, personality, slot));
            Optional<Fact> same = inSlot.filter(f -> normalize(f.text()).equals(normalize(extracted.text())))
                    .or(() -> same(user, personality, extracted));
            if (same.isPresent()) {
                Fact old = same.get();
                double confidence = Math.min(1, Math.max(old.confidence(), extracted.confidence()) + 0.05);
                double newImportance = Math.max(
                        old.importance(), Math.max(importance, Importance.ofFact(old.category(), confidence, source)));
                facts.restate(
                        old.id(),
                        old.text(),
                        confidence,
                        newImportance,
                        now,
                        vector.map(Vectors::toBytes).orElse(null),
                        vector.isPresent() ? embedder.name() : null);
                Fact updated = new Fact(
                        old.id(),
                        user,
                        old.personality(),
                        old.text(),
                        old.category(),
                        old.source(),
                        confidence,
                        newImportance,
                        old.retrievalCount(),
                        old.createdAt(),
                        now,
                        old.slot(),
                        old.occurredAt(),
                        old.validUntil(),
                        old.supersededBy(),
                        old.pinned(),
                        old.externalId(),
                        old.metadata(),
                        old.sourceMessage(),
                        old.about());
                if (updated.current()) {
                    index.put(old.id(), Retrieval.meta(updated), updated.text(), vector);
                }
                return updated;
            }
            String id = Ids.newId(clock);
            // A statement older than the slot's current fact (a history imported out of order) is history at once.
            Optional<Fact> newer = inSlot.filter(current -> current.occurredAt().isAfter(occurred));
            Fact fact = new Fact(
                    id,
                    user,
                    personality.isEmpty() ? Optional.empty() : Optional.of(personality),
                    extracted.text(),
                    extracted.category(),
                    source,
                    extracted.confidence(),
                    importance,
                    0,
                    now,
                    now,
                    extracted.slot(),
                    occurred,
                    newer.map(Fact::occurredAt),
                    newer.map(Fact::id),
                    stating.pinned(),
                    stating.externalId(),
                    stating.metadata(),
                    stating.sourceMessage(),
                    extracted.about());
            byte[] bytes = vector.map(Vectors::toBytes).orElse(null);
            String model = vector.isPresent() ? embedder.name() : null;
            Optional<Fact> superseded = inSlot.filter(old -> newer.isEmpty());
            if (superseded.isPresent()) {
                facts.insertSuperseding(fact, bytes, model, superseded.get().id());
                index.remove(superseded.get().id());
            } else {
                facts.insert(fact, bytes, model);
            }
            if (newer.isEmpty()) {
                index.put(fact.id(), Retrieval.meta(fact), fact.text(), vector);
            }
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
            List<String> ids =
                    index
                            .lexical(
                                    user,
                                    extracted.text(),
                                    20,
                                    m -> m.fact() && m.personality().equals(personality))
                            .stream()
                            .map(LexicalIndex.Scored::id)
                            .toList();
            return facts.findAll(ids).stream()
                    .filter(f -> normalize(f.text()).equals(normalized))
                    .findFirst();
        }
        String longest = Keywords.of(extracted.text()).stream()
                .max(java.util.Comparator.comparingInt(String::length))
                .orElse("");
        if (longest.isEmpty()) {
            return Optional.empty();
        }
        return facts.containing(user, longest, 50).stream()
                .filter(f -> f.personality().orElse("").equals(personality)
                        && normalize(f.text()).equals(normalized))
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
