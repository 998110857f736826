package dev.nexus.host.knowledge;

import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.conversation.RecalledItem;
import dev.nexus.host.llm.TokenEstimate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides which packs, lore entries and pack facts a turn activates, then fits them into a token
 * budget. The rules (documented in {@code docs/memory.md}):
 * <ol>
 *   <li>a pack set to {@code never} for the personality contributes nothing;</li>
 *   <li>a pack is active when set to {@code always} for the personality, referenced by it, when one
 *       of its topics occurs in the scanned messages, or — for a pack with no keys at all — when the
 *       message's embedding is at least {@code semanticThreshold} similar to the pack's;</li>
 *   <li>a lore entry (enabled) activates when any primary key occurs in its scanned messages and its
 *       secondary keys satisfy its logic; constant entries activate while their pack is active; an
 *       entry activated by keys also activates its pack;</li>
 *   <li>an active pack offers its facts most similar to the message (at most {@code maxFactsPerPack}); unless
 *       the pack is manually set to {@code always}, only facts at least {@code factThreshold} similar to
 *       the message are offered, and a turn takes at most {@code maxFactsPerTurn} facts in all: a
 *       referenced pack is a candidate, not always-on (issue 12);</li>
 *   <li>the budget keeps the highest priority first (then the best match); what is kept is returned
 *       in insertion order.</li>
 * </ol>
 * Stateless and thread-safe.
 */
final class Activator {

    /** An activated item before budgeting. */
    record Candidate(RecalledItem item, int priority, int order, int tokens) {
    }

    /**
     * What one turn asks for.
     *
     * @param scanned the texts to match keys against, newest first (the new message is first)
     * @param always packs manually activated for the personality
     * @param never packs manually deactivated for the personality
     * @param referenced packs the personality references
     * @param message the new message's embedding, when the embedder is ready
     * @param vectors embeddings of pack texts (cached by the caller), empty when unavailable
     */
    record Turn(List<String> scanned, Set<String> always, Set<String> never, Set<String> referenced,
                Optional<float[]> message, Function<String, Optional<float[]>> vectors) {
    }

    private final KnowledgeSettings settings;

    Activator(KnowledgeSettings settings) {
        this.settings = settings;
    }

    /** Returns every activated item, unbudgeted. */
    List<Candidate> activate(List<CompiledPack> packs, Turn turn) {
        List<String> lower = turn.scanned().stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        List<Candidate> result = new ArrayList<>();
        for (CompiledPack pack : packs) {
            String id = pack.pack().id();
            if (turn.never().contains(id)) {
                continue;
            }
            Map<String, Double> why = new LinkedHashMap<>();
            if (turn.always().contains(id)) {
                why.put("manual", 1.0);
            }
            if (turn.referenced().contains(id)) {
                why.put("referenced", 1.0);
            }
            if (pack.topics().stream().anyMatch(t -> matchesAny(t, turn.scanned(), lower, settings.scanDepth()))) {
                why.put("topic", 1.0);
            }
            if (why.isEmpty() && pack.keyless()) {
                similarity(turn, pack.profile()).filter(s -> s >= settings.semanticThreshold())
                        .ifPresent(s -> why.put("semantic", s));
            }
            List<Candidate> entries = new ArrayList<>();
            for (CompiledPack.CompiledEntry entry : pack.entries()) {
                if (!entry.entry().enabled()) {
                    continue;
                }
                if (!entry.primary().isEmpty() && keysMatch(entry, turn.scanned(), lower)) {
                    entries.add(lore(pack, entry, "keys", 1.0));
                    why.putIfAbsent("keys", 1.0);
                }
            }
            boolean active = !why.isEmpty();
            if (active) {
                for (CompiledPack.CompiledEntry entry : pack.entries()) {
                    if (entry.entry().enabled() && entry.entry().constant()
                            && (entry.primary().isEmpty() || !keysMatch(entry, turn.scanned(), lower))) {
                        entries.add(lore(pack, entry, "constant", 0.9));
                    }
                }
                result.addAll(facts(pack, turn, why));
            }
            result.addAll(entries);
        }
        return capFacts(result);
    }

