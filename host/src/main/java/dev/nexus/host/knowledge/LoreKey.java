package dev.nexus.host.knowledge;

import dev.nexus.host.InvalidInputException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One activation key, parsed the way SillyTavern's World Info parses keys:
 * <ul>
 *   <li>a key written {@code /pattern/flags} (flags from {@code g i m s u y}) is a regular expression
 *       only when it is a valid one and its pattern has no unescaped {@code /}; otherwise it is plain
 *       text ({@code /path/to/} is text). A regular expression is matched against the text as
 *       written, so its case comes from its flags alone ({@code /Hello/} does not match "hello"),
 *       whatever the entry's case setting;</li>
 *   <li>any other key is plain text, whether or not the entry says {@code use_regex} (SillyTavern
 *       exports every entry with {@code use_regex: true} and ignores it on import), so {@code C++} and
 *       {@code $pecial} are the characters they are. Plain keys are trimmed, compared in lower case
 *       unless case-sensitive, and with whole words a single-word key must sit between non-word
 *       characters ({@code [^A-Za-z0-9_]}, as JavaScript's {@code \W}) or the ends of the text, while
 *       a key of several words is matched as a phrase.</li>
 * </ul>
 * A regular expression from an imported lorebook may be hostile, so matching is bounded: past
 * {@value #MAX_STEPS} character reads the key counts as not matching. Immutable and thread-safe.
 */
final class LoreKey {

    static final int MAX_STEPS = 200_000;
    private static final Pattern REGEX_FORM = Pattern.compile("^/([\\s\\S]+?)/([gimsuy]*)$");
    private static final Pattern UNESCAPED_SLASH = Pattern.compile("(^|[^\\\\])/");

    private final String text;
    private final Pattern pattern;
    private final boolean caseSensitive;
    private final boolean wholeWords;
    private final boolean sticky;
    /** Whether the key is several words (matched as a phrase, not word by word); computed once, used per scan. */
    private final boolean multiWord;

    private LoreKey(String text, Pattern pattern, boolean caseSensitive, boolean wholeWords, boolean sticky) {
        this.text = text;
        this.pattern = pattern;
        this.caseSensitive = caseSensitive;
        this.wholeWords = wholeWords;
        this.sticky = sticky;
        this.multiWord = text.strip().split("\\s+").length > 1;
    }

    /**
     * Compiles {@code key}; {@code useRegex} is accepted for the callers' sake and, as in
     * SillyTavern, does not decide anything.
     *
     * @throws InvalidInputException for an empty key (nothing can match it)
     */
    static LoreKey compile(String key, boolean useRegex, boolean caseSensitive, boolean wholeWords) {
        return parse(key, caseSensitive, wholeWords)
                .orElseThrow(() -> new InvalidInputException("a lore key is empty; remove it or give it text"));
    }

    /** Parses {@code key}; empty for an empty or blank key, which never matches. */
    static Optional<LoreKey> parse(String key, boolean caseSensitive, boolean wholeWords) {
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        String trimmed = key.strip();
        Optional<Pattern> regex = regex(trimmed);
        if (regex.isPresent()) {
            return Optional.of(new LoreKey(
                    trimmed, regex.get(), true, false, regexFlags(trimmed).contains("y")));
        }
        return Optional.of(new LoreKey(
                caseSensitive ? trimmed : trimmed.toLowerCase(Locale.ROOT), null, caseSensitive, wholeWords, false));
    }

    /** Returns the regular expression {@code key} stands for, or empty when it is plain text. */
    static Optional<Pattern> regex(String key) {
        Matcher form = REGEX_FORM.matcher(key);
        if (!form.matches() || UNESCAPED_SLASH.matcher(form.group(1)).find()) {
            return Optional.empty();
        }
        int bits = 0;
        for (char flag : form.group(2).toCharArray()) {
            bits |= switch (flag) {
                case 'i' -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                case 'm' -> Pattern.MULTILINE;
                case 's' -> Pattern.DOTALL;
                default -> 0; // g, u and y change nothing a test for a match needs (y is handled by the caller)
            };
        }
        try {
            return Optional.of(Pattern.compile(form.group(1), bits));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String regexFlags(String key) {
        Matcher form = REGEX_FORM.matcher(key);
        return form.matches() ? form.group(2) : "";
    }

    /** Returns whether this key is a regular expression. */
    boolean isRegex() {
        return pattern != null;
    }

    /**
     * Returns whether the key occurs in the scanned text.
     *
     * @param original the text as written
     * @param lower the same text in lower case (computed once per scan)
     */
    boolean matches(String original, String lower) {
        if (pattern != null) {
            try {
                Matcher matcher = pattern.matcher(new BoundedText(original, MAX_STEPS));
                return sticky ? matcher.lookingAt() : matcher.find();
            } catch (BoundedText.TooExpensive e) {
                return false;
            }
        }
        String haystack = caseSensitive ? original : lower;
        if (!wholeWords || multiWord) {
            return haystack.contains(text);
        }
        int from = 0;
        while (true) {
            int at = haystack.indexOf(text, from);
            if (at < 0) {
                return false;
            }
            if ((at == 0 || !wordChar(haystack.charAt(at - 1)))
                    && (at + text.length() == haystack.length() || !wordChar(haystack.charAt(at + text.length())))) {
                return true;
            }
            from = at + 1;
        }
    }

    private static boolean wordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    @Override
    public String toString() {
        return text;
    }

    /** A text that stops a regular expression after a fixed number of character reads. */
    private static final class BoundedText implements CharSequence {

        static final class TooExpensive extends RuntimeException {
            private static final long serialVersionUID = 1L;

            TooExpensive() {
                super("regular expression took too many steps", null, false, false);
            }
        }

        private final String text;
        private final int[] budget;

        BoundedText(String text, int steps) {
            this(text, new int[] {steps});
        }

        private BoundedText(String text, int[] budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) {
                throw new TooExpensive();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BoundedText(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
