package dev.nexus.host.llm;

/**
 * A cheap, provider-independent estimate of how many tokens a text uses, for budgeting prompts.
 * It errs on the high side (about four characters or three quarters of a word per token, whichever
 * is more) so a prompt built within a budget fits the real tokenizer too. Thread-safe, stateless.
 */
public final class TokenEstimate {

    /** Tokens added per message for role markers and separators. */
    public static final int PER_MESSAGE = 4;

    private TokenEstimate() {}

    /** Returns the estimated tokens of {@code text}; zero for empty text. */
    public static int of(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean letter = !Character.isWhitespace(text.charAt(i));
            if (letter && !inWord) {
                words++;
            }
            inWord = letter;
        }
        int byChars = (text.length() + 3) / 4;
        int byWords = (words * 4 + 2) / 3;
        return Math.max(1, Math.max(byChars, byWords));
    }

    /** Returns the estimated tokens of a message with {@code text}, including its framing. */
    public static int ofMessage(String text) {
        return of(text) + PER_MESSAGE;
    }

    /**
     * Returns the longest start of {@code text} that is at most {@code tokens} estimated tokens, ended at a
     * paragraph, sentence or word end when one is in its second half (long lore entries are cut to a
     * budget this way rather than dropped).
     */
    public static String cut(String text, int tokens) {
        if (of(text) <= tokens) {
            return text;
        }
        int lo = 0;
        int hi = text.length();
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (of(text.substring(0, mid)) <= tokens) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        String head = text.substring(0, lo);
        for (String end : java.util.List.of("\n\n", ". ", "\n", " ")) {
            int at = head.lastIndexOf(end);
            if (at > lo / 2) {
                return head.substring(0, at + (end.equals(". ") ? 1 : 0)).strip();
            }
        }
        return head.strip();
    }
}
