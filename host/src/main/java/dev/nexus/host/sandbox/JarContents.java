package dev.nexus.host.sandbox;

import dev.nexus.host.plugins.PluginText;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The entries of a sandboxed plugin jar, read from its bytes with size limits. The admission scan
 * (host) and the plugin class loader (child JVM) both read jars through this class, so both see
 * exactly the same entries: duplicate names, the classic way to show a scanner one class and a loader
 * another, are refused. Depends on the JDK only. Immutable.
 */
final class JarContents {

    static final String MANIFEST = "META-INF/MANIFEST.MF";
    static final String FITNESS_CLASS = "Nexus-Fitness-Class";

    /** The jar cannot be read, or breaks a limit. The message names the entry and the limit. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    private static final int MAX_ENTRIES = 4_096;
    private static final int MAX_ENTRY_BYTES = 4 << 20;
    private static final int MAX_TOTAL_BYTES = 32 << 20;

    private final Map<String, byte[]> entries;

    private JarContents(Map<String, byte[]> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** Reads every file entry of {@code jar}, refusing duplicates, odd names and oversized content. */
    static JarContents read(byte[] jar) throws Unreadable {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                String name = entry.getName();
                checkName(name);
                if (entries.size() >= MAX_ENTRIES) {
                    throw new Unreadable("the jar has more than " + MAX_ENTRIES + " entries");
                }
                byte[] content = readCapped(zip, name);
                total += content.length;
                if (total > MAX_TOTAL_BYTES) {
                    throw new Unreadable("the jar expands to more than " + (MAX_TOTAL_BYTES >> 20) + " MiB");
                }
                if (name.endsWith("/")) {
                    continue;
                }
                if (entries.putIfAbsent(name, content) != null) {
                    throw new Unreadable("entry '" + cap(name) + "' appears twice; a jar must name each entry once");
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new Unreadable("not a readable jar: " + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw new Unreadable("not a readable jar: it has no entries");
        }
        return new JarContents(entries);
    }

    /** Returns the entries by name, in jar order, directories left out. */
    Map<String, byte[]> entries() {
        return entries;
    }

    /** Returns a main attribute of the manifest, or empty. */
    Optional<String> manifestAttribute(String name) {
        byte[] manifest = entries.get(MANIFEST);
        if (manifest == null) {
            return Optional.empty();
        }
        try {
            Attributes attributes = new Manifest(new ByteArrayInputStream(manifest)).getMainAttributes();
            return Optional.ofNullable(attributes.getValue(name))
                    .map(String::strip)
                    .filter(v -> !v.isEmpty());
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Returns the lower-case hex SHA-256 of {@code bytes}. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    private static void checkName(String name) throws Unreadable {
        boolean odd = name.isEmpty()
                || name.startsWith("/")
                || name.contains("\\")
                || name.contains("\0")
                || ("/" + name + "/").contains("/../")
                || ("/" + name + "/").contains("/./")
                || name.contains("//");
        if (odd) {
            throw new Unreadable("entry name '" + cap(name.replace("\0", "\\0")) + "' is not a plain relative path");
        }
    }

    /** Caps an echoed name so a hostile jar cannot flood reports; the JDK-only twin of InvalidInputException.cap. */
    static String cap(String value) {
        return cap(value, 80);
    }

    /**
     * Caps {@code value} to {@code limit} characters, saying how long it was, with line breaks and control
     * characters escaped: whatever a jar names may end up in a log line.
     */
    static String cap(String value, int limit) {
        return PluginText.escape(value, limit);
    }

    private static byte[] readCapped(InputStream in, String name) throws IOException, Unreadable {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            if (out.size() + n > MAX_ENTRY_BYTES) {
                throw new Unreadable(
                        "entry '" + cap(name) + "' expands to more than " + (MAX_ENTRY_BYTES >> 20) + " MiB");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
