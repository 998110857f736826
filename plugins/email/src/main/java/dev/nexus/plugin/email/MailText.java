package dev.nexus.plugin.email;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a mail body into what the personality should read: HTML into plain text (no script, style or
 * head content, block elements as line breaks, entities decoded), then the quoted tail of a reply cut
 * off ({@code On … wrote:}, {@code -----Original Message-----}, {@code >} lines) and the signature
 * ({@code -- }), whitespace tidied and the length capped. Stateless and thread-safe.
 */
final class MailText {

    private static final Pattern HIDDEN =
            Pattern.compile("(?is)<!--.*?-->|<(script|style|head|title|template|noscript)\\b[^>]*>.*?</\\1\\s*>");
    private static final Pattern LINE_BREAK_TAGS = Pattern.compile(
            "(?i)<\\s*(br|/p|p|/div|div|/h[1-6]|h[1-6]|/tr|tr|/ul|/ol|/table|hr|/blockquote|blockquote)\\b[^>]*>");
    private static final Pattern LIST_ITEM = Pattern.compile("(?i)<\\s*li\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern UNCLOSED_TAG = Pattern.compile("<[a-zA-Z/!?][^>]*\\z");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Pattern WROTE = Pattern.compile(
            "(?i)^\\s*(on\\b.{0,300}\\bwrote\\s*:|am\\b.{0,300}\\bschrieb.{0,80}:|le\\b.{0,300}\\ba écrit\\s*:|el\\b.{0,300}\\bescribió\\s*:)\\s*$");
    private static final Pattern ORIGINAL =
            Pattern.compile("(?i)^\\s*-{2,}\\s*(original message|forwarded message)\\s*-{2,}\\s*$");
    private static final Pattern OUTLOOK_FROM = Pattern.compile("(?i)^\\s*(from|von|de)\\s*:\\s.+");

    private MailText() {}

    /** HTML to readable text. */
    static String fromHtml(String html) {
        String text = HIDDEN.matcher(html).replaceAll(" ");
        text = LIST_ITEM.matcher(text).replaceAll("\n- ");
        text = LINE_BREAK_TAGS.matcher(text).replaceAll("\n");
        text = TAG.matcher(text).replaceAll("");
        text = UNCLOSED_TAG.matcher(text).replaceAll("");
        return decodeEntities(text);
    }

    /** The new text of a reply: quoted tail and signature cut, whitespace tidied, at most {@code maxChars}. */
    static String newText(String body, int maxChars) {
        String[] lines = body.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String joined = i + 1 < lines.length ? line + " " + lines[i + 1] : line;
            if (WROTE.matcher(line).matches()
                    || ORIGINAL.matcher(line).matches()
                    || line.equals("-- ")
                    || line.stripLeading().toLowerCase(Locale.ROOT).startsWith("on ")
                            && WROTE.matcher(joined).matches()
                    || OUTLOOK_FROM.matcher(line).matches()
                            && !kept.isEmpty()
                            && kept.getLast().isBlank()
                            && i + 1 < lines.length
                            && lines[i + 1].matches("(?i)^\\s*(sent|date|gesendet|envoyé)\\s*:.*")) {
                break;
            }
            if (line.stripLeading().startsWith(">")) {
                continue;
            }
            kept.add(line.replaceAll("[\\p{Cntrl}&&[^\\t]]", "")
                    .replace('\u00a0', ' ')
                    .stripTrailing());
        }
        String text = String.join("\n", kept)
                .replaceAll("\n{3,}", "\n\n")
                .replaceAll("[ \\t]{2,}", " ")
                .strip();
        if (text.length() > maxChars) {
            int end = Character.isLowSurrogate(text.charAt(maxChars)) ? maxChars - 1 : maxChars;
            text = text.substring(0, end) + "…";
        }
        return text;
    }

    private static String decodeEntities(String text) {
        return ENTITY.matcher(text).replaceAll(match -> {
            String name = match.group(1);
            String decoded;
            if (name.startsWith("#x") || name.startsWith("#X")) {
                decoded = codePoint(Integer.parseInt(name.substring(2), 16));
            } else if (name.startsWith("#")) {
                decoded = codePoint(Integer.parseInt(name.substring(1)));
            } else {
                decoded = switch (name.toLowerCase(Locale.ROOT)) {
                    case "amp" -> "&";
                    case "lt" -> "<";
                    case "gt" -> ">";
                    case "quot" -> "\"";
                    case "apos" -> "'";
                    case "nbsp" -> " ";
                    case "ndash" -> "–";
                    case "mdash" -> "—";
                    case "hellip" -> "…";
                    case "rsquo", "lsquo" -> "'";
                    case "rdquo", "ldquo" -> "\"";
                    case "euro" -> "€";
                    case "copy" -> "©";
                    default -> match.group();
                };
            }
            return java.util.regex.Matcher.quoteReplacement(decoded);
        });
    }

    private static String codePoint(int value) {
        return Character.isValidCodePoint(value) && !Character.isISOControl(value) && (value < 0xD800 || value > 0xDFFF)
                ? new String(Character.toChars(value))
                : " ";
    }

    /** Escapes text for HTML and keeps its paragraphs and line breaks. */
    static String toHtml(String text) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body>");
        for (String paragraph : text.strip().split("\n\\s*\n")) {
            html.append("<p>");
            String[] lines = paragraph.split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    html.append("<br>");
                }
                html.append(escape(lines[i]));
            }
            html.append("</p>");
        }
        return html.append("</body></html>").toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
