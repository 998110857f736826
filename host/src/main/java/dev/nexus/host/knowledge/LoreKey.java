package dev.nexus.host.knowledge;

import dev.nexus.host.InvalidInputException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One compiled activation key: a plain phrase (optionally case-sensitive, optionally whole words)
 * or a regular expression written {@code /pattern/flags} (SillyTavern's form; flags {@code i m s u},
 * JavaScript's {@code g y} are accepted and mean nothing here). A regular expression from an
 * imported lorebook may be hostile, so matching is bounded: past {@value #MAX_STEPS} character reads
 * the key counts as not matching. Immutable and thread-safe.
 */
final class LoreKey {

    static final int MAX_STEPS = 200_000;
    private static final Pattern REGEX_FORM = Pattern.compile("^/(.+)/([a-z]*)$", Pattern.DOTALL);

    private final String text;
    private final Pattern pattern;
    private final boolean caseSensitive;
    private final boolean wholeWords;

    private LoreKey(String text, Pattern pattern, boolean caseSensitive, boolean wholeWords) {
        this.text = text;
        this.pattern = pattern;
        this.caseSensitive = caseSensitive;
        this.wholeWords = wholeWords;
    }

    /**
     * Compiles {@code key}. It is a regular expression when {@code useRegex} is set or when it is
     * written {@code /pattern/flags}.
     *
     * @throws InvalidInputException for an empty key or an invalid regular expression
     */
    static LoreKey compile(String key, boolean useRegex, boolean caseSensitive, boolean wholeWords) {
        if (key == null || key.isBlank()) {
            throw new InvalidInputException("a lore key is empty; remove it or give it text");
        }
        Matcher form = REGEX_FORM.matcher(key.strip());
        if (form.matches() || useRegex) {
            String body = form.matches() ? form.group(1) : key;
            String flags = form.matches() ? form.group(2) : "";
            int bits = caseSensitive && !flags.contains("i") ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
            for (char flag : flags.toCharArray()) {
                bits |= switch (flag) {
                    case 'm' -> Pattern.MULTILINE;
                    case 's' -> Pattern.DOTALL;
                    case 'u' -> Pattern.UNICODE_CHARACTER_CLASS;
                    case 'i', 'g', 'y' -> 0;
                    default -> throw new InvalidInputException("lore key '" + InvalidInputException.cap(key)
                            + "' has an unknown regex flag '" + flag + "'; use i, m, s or u");
                };
            }
            try {
                return new LoreKey(key, Pattern.compile(body, bits), caseSensitive, false);
            } catch (PatternSyntaxException e) {
                throw new InvalidInputException("lore key '" + InvalidInputException.cap(key)
                        + "' is not a valid regular expression (" + e.getDescription() + "); fix it or write it as plain text");
            }
        }
        String phrase = key.strip();
        return new LoreKey(caseSensitive ? phrase : phrase.toLowerCase(Locale.ROOT), null, caseSensitive, wholeWords);
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
                return pattern.matcher(new BoundedText(original, MAX_STEPS)).find();
            } catch (BoundedText.TooExpensive e) {
                return false;
            }
        }
        String haystack = caseSensitive ? original : lower;
        int from = 0;
        while (true) {
            int at = haystack.indexOf(text, from);
            if (at < 0) {
                return false;
            }
            if (!wholeWords || atWordBoundaries(haystack, at, at + text.length())) {
                return true;
            }
            from = at + 1;
        }
    }

    private boolean atWordBoundaries(String haystack, int start, int end) {
        boolean left = start == 0 || !Character.isLetterOrDigit(text.charAt(0))
                || !Character.isLetterOrDigit(haystack.charAt(start - 1));
        boolean right = end == haystack.length() || !Character.isLetterOrDigit(text.charAt(text.length() - 1))
                || !Character.isLetterOrDigit(haystack.charAt(end));
        return left && right;
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
