package dev.nexus.host.interchange;

import dev.nexus.host.json.JsonTree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test fixtures: the card files under {@code src/test/resources/interchange/}, and PNG and zip files
 * built by hand (independently of the code under test) around them.
 */
final class Fixtures {

    static final InterchangeLimits LIMITS = InterchangeLimits.defaults();

    private Fixtures() {}

    static byte[] resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/interchange/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource interchange/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parsed JSON tree of a resource. */
    static Object tree(String name) {
        return new JsonTree(LIMITS.maxJsonDepth(), LIMITS.maxCardBytes()).read(resource(name), name);
    }

    static Object tree(byte[] json) {
        return new JsonTree(LIMITS.maxJsonDepth(), LIMITS.maxCardBytes()).read(json, "test json");
    }

    /** A tiny valid 1x1 PNG: signature, IHDR, IDAT, IEND, plus the given extra chunks before IEND. */
    static byte[] png(byte[]... extraChunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        out.writeBytes(chunk("IHDR", new byte[] {0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0}));
        // One scanline of a 1x1 RGB image: filter byte 0 and a teal pixel, zlib-compressed.
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(new byte[] {0, 0x20, (byte) 0x80, (byte) 0x80});
        deflater.finish();
        byte[] idat = new byte[64];
        int size = deflater.deflate(idat);
        deflater.end();
        out.writeBytes(chunk("IDAT", java.util.Arrays.copyOf(idat, size)));
        for (byte[] extra : extraChunks) {
            out.writeBytes(extra);
        }
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /**
     * A lossless WebP (RIFF + VP8L) of {@code width}×{@code height} pixels, all of one opaque colour,
     * written from the WebP lossless bitstream specification: no transforms, no colour cache, and five
     * "simple" prefix codes of one symbol each (green, red, blue, alpha, distance), so every pixel
     * takes zero bits. Real WebP decoders read it; it lets tests carry a WebP avatar without a binary file.
     */
    static byte[] webp(int width, int height, int red, int green, int blue) {
        long bits = 0;
        int count = 0;
        java.io.ByteArrayOutputStream vp8l = new java.io.ByteArrayOutputStream();
        vp8l.write(0x2f);
        long[][] fields = {
            {width - 1, 14},
            {height - 1, 14},
            {0, 1},
            {0, 3}, // size, alpha hint, version 0
            {0, 1},
            {0, 1},
            {0, 1}, // no transform, no colour cache, no meta codes
            {1, 1},
            {0, 1},
            {1, 1},
            {green, 8}, // green: simple code, one 8-bit symbol
            {1, 1},
            {0, 1},
            {1, 1},
            {red, 8},
            {1, 1},
            {0, 1},
            {1, 1},
            {blue, 8},
            {1, 1},
            {0, 1},
            {1, 1},
            {255, 8}, // alpha: opaque
            {1, 1},
            {0, 1},
            {0, 1},
            {0, 1}, // distance: one 1-bit symbol, 0
        };
        for (long[] field : fields) {
            bits |= field[0] << count;
            count += (int) field[1];
            while (count >= 8) {
                vp8l.write((int) (bits & 0xff));
                bits >>>= 8;
                count -= 8;
            }
        }
        if (count > 0) {
            vp8l.write((int) bits);
        }
        // Trailing zero bytes are never read by a decoder; TwelveMonkeys' reader fetches 8 bytes at a time
        // and needs them (libwebp's encoder output is never this short).
        vp8l.writeBytes(new byte[16]);
        byte[] data = vp8l.toByteArray();
        java.nio.ByteBuffer riff = java.nio.ByteBuffer.allocate(20 + data.length + (data.length & 1))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(12 + data.length + (data.length & 1))
                .put("WEBP".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("VP8L".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(data.length)
                .put(data);
        return riff.array();
    }

    /** One PNG chunk with a correct CRC. */
    static byte[] chunk(String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int length = data.length;
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        long value = crc.getValue();
        out.write((int) (value >>> 24));
        out.write((int) (value >>> 16));
        out.write((int) (value >>> 8));
        out.write((int) value);
        return out.toByteArray();
    }

    /** A tEXt chunk whose text is base64 of {@code json}. */
    static byte[] cardChunk(String keyword, byte[] json) {
        return textChunk(keyword, Base64.getEncoder().encodeToString(json));
    }

    static byte[] textChunk(String keyword, String text) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(keyword.getBytes(StandardCharsets.ISO_8859_1));
        data.write(0);
        data.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        return chunk("tEXt", data.toByteArray());
    }

    /** A zip with the given entries, in order, deflated. */
    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
