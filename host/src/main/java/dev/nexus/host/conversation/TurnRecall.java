package dev.nexus.host.conversation;

import dev.nexus.host.llm.TokenEstimate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation's {@link Recall}: splits a turn's token budget between knowledge and memories.
 * Knowledge first takes up to its share, memories fill what knowledge left, then knowledge gets
 * again whatever memories did not use. A failing knowledge source costs the turn its knowledge,
 * never its memories. The split lives here, with the consumer, so that memory and knowledge do not
 * know each other (docs/architecture.md). Thread-safe when its sources are.
 */
public final class TurnRecall implements Recall {

    private static final Logger LOG = LoggerFactory.getLogger(TurnRecall.class);

    /** One side of a turn's recall (memories or knowledge); thread-safe, empty rather than failing for ordinary input. */
    @FunctionalInterface
    public interface Source {

        /** Returns items for the turn, best first, whose estimated tokens fit in {@code tokenBudget}. */
        List<RecalledItem> recall(RecallRequest request, int tokenBudget);

        /** Returns the items like {@link #recall} with notes on how they were chosen (none by default). */
        default Noted recallNoted(RecallRequest request, int tokenBudget) {
            return new Noted(recall(request, tokenBudget), java.util.Map.of());
        }

        /**
         * Returns the items like {@link #recallNoted} for a turn whose reply the conversation stores: what the
         * recall writes (e.g. retrieval counts) may be left in {@link Noted#recordUse()} for the conversation
         * to write with the reply. By default it is written at once, like {@link #recallNoted}.
         */
        default Noted recallForTurn(RecallRequest request, int tokenBudget) {
            return recallNoted(request, tokenBudget);
        }
    }

    /**
     * Items with notes on how they were chosen (for the reply's metadata). Immutable.
     *
     * @param items the items
     * @param notes the notes, JSON-friendly (maps, lists, strings, numbers)
     * @param recordUse what the recall left for the conversation to write with the reply (nothing by default)
     */
    public record Noted(List<RecalledItem> items, java.util.Map<String, Object> notes, Runnable recordUse) {

        /** Items with notes whose recall wrote what it writes already. */
        public Noted(List<RecalledItem> items, java.util.Map<String, Object> notes) {
            this(items, notes, () -> {});
        }

        /** Copies the items and notes. */
        public Noted {
            items = List.copyOf(items);
            notes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(notes));
        }
    }

    private final Source memories;
    private final Source knowledge;
    private final double knowledgeShare;

    /**
     * Creates the recall.
     *
     * @param memories recalls memories
     * @param knowledge recalls activated knowledge
     * @param knowledgeShare the share of the budget, in [0, 1], knowledge may take first
     */
    public TurnRecall(Source memories, Source knowledge, double knowledgeShare) {
        if (!(knowledgeShare >= 0 && knowledgeShare <= 1)) {
            throw new IllegalArgumentException("knowledge share must be in [0, 1], got " + knowledgeShare);
        }
        this.memories = memories;
        this.knowledge = knowledge;
        this.knowledgeShare = knowledgeShare;
    }

    @Override
    public Recollection recall(RecallRequest request) {
        int total = request.tokenBudget();
        if (total <= 0) {
            return Recollection.empty();
        }
        int share = (int) Math.round(total * knowledgeShare);
        Noted known = knowledge(request, share);
        Noted remembered = memories.recallForTurn(request, total - tokens(known.items()));
        int memoryTokens = tokens(remembered.items());
        if (total - memoryTokens > share) {
            known = knowledge(request, total - memoryTokens);
        }
        return new Recollection(remembered.items(), known.items(), known.notes(), remembered.recordUse());
    }

    /** Knowledge for the turn; a failure there (a bad pack, a bad lore entry) never costs the memories. */
    private Noted knowledge(RecallRequest request, int budget) {
        if (budget <= 0) {
            return new Noted(List.of(), java.util.Map.of());
        }
        try {
            return knowledge.recallNoted(request, budget);
        } catch (RuntimeException e) {
            LOG.warn(
                    "knowledge recall failed for personality {}; answering with memories only: {}",
                    request.personality(),
                    e.toString());
            return new Noted(List.of(), java.util.Map.of());
        }
    }

    private static int tokens(List<RecalledItem> items) {
        return items.stream().mapToInt(item -> TokenEstimate.of(item.text())).sum();
    }
}
