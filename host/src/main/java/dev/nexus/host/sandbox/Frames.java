package dev.nexus.host.sandbox;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Length-prefixed frames over the child's stdin and stdout: a 4-byte big-endian length, then that many
 * bytes of UTF-8 JSON. A length over the reader's limit is a protocol violation, never an allocation.
 * Depends on the JDK only. Stateless.
 */
final class Frames {

    /** A frame announced more bytes than the reader accepts. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    private Frames() {}

    /** Writes one frame and flushes. */
    static void write(OutputStream out, String json) throws IOException {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        int n = payload.length;
        out.write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        out.write(payload);
        out.flush();
    }

    /**
     * Reads one frame of at most {@code maxBytes}.
     *
     * @throws EOFException when the stream ends, cleanly or inside a frame
     * @throws TooLarge when the announced length is negative or over {@code maxBytes}
     */
    static String read(InputStream in, int maxBytes) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            throw new EOFException(header.length == 0 ? "end of stream" : "stream ended inside a frame header");
        }
        int n = ((header[0] & 0xff) << 24)
                | ((header[1] & 0xff) << 16)
                | ((header[2] & 0xff) << 8)
                | (header[3] & 0xff);
        if (n < 0 || n > maxBytes) {
            throw new TooLarge("a frame of " + Integer.toUnsignedString(n) + " bytes exceeds the limit of " + maxBytes);
        }
        byte[] payload = in.readNBytes(n);
        if (payload.length < n) {
            throw new EOFException("stream ended inside a frame (" + payload.length + " of " + n + " bytes)");
        }
        return new String(payload, StandardCharsets.UTF_8);
    }
}
