package dev.nexus.host.interchange;

import dev.nexus.host.InvalidInputException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Reads and writes character cards embedded in PNG and APNG files: a {@code tEXt} chunk with the
 * keyword {@code ccv3} (V3) or {@code chara} (V2/V1), compared case-insensitively, holding base64 of
 * the UTF-8 card JSON.
 *
 * <p>Reading walks the chunk list itself (no image decoding): the signature, every chunk's length
 * against the remaining bytes and {@link InterchangeLimits#maxPngChunkBytes()}, every CRC, IHDR first
 * and IEND present. The avatar is the same PNG with the card chunks removed; every other chunk
 * (APNG frames, {@code chara-ext-asset_} chunks, colour profiles) is kept byte for byte. Stateless.
 */
final class PngContainer {

    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    static final String V3_KEYWORD = "ccv3";
    static final String V2_KEYWORD = "chara";

    private PngContainer() {}

    /** One chunk: its type and where its data lies in the file. */
    private record Chunk(String type, int start, int dataStart, int length) {
        int end() {
            return dataStart + length + 4;
        }
    }

    /** The card text chunks found in a PNG and the PNG without them. */
    record Read(Optional<String> ccv3, Optional<String> chara, byte[] avatar) {}

    static boolean isPng(byte[] bytes) {
        return bytes.length >= SIGNATURE.length
                && Arrays.equals(bytes, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length);
    }

    /**
     * Reads the card chunks of {@code png}.
     *
     * @throws InvalidInputException when the PNG is truncated, corrupt, over a limit or has no card chunk
     */
    static Read read(byte[] png, InterchangeLimits limits) {
        List<Chunk> chunks = chunks(png, limits);
        String ccv3 = null;
        String chara = null;
        ByteArrayOutputStream avatar = new ByteArrayOutputStream(png.length);
        avatar.writeBytes(SIGNATURE);
        for (Chunk chunk : chunks) {
            String keyword = chunk.type.equals("tEXt") ? keyword(png, chunk) : "";
            if (keyword.equals(V3_KEYWORD) || keyword.equals(V2_KEYWORD)) {
                String text = new String(
                        png,
                        chunk.dataStart + keyword.length() + 1,
                        chunk.length - keyword.length() - 1,
                        StandardCharsets.ISO_8859_1);
                if (keyword.equals(V3_KEYWORD) && ccv3 == null) {
                    ccv3 = text;
                } else if (keyword.equals(V2_KEYWORD) && chara == null) {
                    chara = text;
                }
                continue;
            }
            avatar.write(png, chunk.start, chunk.end() - chunk.start);
        }
        if (ccv3 == null && chara == null) {
            throw new InvalidInputException("the PNG holds no character card (no 'ccv3' or 'chara' tEXt chunk); it is"
                    + " a plain image: export the character as a card PNG from its editor, or send its JSON");
        }
        return new Read(Optional.ofNullable(ccv3), Optional.ofNullable(chara), avatar.toByteArray());
    }

    /**
     * Decodes the base64 text of a card chunk.
     *
     * @throws InvalidInputException when it is not base64 or decodes to more than the card limit
     */
    static byte[] decode(String text, String keyword, InterchangeLimits limits) {
        String compact = text.strip();
        if (compact.indexOf('\n') >= 0 || compact.indexOf('\r') >= 0 || compact.indexOf(' ') >= 0) {
            compact = compact.replaceAll("\\s+", "");
        }
        if ((long) compact.length() / 4 * 3 > limits.maxCardBytes()) {
            throw new InvalidInputException(
                    "the PNG's '" + keyword + "' chunk would decode to more than " + limits.maxCardBytes()
                            + " bytes, the card size limit; shorten the card or raise interchange.max-card-bytes");
        }
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "the PNG's '" + keyword + "' chunk is not valid base64 ("
                            + InvalidInputException.cap(e.getMessage())
                            + "); the card inside is damaged: export it again",
                    e);
        }
    }

    /**
     * Returns {@code avatarPng} with its card chunks replaced by a {@code chara} chunk holding
     * {@code v2Json} and a {@code ccv3} chunk holding {@code v3Json}, just before IEND.
     */
    static byte[] write(byte[] avatarPng, byte[] v2Json, byte[] v3Json, InterchangeLimits limits) {
        List<Chunk> chunks = chunks(avatarPng, limits);
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(avatarPng.length + (v2Json.length + v3Json.length) * 4 / 3 + 64);
        out.writeBytes(SIGNATURE);
        for (Chunk chunk : chunks) {
            if (chunk.type.equals("IEND")) {
                writeText(out, V2_KEYWORD, Base64.getEncoder().encodeToString(v2Json));
                writeText(out, V3_KEYWORD, Base64.getEncoder().encodeToString(v3Json));
            } else if (chunk.type.equals("tEXt")) {
                String keyword = keyword(avatarPng, chunk);
                if (keyword.equals(V2_KEYWORD) || keyword.equals(V3_KEYWORD)) {
                    continue;
                }
            }
            out.write(avatarPng, chunk.start, chunk.end() - chunk.start);
        }
        return out.toByteArray();
    }

    private static void writeText(ByteArrayOutputStream out, String keyword, String text) {
        byte[] key = keyword.getBytes(StandardCharsets.ISO_8859_1);
        byte[] value = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = new byte[4 + key.length + 1 + value.length];
        body[0] = 't';
        body[1] = 'E';
        body[2] = 'X';
        body[3] = 't';
        System.arraycopy(key, 0, body, 4, key.length);
        System.arraycopy(value, 0, body, 4 + key.length + 1, value.length);
        int length = body.length - 4;
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.writeBytes(body);
        CRC32 crc = new CRC32();
        crc.update(body);
        long value32 = crc.getValue();
        out.write((int) (value32 >>> 24));
        out.write((int) (value32 >>> 16));
        out.write((int) (value32 >>> 8));
        out.write((int) value32);
    }

    /** The lower-cased keyword of a tEXt chunk, or empty when it has none. */
    private static String keyword(byte[] png, Chunk chunk) {
        int limit = Math.min(chunk.length, 80);
        for (int i = 0; i < limit; i++) {
            if (png[chunk.dataStart + i] == 0) {
                return new String(png, chunk.dataStart, i, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }

    private static List<Chunk> chunks(byte[] png, InterchangeLimits limits) {
        if (!isPng(png)) {
            throw new InvalidInputException("the file does not start with the PNG signature; send a PNG card");
        }
        List<Chunk> chunks = new ArrayList<>();
        int pos = SIGNATURE.length;
        CRC32 crc = new CRC32();
        while (true) {
            if (png.length - pos < 12) {
                throw new InvalidInputException(
                        "the PNG is truncated at byte " + pos + " (no IEND chunk); the upload or"
                                + " download was cut short: get the whole file and try again");
            }
            long length = Integer.toUnsignedLong(readInt(png, pos));
            String type = new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                throw new InvalidInputException(
                        "the PNG is corrupt: chunk at byte " + pos + " has an invalid type; the file is damaged");
            }
            if (length > Integer.MAX_VALUE || length > limits.maxPngChunkBytes()) {
                throw new InvalidInputException("the PNG's '" + type + "' chunk at byte " + pos + " declares " + length
                        + " bytes, more than the limit of " + limits.maxPngChunkBytes()
                        + " per chunk; use a smaller image or raise interchange.max-png-chunk-bytes");
            }
            if (length > png.length - pos - 12L) {
                throw new InvalidInputException(
                        "the PNG is truncated: chunk '" + type + "' at byte " + pos + " declares " + length
                                + " bytes but only " + (png.length - pos - 12) + " follow; get the whole file");
            }
            int dataStart = pos + 8;
            crc.reset();
            crc.update(png, pos + 4, 4 + (int) length);
            if ((int) crc.getValue() != readInt(png, dataStart + (int) length)) {
                throw new InvalidInputException("the PNG's '" + type + "' chunk at byte " + pos
                        + " has a wrong CRC: the file is damaged; export or download it again");
            }
            if (chunks.isEmpty() && !type.equals("IHDR")) {
                throw new InvalidInputException("the PNG is corrupt: its first chunk is '" + type + "', not IHDR");
            }
            Chunk chunk = new Chunk(type, pos, dataStart, (int) length);
            chunks.add(chunk);
            if (chunks.size() > limits.maxPngChunks()) {
                throw new InvalidInputException(
                        "the PNG has more than " + limits.maxPngChunks() + " chunks; that is not a normal card image");
            }
            pos = chunk.end();
            if (type.equals("IEND")) {
                return chunks;
            }
        }
    }

    private static int readInt(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 24)
                | ((bytes[at + 1] & 0xff) << 16)
                | ((bytes[at + 2] & 0xff) << 8)
                | (bytes[at + 3] & 0xff);
    }

    /** Re-encodes an image ImageIO can read (JPEG, GIF, BMP) as PNG; empty when it cannot. */
    static Optional<byte[]> toPng(byte[] image) {
        try {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image));
            if (decoded == null) {
                return Optional.empty();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(decoded, "png", out);
            return Optional.of(out.toByteArray());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A 400×600 placeholder portrait for a personality without an avatar: a vertical gradient in a
     * colour chosen from the name, so different personalities look different and the same one always
     * looks the same. Drawn pixel by pixel (no fonts needed on a headless server).
     */
    static byte[] placeholder(String name) {
        int hash = name.hashCode();
        float hue = ((hash & 0x7fffffff) % 360) / 360f;
        int width = 400;
        int height = 600;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            float brightness = 0.85f - 0.45f * y / height;
            int rgb = java.awt.Color.HSBtoRGB(hue, 0.45f, brightness);
            Arrays.fill(row, rgb);
            int cx = width / 2;
            int cy = height * 2 / 5;
            int r = width / 4;
            int dy = y - cy;
            if (Math.abs(dy) < r) {
                int half = (int) Math.sqrt((double) r * r - (double) dy * dy);
                Arrays.fill(row, cx - half, cx + half, java.awt.Color.HSBtoRGB(hue, 0.25f, 0.95f));
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
