package dev.nexus.host.memory;

import java.util.List;

/**
 * Finds facts about the user in one turn. The memory feature ships a rule-based extractor for
 * explicit statements ({@link #rules()}); the chat feature may provide one backed by the configured
 * language model, which memory prefers when present and falls back from to the rules when it
 * throws. Implementations are thread-safe and may block (they run after the reply is delivered).
 */
@FunctionalInterface
public interface FactExtractor {

    /**
     * Returns the facts the user states about themselves.
     *
     * @param userText what the user wrote
     * @param replyText what the personality answered (context only; facts come from the user)
     */
    List<ExtractedFact> extract(String userText, String replyText);

    /** Returns the rule-based extractor for explicit first-person statements. */
    static FactExtractor rules() {
        return RuleFactExtractor.INSTANCE;
    }
}
