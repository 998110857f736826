package dev.nexus.plugin.telegram;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a personality's reply (plain text with the usual Markdown a model writes) into Telegram
 * {@code sendMessage} texts with {@code parse_mode: MarkdownV2}: split so that no message shows more
 * than {@value #LIMIT} characters, code spans and fenced blocks kept as code (a block cut by a split is
 * closed and reopened), {@code **bold**} kept bold, and every other character Telegram reserves
 * ({@code _*[]()~`>#+-=|{}.!} and the backslash) escaped so it shows literally. Stateless.
 */
final class MarkdownV2 {

    /** Telegram's limit on a message's text, in characters after formatting. */
    static final int LIMIT = 4096;

    /** The source characters per part: formatting only removes visible characters, and this leaves room for a reopened fence. */
    private static final int BUDGET = LIMIT - 16;

    private static final String RESERVED = "_*[]()~`>#+-=|{}.!\\";
    private static final String FENCE = "```";

    private MarkdownV2() {}

    /** Returns the MarkdownV2 texts to send, in order: one for a short reply, several for a long one; never empty. */
    static List<String> messages(String reply) {
        List<String> parts = split(reply.strip().isEmpty() ? "…" : reply.strip(), BUDGET);
        List<String> texts = new ArrayList<>(parts.size());
        boolean reopen = false;
        String language = "";
        for (String part : parts) {
            String source = reopen ? FENCE + language + "\n" + part : part;
            int fences = count(source, FENCE);
            if (fences % 2 == 1) {
                language = openLanguage(source);
                source = source + "\n" + FENCE;
                reopen = true;
            } else {
                reopen = false;
            }
            texts.add(format(source));
        }
        return texts;
    }

    /**
     * Splits {@code text} into parts of at most {@code budget} UTF-16 units, preferring a paragraph break,
     * then a line break, then a space in the second half of each part; never inside a surrogate pair.
     */
    static List<String> split(String text, int budget) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (text.length() - start > budget) {
            int end = start + budget;
            if (Character.isLowSurrogate(text.charAt(end))) {
                end--;
            }
            int floor = start + budget / 2;
            int cut = lastBefore(text, "\n\n", floor, end);
            if (cut < 0) {
                cut = lastBefore(text, "\n", floor, end);
            }
            if (cut < 0) {
                cut = lastBefore(text, " ", floor, end);
            }
            if (cut < 0) {
                cut = end;
            }
            parts.add(text.substring(start, cut).stripTrailing());
            start = cut;
            while (start < text.length() && Character.isWhitespace(text.charAt(start)) && start < cut + 2) {
                start++;
            }
        }
        parts.add(text.substring(start));
        parts.removeIf(String::isBlank);
        return parts.isEmpty() ? List.of("…") : parts;
    }

    private static int lastBefore(String text, String separator, int floor, int end) {
        int at = text.lastIndexOf(separator, end - separator.length());
        return at >= floor ? at : -1;
    }

    /** Formats one part: code kept as code, bold kept bold, everything else escaped. */
    static String format(String source) {
        StringBuilder out = new StringBuilder(source.length() + 32);
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith(FENCE, i)) {
                int close = source.indexOf(FENCE, i + 3);
                if (close > 0) {
                    out.append(FENCE)
                            .append(escapeCode(source.substring(i + 3, close)))
                            .append(FENCE);
                    i = close + 3;
                    continue;
                }
            } else if (source.charAt(i) == '`') {
                int close = source.indexOf('`', i + 1);
                if (close > i + 1 && source.substring(i + 1, close).indexOf('\n') < 0) {
                    out.append('`')
                            .append(escapeCode(source.substring(i + 1, close)))
                            .append('`');
                    i = close + 1;
                    continue;
                }
            } else if (source.startsWith("**", i)) {
                int close = source.indexOf("**", i + 2);
                if (close > i + 2) {
                    out.append('*')
                            .append(escape(source.substring(i + 2, close)))
                            .append('*');
                    i = close + 2;
                    continue;
                }
            }
            char c = source.charAt(i);
            if (RESERVED.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** Escapes every reserved character of plain text. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (RESERVED.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Inside code only the backtick and the backslash are escaped. */
    private static String escapeCode(String text) {
        return text.replace("\\", "\\\\").replace("`", "\\`");
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
            n++;
        }
        return n;
    }

    /** The language word after the last opening fence, so a reopened block keeps its highlighting. */
    private static String openLanguage(String source) {
        int at = source.lastIndexOf(FENCE);
        int end = source.indexOf('\n', at);
        String word = end < 0 ? "" : source.substring(at + 3, end).strip();
        return word.matches("[A-Za-z0-9_+-]{1,20}") ? word : "";
    }
}
