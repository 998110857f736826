package dev.nexus.host.plugins;

/**
 * Makes text a plugin controls (ids, names, file names, manifest values, exception messages, reasons)
 * safe to put in a log line or an HTTP response: line breaks, control characters, ANSI escapes and
 * other invisible or bidirectional characters become {@code \n}, {@code \u001b}-style escapes, the
 * text is capped, and it is wrapped in {@code «…»} so a reader can tell plugin text from the host's
 * own words (the guillemets themselves are escaped inside, so a plugin cannot close the mark early).
 * A forged "newline + fake log line" in a plugin id stays on one line, visibly quoted.
 *
 * <p>Depends on the JDK only: the sandbox child uses it too. Stateless and thread-safe.
 */
public final class PluginText {

    /** The default cap, in characters, of quoted plugin text. */
    public static final int DEFAULT_LIMIT = 200;

    private PluginText() {}

    /** Returns {@code value} escaped, capped at {@link #DEFAULT_LIMIT} characters and marked as plugin text. */
    public static String quote(String value) {
        return quote(value, DEFAULT_LIMIT);
    }

    /** Returns {@code value} escaped, capped at {@code limit} characters and marked as plugin text. */
    public static String quote(String value, int limit) {
        return "«" + escape(value, limit) + "»";
    }

    /**
     * Returns {@code value} cut to {@code limit} characters (saying how long it was), without escaping: for
     * keeping plugin text bounded in storage; escape it with {@link #quote} or {@link #escape} on output.
     */
    public static String cut(String value, int limit) {
        String text = String.valueOf(value);
        return text.length() <= limit ? text : text.substring(0, limit) + "…(" + text.length() + " chars)";
    }

    /**
     * Returns {@code value} escaped and capped at {@code limit} characters (of the original text; a cut
     * says how long it was), without the plugin-text mark: for text embedded in a message already marked.
     */
    public static String escape(String value, int limit) {
        String text = String.valueOf(value);
        boolean cut = text.length() > limit;
        String kept = cut ? text.substring(0, limit) : text;
        StringBuilder out = new StringBuilder(kept.length() + 16);
        for (int i = 0; i < kept.length(); i++) {
            char c = kept.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (unsafe(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (cut) {
            out.append("…(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    /** Control characters, line and paragraph separators, bidi overrides, lone surrogates, the mark itself. */
    private static boolean unsafe(char c) {
        return Character.isISOControl(c)
                || c == '«'
                || c == '»'
                || c == '\u2028'
                || c == '\u2029'
                || c == '\u0085'
                || (c >= '\u200b' && c <= '\u200f')
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\ufeff'
                || Character.isSurrogate(c);
    }
}