    /**
     * Keeps the {@code maxFactsPerTurn} best pack facts, and of those only the ones within
     * {@code factMargin} of the best (facts of a manually activated pack are exempt from the margin);
     * every lore entry stays.
     */
    private List<Candidate> capFacts(List<Candidate> candidates) {
        List<Candidate> facts = candidates.stream().filter(c -> c.item().kind().equals("pack-fact"))
                .sorted(Comparator.comparingDouble((Candidate c) -> c.item().score()).reversed()).toList();
        java.util.Set<Candidate> dropped = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < facts.size(); i++) {
            Candidate fact = facts.get(i);
            boolean manual = fact.item().components().containsKey("manual");
            if (i >= settings.maxFactsPerTurn()
                    || !manual && fact.item().score() < facts.getFirst().item().score() - settings.factMargin()) {
                dropped.add(fact);
            }
        }
        if (dropped.isEmpty()) {
            return candidates;
        }
        return candidates.stream().filter(c -> !dropped.contains(c)).toList();
    }

    /** Keeps the highest priority (then best scored) candidates within {@code budget} tokens, in insertion order. */
    static List<RecalledItem> fit(List<Candidate> candidates, int budget) {
        List<Candidate> byValue = new ArrayList<>(candidates);
        byValue.sort(Comparator.comparingInt(Candidate::priority).reversed()
                .thenComparing(Comparator.comparingDouble((Candidate c) -> c.item().score()).reversed()));
        List<Candidate> kept = new ArrayList<>();
        int left = budget;
        for (Candidate candidate : byValue) {
            if (candidate.tokens() <= left) {
                kept.add(candidate);
                left -= candidate.tokens();
            }
        }
        kept.sort(Comparator.comparingInt(Candidate::order).thenComparing(Comparator.comparingInt(Candidate::priority).reversed()));
        return kept.stream().map(Candidate::item).toList();
    }

    private boolean keysMatch(CompiledPack.CompiledEntry compiled, List<String> scanned, List<String> lower) {
        int depth = compiled.scanDepth() > 0 ? compiled.scanDepth() : settings.scanDepth();
        if (compiled.primary().stream().noneMatch(k -> matchesAny(k, scanned, lower, depth))) {
            return false;
        }
        LoreEntry entry = compiled.entry();
        if (!entry.selective() || compiled.secondary().isEmpty()) {
            return true;
        }
        long matched = compiled.secondary().stream().filter(k -> matchesAny(k, scanned, lower, depth)).count();
        int all = compiled.secondary().size();
        return switch (entry.logic()) {
            case AND_ANY -> matched > 0;
            case NOT_ALL -> matched < all;
            case NOT_ANY -> matched == 0;
            case AND_ALL -> matched == all;
        };
    }

    private static boolean matchesAny(LoreKey key, List<String> scanned, List<String> lower, int depth) {
        for (int i = 0; i < Math.min(depth, scanned.size()); i++) {
            if (key.matches(scanned.get(i), lower.get(i))) {
                return true;
            }
        }
        return false;
    }

    private List<Candidate> facts(CompiledPack pack, Turn turn, Map<String, Double> why) {
        List<String> facts = pack.pack().facts();
        List<Candidate> ranked = new ArrayList<>();
        for (int i = 0; i < facts.size(); i++) {
            String fact = facts.get(i);
            double similarity = similarity(turn, fact).orElse(0.0);
            Map<String, Double> components = new LinkedHashMap<>(why);
            components.put("similarity", similarity);
            components.put("priority", 10.0);
            if (!why.containsKey("manual") && similarity < settings.factThreshold()) {
                continue;
            }
            ranked.add(new Candidate(new RecalledItem(pack.pack().id() + "#fact-" + i, "pack-fact", pack.pack().id(),
                    fact, similarity, components), 10, 100, TokenEstimate.of(fact)));
        }
        ranked.sort(Comparator.comparingDouble((Candidate c) -> c.item().score()).reversed());
        return ranked.subList(0, Math.min(settings.maxFactsPerPack(), ranked.size()));
    }

    private static Candidate lore(CompiledPack pack, CompiledPack.CompiledEntry compiled, String reason, double score) {
        LoreEntry entry = compiled.entry();
        Map<String, Double> components = new LinkedHashMap<>();
        components.put(reason, 1.0);
        components.put("priority", (double) entry.priority());
        components.put("order", (double) entry.insertionOrder());
        return new Candidate(new RecalledItem(pack.pack().id() + "/" + compiled.id(), "lore", pack.pack().id(),
                entry.content(), score, components), entry.priority(), entry.insertionOrder(), TokenEstimate.of(entry.content()));
    }

    private static Optional<Double> similarity(Turn turn, String text) {
        if (turn.message().isEmpty()) {
            return Optional.empty();
        }
        return turn.vectors().apply(text).map(v -> (double) dev.nexus.host.vector.Vectors.dot(turn.message().get(), v));
    }
}
