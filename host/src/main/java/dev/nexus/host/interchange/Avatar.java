package dev.nexus.host.interchange;

import java.util.Arrays;

/**
 * An avatar image that came with an imported personality (the PNG card itself, without its card
 * chunks, or the CHARX main icon). Immutable: the bytes are copied in and out.
 *
 * @param bytes the image file
 * @param mediaType {@code image/png}, {@code image/jpeg}, {@code image/webp}, {@code image/gif} or
 *     {@code application/octet-stream}
 */
public record Avatar(byte[] bytes, String mediaType) {

    /** Copies the bytes and checks the media type is set. */
    public Avatar {
        bytes = bytes.clone();
        if (mediaType == null || mediaType.isBlank()) {
            throw new IllegalArgumentException("avatar media type is required");
        }
    }

    /** Returns an avatar whose media type is recognised from the first bytes. */
    public static Avatar of(byte[] bytes) {
        return new Avatar(bytes, sniff(bytes));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The usual file extension for the media type, without a dot ({@code png}). */
    public String extension() {
        return switch (mediaType) {
            case "image/png" -> "png";
            case "image/jpeg" -> "jpg";
            case "image/webp" -> "webp";
            case "image/gif" -> "gif";
            default -> "bin";
        };
    }

    static String sniff(byte[] b) {
        if (PngContainer.isPng(b)) {
            return "image/png";
        }
        if (b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        if (b.length > 12
                && b[0] == 'R'
                && b[1] == 'I'
                && b[2] == 'F'
                && b[3] == 'F'
                && b[8] == 'W'
                && b[9] == 'E'
                && b[10] == 'B'
                && b[11] == 'P') {
            return "image/webp";
        }
        if (b.length > 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
            return "image/gif";
        }
        return "application/octet-stream";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Avatar that && Arrays.equals(bytes, that.bytes) && mediaType.equals(that.mediaType);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + mediaType.hashCode();
    }

    @Override
    public String toString() {
        return "Avatar[" + mediaType + ", " + bytes.length + " bytes]";
    }
}
