package dev.nexus.host.interchange;

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

    private Fixtures() {
    }

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
        return new CardJson(LIMITS).read(resource(name), name);
    }

    static Object tree(byte[] json) {
        return new CardJson(LIMITS).read(json, "test json");
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
