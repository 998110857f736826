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
 * Decides which packs, lore entries and pack facts a turn activates, within a token budget. The
 * rules (documented in {@code docs/memory.md} and {@code docs/world-info.md}):
 * <ol>
 *   <li>a pack set to {@code never} for the personality contributes nothing;</li>
 *   <li>a pack is active when set to {@code always} for the personality, referenced by it, when one
 *       of its topics occurs in the scanned messages, or — for a pack with no keys at all — when the
 *       message's embedding is at least {@code semanticThreshold} similar to the pack's;</li>
 *   <li>lore entries activate by SillyTavern's World Info rules ({@link WorldInfo}) over every pack's
 *       entries at once; constant entries only while their pack is active, and an entry activated by
 *       its keys activates its pack;</li>
 *   <li>an active pack offers its facts most similar to the message (at most {@code maxFactsPerPack}); unless
 *       the pack is manually set to {@code always}, only facts at least {@code factThreshold} similar to
 *       the message are offered, and a turn takes at most {@code maxFactsPerTurn} facts in all: a
 *       referenced pack is a candidate, not always-on (issue 12);</li>
 *   <li>lore takes the budget first (World Info's order); facts fill what it leaves, the best first;
 *       what is kept is returned in insertion order.</li>
 * </ol>
 * Stateless and thread-safe.
 */
final class Activator {

    /** An activated item before budgeting. */
    record Candidate(RecalledItem item, int priority, int order, int tokens) {}

    /**
     * The World Info side of a turn.
     *
     * @param sources additional texts entries may scan (character description, personality, …)
     * @param kind the generation type ({@code normal}, {@code regenerate}, {@code continue}, …)
     * @param chatLength messages in the chat, the new one included
     * @param assistantMessages replies in the chat so far
     * @param seed the seed of the turn's random draws
     * @param timed the conversation's timed-effect state
     */
    record Lore(
            Map<String, String> sources,
            String kind,
            long chatLength,
            long assistantMessages,
            long seed,
            Map<String, WorldInfo.Timed> timed) {

        /** A first normal turn with no state, seed 0. */
        static final Lore NONE = new Lore(Map.of(), "normal", 1, 0, 0, Map.of());
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
     * @param lore the World Info side of the turn
     */
    record Turn(
            List<String> scanned,
            Set<String> always,
            Set<String> never,
            Set<String> referenced,
            Optional<float[]> message,
            Function<String, Optional<float[]>> vectors,
            Lore lore) {

        /** A turn with no World Info state (a first, normal turn). */
        Turn(
                List<String> scanned,
                Set<String> always,
                Set<String> never,
                Set<String> referenced,
                Optional<float[]> message,
                Function<String, Optional<float[]>> vectors) {
            this(scanned, always, never, referenced, message, vectors, Lore.NONE);
        }
    }

    /**
     * What a turn activated within its budget.
     *
     * @param items the kept items, in insertion order
     * @param lore the World Info result (fired and skipped entries, new timed state)
     */
    record Activation(List<RecalledItem> items, WorldInfo.Result lore) {}

    private final KnowledgeSettings settings;
    private final WorldInfo worldInfo = new WorldInfo();

    Activator(KnowledgeSettings settings) {
        this.settings = settings;
    }

    /** Returns what the turn activates within {@code budget} tokens. */
    Activation activate(List<CompiledPack> packs, Turn turn, int budget) {
        List<String> lower =
                turn.scanned().stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        Map<String, Map<String, Double>> active = new LinkedHashMap<>();
        List<CompiledPack> candidates = new ArrayList<>();
        for (CompiledPack pack : packs) {
            String id = pack.pack().id();
            if (turn.never().contains(id)) {
                continue;
            }
            candidates.add(pack);
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
                similarity(turn, pack.profile())
                        .filter(s -> s >= settings.semanticThreshold())
                        .ifPresent(s -> why.put("semantic", s));
            }
            if (!why.isEmpty()) {
                active.put(id, why);
            }
        }
        WorldInfo.Result lore = runLore(candidates, active.keySet(), turn, budget);
        // An entry activated by its keys activates its pack; its constant entries then join (a second run).
        Set<String> keyed = new java.util.HashSet<>();
        lore.fired().forEach(f -> keyed.add(f.book()));
        if (keyed.stream().anyMatch(id -> !active.containsKey(id))) {
            keyed.forEach(
                    id -> active.computeIfAbsent(id, k -> new LinkedHashMap<>()).putIfAbsent("keys", 1.0));
            lore = runLore(candidates, active.keySet(), turn, budget);
        }
        List<Candidate> kept = new ArrayList<>();
        int used = 0;
        for (WorldInfo.Fired f : lore.fired()) {
            kept.add(lore(f));
            used += f.entry().rules().ignoreBudget() ? 0 : f.tokens();
        }
        List<Candidate> facts = new ArrayList<>();
        for (CompiledPack pack : candidates) {
            Map<String, Double> why = active.get(pack.pack().id());
            if (why != null) {
                facts.addAll(facts(pack, turn, why));
            }
        }
        kept.addAll(fit(capFacts(facts), Math.max(0, budget - used)));
        kept.sort(Comparator.comparingInt(Candidate::order)
                .thenComparing(Comparator.comparingInt(Candidate::priority).reversed()));
        return new Activation(kept.stream().map(Candidate::item).toList(), lore);
    }

    private WorldInfo.Result runLore(List<CompiledPack> packs, Set<String> active, Turn turn, int budget) {
        List<WorldInfo.Book> books = packs.stream()
                .filter(p -> !p.entries().isEmpty())
                .map(p -> new WorldInfo.Book(p, active.contains(p.pack().id())))
                .toList();
        Lore lore = turn.lore();
        return worldInfo.run(
                books,
                new WorldInfo.Turn(
                        turn.scanned(),
                        lore.sources(),
                        lore.kind(),
                        lore.chatLength(),
                        lore.assistantMessages(),
                        lore.seed(),
                        lore.timed(),
                        budget,
                        settings.scanDepth(),
                        settings.maxRecursionSteps()));
    }

    /**
     * Keeps the {@code maxFactsPerTurn} best pack facts, and of those only the ones within
     * {@code factMargin} of the best (facts of a manually activated pack are exempt from the margin).
     */
    private List<Candidate> capFacts(List<Candidate> facts) {
        List<Candidate> ranked = facts.stream()
                .sorted(Comparator.comparingDouble((Candidate c) -> c.item().score())
                        .reversed())
                .toList();
        List<Candidate> kept = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            Candidate fact = ranked.get(i);
            boolean manual = fact.item().components().containsKey("manual");
            if (i < settings.maxFactsPerTurn()
                    && (manual
                            || fact.item().score() >= ranked.getFirst().item().score() - settings.factMargin())) {
                kept.add(fact);
            }
        }
        return kept;
    }

    /** Keeps the highest priority (then best scored) candidates within {@code budget} tokens. */
    static List<Candidate> fit(List<Candidate> candidates, int budget) {
        List<Candidate> byValue = new ArrayList<>(candidates);
        byValue.sort(Comparator.comparingInt(Candidate::priority)
                .reversed()
                .thenComparing(
                        Comparator.comparingDouble((Candidate c) -> c.item().score())
                                .reversed()));
        List<Candidate> kept = new ArrayList<>();
        int left = budget;
        for (Candidate candidate : byValue) {
            if (candidate.tokens() <= left) {
                kept.add(candidate);
                left -= candidate.tokens();
            }
        }
        return kept;
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
            ranked.add(new Candidate(
                    new RecalledItem(
                            pack.pack().id() + "#fact-" + i,
                            "pack-fact",
                            pack.pack().id(),
                            fact,
                            similarity,
                            components),
                    10,
                    100,
                    TokenEstimate.of(fact)));
        }
        ranked.sort(
                Comparator.comparingDouble((Candidate c) -> c.item().score()).reversed());
        return ranked.subList(0, Math.min(settings.maxFactsPerPack(), ranked.size()));
    }

    private static Candidate lore(WorldInfo.Fired fired) {
        LoreEntry entry = fired.entry().entry();
        Map<String, Double> components = new LinkedHashMap<>();
        components.put(
                switch (fired.reason()) {
                    case KEY -> "keys";
                    default -> fired.reason().label();
                },
                1.0);
        components.put("order", (double) entry.insertionOrder());
        components.put("step", (double) fired.step());
        if (fired.truncated()) {
            components.put("truncated", 1.0);
        }
        double score = fired.reason() == WorldInfo.Reason.KEY ? 1.0 : 0.9;
        return new Candidate(
                new RecalledItem(fired.key(), "lore", fired.book(), fired.text(), score, components),
                entry.priority(),
                entry.insertionOrder(),
                fired.tokens());
    }

    private static Optional<Double> similarity(Turn turn, String text) {
        if (turn.message().isEmpty()) {
            return Optional.empty();
        }
        return turn.vectors().apply(text).map(v ->
                (double) dev.nexus.host.vector.Vectors.dot(turn.message().get(), v));
    }
}
