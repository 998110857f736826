package dev.nexus.host.interchange;

import dev.nexus.host.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal {@code multipart/form-data} reader for the import endpoint: finds the uploaded file (the
 * part named {@code file}, else the first part with a file name, else the first part). Bodies are
 * already size-limited by the HTTP layer. Stateless.
 */
final class Multipart {

    private static final Pattern BOUNDARY =
            Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("[;\\s]name=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    private Multipart() {}

    /** One part: its form field name, its file name if any, and its bytes. */
    record Part(String name, Optional<String> fileName, byte[] content) {}

    static boolean isMultipart(Optional<String> contentType) {
        return contentType
                .map(t -> t.toLowerCase(Locale.ROOT).startsWith("multipart/form-data"))
                .orElse(false);
    }

    /**
     * Returns the uploaded file of a multipart body.
     *
     * @throws InvalidInputException when the body is not well-formed multipart or holds no part
     */
    static Part file(byte[] body, String contentType) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new InvalidInputException("multipart/form-data request has no boundary in its Content-Type;"
                    + " let the HTTP client build the multipart body");
        }
        byte[] delimiter =
                ("--" + (m.group(1) != null ? m.group(1) : m.group(2))).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delimiter, 0);
        Part first = null;
        Part firstFile = null;
        while (pos >= 0) {
            int after = pos + delimiter.length;
            if (after + 2 <= body.length && body[after] == '-' && body[after + 1] == '-') {
                break;
            }
            int headersStart = skipLineBreak(body, after);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersEnd < 0) {
                throw truncated();
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            int contentStart = headersEnd + 4;
            byte[] next =
                    ("\r\n" + new String(delimiter, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
            int contentEnd = indexOf(body, next, contentStart);
            if (contentEnd < 0) {
                throw truncated();
            }
            Part part = new Part(
                    group(NAME, headers).orElse(""),
                    group(FILENAME, headers),
                    Arrays.copyOfRange(body, contentStart, contentEnd));
            if (part.name().equals("file")) {
                return part;
            }
            if (first == null) {
                first = part;
            }
            if (firstFile == null && part.fileName().isPresent()) {
                firstFile = part;
            }
            pos = contentEnd + 2;
        }
        Part chosen = firstFile != null ? firstFile : first;
        if (chosen == null) {
            throw new InvalidInputException("the multipart body holds no file; send the card as a part named 'file'");
        }
        return chosen;
    }

    private static Optional<String> group(Pattern pattern, String headers) {
        Matcher m = pattern.matcher(headers);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static InvalidInputException truncated() {
        return new InvalidInputException(
                "the multipart body is truncated or malformed (a part has no end);" + " send the whole upload again");
    }

    private static int skipLineBreak(byte[] body, int at) {
        if (at + 1 < body.length && body[at] == '\r' && body[at + 1] == '\n') {
            return at + 2;
        }
        return at;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
