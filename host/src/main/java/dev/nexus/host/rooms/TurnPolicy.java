package dev.nexus.host.rooms;

import dev.nexus.host.InvalidInputException;
import java.util.Locale;

/**
 * How a room picks which personalities answer a person's message. In every policy a message that
 * names personalities present ({@code @marco}, or the name as a word) is answered by those, in the
 * order named; the policy decides only for messages that name nobody.
 */
public enum TurnPolicy {
    /** Only the personalities named answer; a message naming nobody gets no reply. */
    MENTION,
    /** The personalities take turns in the order they joined, one per message. */
    ROUND_ROBIN,
    /** The personality whose description best matches the message answers (embedding and keywords). */
    RELEVANCE,
    /**
     * The most relevant personality answers, then the others may answer each other, most relevant to
     * the last message first, never the one who just spoke, until the loop guard stops them: the
     * room's {@code maxConsecutive} personality turns in a row, or its token budget.
     */
    FREE;

    /** Returns the word used in the API ({@code round-robin}). */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses the API word.
     *
     * @throws InvalidInputException naming the accepted words
     */
    public static TurnPolicy of(String word) {
        for (TurnPolicy policy : values()) {
            if (policy.word().equals(word)) {
                return policy;
            }
        }
        throw new InvalidInputException("policy must be one of mention, round-robin, relevance, free; got '"
                + InvalidInputException.cap(String.valueOf(word)) + "'");
    }
}
