package dev.nexus.host.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client sends: any bytes as the request
 * line, the headers and the framing (truncated bodies, broken chunks, oversized headers). One
 * connection per request ({@code Connection: close}). Stateless.
 */
final class RawHttp {

    /** A response: status, headers with lower-case names, body (chunked framing removed). */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    private final URI base;

    RawHttp(URI base) {
        this.base = base;
    }

    /**
     * Sends {@code head} (request line and headers, without the blank line; {@code Host} and
     * {@code Connection: close} are added) and {@code body} as is, then closes the sending side so a
     * short body ends at once, and reads the whole response.
     *
     * @throws AssertionError when no response arrives within 10 seconds
     */
    Response send(String head, byte[] body) {
        return send(head.getBytes(StandardCharsets.ISO_8859_1), body);
    }

    Response send(byte[] head, byte[] body) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head);
                out.write(("\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException answeredEarly) {
                // The server answered (and closed) before reading everything, e.g. a refused path or header: read that
                // answer.
            }
            return parse(socket.getInputStream().readAllBytes());
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within 10 s to " + firstLine(head), e);
        } catch (IOException e) {
            throw new UncheckedIOException("sending " + firstLine(head), e);
        }
    }

    private static String firstLine(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int end = text.indexOf('\r');
        String line = end < 0 ? text : text.substring(0, end);
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }

    private static Response parse(byte[] bytes) throws IOException {
        int split = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (split < 0) {
            throw new IOException("no complete response head in " + bytes.length + " bytes: "
                    + new String(bytes, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(bytes, 0, split, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, split + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Response(status, headers, body);
    }

    private static byte[] unchunk(byte[] chunked) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new java.io.ByteArrayInputStream(chunked);
        while (true) {
            StringBuilder size = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    size.append((char) c);
                }
            }
            String hex = size.toString().split(";")[0].strip();
            if (hex.isEmpty()) {
                return out.toByteArray();
            }
            int length = Integer.parseInt(hex, 16);
            if (length == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(length));
            in.read();
            in.read();
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
