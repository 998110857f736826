package dev.nexus.host.interchange;

import dev.nexus.host.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes CHARX files: a zip with {@code card.json} at the root and the card's assets
 * under {@code assets/}.
 *
 * <p>Reading is defensive: at most {@link InterchangeLimits#maxZipEntries()} entries; sizes are
 * the bytes actually inflated (headers are not trusted), counted as they stream and capped in total
 * by {@link InterchangeLimits#maxZipInflatedBytes()} and for {@code card.json} by
 * {@link InterchangeLimits#maxCardBytes()}; absolute paths, drive letters, backslashes and {@code ..}
 * segments are refused; duplicate names and encrypted entries are refused. Stateless.
 */
final class CharxContainer {

    /** Personality-extensions key holding the CHARX's other files (base64) and the avatar's path. */
    static final String FILES_KEY = "nexus/charx-files";

    static final String CARD = "card.json";
    static final String DEFAULT_ICON_PATH = "assets/icon/images/main.";
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
    private static final LocalDateTime ZIP_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private CharxContainer() {}

    /** The card JSON and every other file of a CHARX, in zip order. */
    record Read(byte[] card, Map<String, byte[]> files) {}

    static boolean isZip(byte[] bytes) {
        return bytes.length >= 4
                && bytes[0] == 'P'
                && bytes[1] == 'K'
                && (bytes[2] == 3 || bytes[2] == 5)
                && (bytes[3] == 4 || bytes[3] == 6);
    }

    static Read read(byte[] zip, InterchangeLimits limits) {
        byte[] card = null;
        LinkedHashMap<String, byte[]> files = new LinkedHashMap<>();
        long inflated = 0;
        int count = 0;
        byte[] buffer = new byte[8192];
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (++count > limits.maxZipEntries()) {
                    throw new InvalidInputException(
                            "the CHARX has more than " + limits.maxZipEntries()
                                    + " entries; that is not a normal character archive (raise interchange.max-zip-entries if it is)");
                }
                String name = entry.getName();
                checkPath(name);
                if (entry.isDirectory()) {
                    continue;
                }
                if (name.equals(CARD) ? card != null : files.containsKey(name)) {
                    throw new InvalidInputException("the CHARX has two entries named '"
                            + InvalidInputException.cap(name) + "'; a valid archive names each file once");
                }
                long entryLimit = name.equals(CARD)
                        ? Math.min(limits.maxCardBytes(), limits.maxZipInflatedBytes() - inflated)
                        : limits.maxZipInflatedBytes() - inflated;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    if (out.size() + (long) n > entryLimit) {
                        throw new InvalidInputException(
                                name.equals(CARD) && entryLimit == limits.maxCardBytes()
                                        ? "the CHARX's card.json inflates to more than " + limits.maxCardBytes()
                                                + " bytes, the card size limit; shorten the card or raise interchange.max-card-bytes"
                                        : "the CHARX inflates to more than " + limits.maxZipInflatedBytes()
                                                + " bytes (at '"
                                                + InvalidInputException.cap(name) + "'); refused as a possible zip bomb"
                                                + " (raise interchange.max-zip-inflated-bytes if the archive is genuine)");
                    }
                    out.write(buffer, 0, n);
                }
                inflated += out.size();
                if (name.equals(CARD)) {
                    card = out.toByteArray();
                } else {
                    files.put(name, out.toByteArray());
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new InvalidInputException(
                    "the CHARX is not a readable zip (" + InvalidInputException.cap(e.getMessage())
                            + "); it is damaged, truncated or encrypted: export it again without encryption",
                    e);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "the CHARX has an entry whose name is not valid UTF-8; rename the file"
                            + " inside the archive with ASCII characters",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (card == null) {
            throw new InvalidInputException("the CHARX has no card.json at its root"
                    + (files.isEmpty()
                            ? ""
                            : " (found " + InvalidInputException.cap(String.join(", ", files.keySet())) + ")")
                    + "; a CHARX keeps the card in /card.json");
        }
        return new Read(card, Collections.unmodifiableMap(files));
    }

    private static void checkPath(String name) {
        String problem = null;
        if (name.isEmpty()) {
            problem = "is empty";
        } else if (name.startsWith("/")
                || name.startsWith("\\")
                || DRIVE.matcher(name).matches()) {
            problem = "is an absolute path";
        } else if (name.indexOf('\\') >= 0) {
            problem = "contains a backslash";
        } else if (name.indexOf('\0') >= 0) {
            problem = "contains a NUL character";
        } else if (List.of(name.split("/", -1)).contains("..")) {
            problem = "climbs out of the archive with '..'";
        }
        if (problem != null) {
            throw new InvalidInputException("the CHARX entry '" + InvalidInputException.cap(name) + "' " + problem
                    + "; refused (path traversal): entries must be relative paths inside the archive");
        }
    }

    /** The URI a card uses for a file of the archive (the spec spells it {@code embeded://}). */
    static String uri(String path) {
        return "embeded://" + path;
    }

    /** Returns the archive path an {@code embeded://} or {@code __asset:} URI points at, if it is one. */
    static Optional<String> path(Object uri) {
        if (uri instanceof String s) {
            if (s.startsWith("embeded://")) {
                return Optional.of(s.substring("embeded://".length()));
            }
            if (s.startsWith("embedded://")) {
                return Optional.of(s.substring("embedded://".length()));
            }
        }
        return Optional.empty();
    }

    /** Writes a CHARX: {@code card.json} first, then {@code files} in order. Deterministic (fixed timestamps). */
    static byte[] write(byte[] cardJson, Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            add(out, CARD, cardJson);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                add(out, file.getKey(), file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void add(ZipOutputStream out, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(ZIP_TIME);
        out.putNextEntry(entry);
        out.write(content);
        out.closeEntry();
    }

    /** Encodes kept files for the personality's extensions. */
    static Map<String, Object> keep(Map<String, byte[]> files, Optional<String> avatarPath) {
        LinkedHashMap<String, Object> encoded = new LinkedHashMap<>();
        files.forEach((name, content) -> encoded.put(name, Base64.getEncoder().encodeToString(content)));
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        out.put("files", Collections.unmodifiableMap(encoded));
        avatarPath.ifPresent(path -> out.put("avatar", path));
        return Collections.unmodifiableMap(out);
    }

    /** Decodes the files kept by {@link #keep}; entries that are not valid are skipped. */
    static Map<String, byte[]> kept(Object stored) {
        LinkedHashMap<String, byte[]> files = new LinkedHashMap<>();
        if (stored instanceof Map<?, ?> map && map.get("files") instanceof Map<?, ?> encoded) {
            encoded.forEach((name, content) -> {
                if (content instanceof String s) {
                    try {
                        String path = String.valueOf(name);
                        checkPath(path);
                        files.put(path, Base64.getDecoder().decode(s));
                    } catch (IllegalArgumentException | InvalidInputException skipped) {
                        // Only our own importer writes this map; a hand-edited value that no longer
                        // decodes is left out of the archive rather than failing the export.
                    }
                }
            });
        }
        return files;
    }

    /** The archive path of the avatar recorded by {@link #keep}, if any. */
    static Optional<String> keptAvatarPath(Object stored) {
        return stored instanceof Map<?, ?> map && map.get("avatar") instanceof String path
                ? Optional.of(path)
                : Optional.empty();
    }
}
