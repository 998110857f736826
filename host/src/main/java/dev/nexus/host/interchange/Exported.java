package dev.nexus.host.interchange;

import java.util.List;

/**
 * A personality written in an interchange format, ready to send or save. Immutable: the bytes are
 * copied in and out.
 *
 * @param bytes the file
 * @param contentType its media type, e.g. {@code image/png}
 * @param fileName a suggested ASCII file name, e.g. {@code seraphina.png}
 * @param warnings what the format could not carry
 */
public record Exported(byte[] bytes, String contentType, String fileName, List<String> warnings) {

    /** Copies the bytes and the warnings. */
    public Exported {
        bytes = bytes.clone();
        warnings = List.copyOf(warnings);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Exported that
                && java.util.Arrays.equals(bytes, that.bytes)
                && contentType.equals(that.contentType)
                && fileName.equals(that.fileName)
                && warnings.equals(that.warnings);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes) * 31 + fileName.hashCode();
    }

    @Override
    public String toString() {
        return "Exported[" + fileName + ", " + contentType + ", " + bytes.length + " bytes]";
    }
}
