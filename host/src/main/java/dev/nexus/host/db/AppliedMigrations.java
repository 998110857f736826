package dev.nexus.host.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.jdbi.v3.core.Jdbi;

/**
 * Tells whether a database's schema history already records every migration on the class path, each
 * applied successfully and unchanged since (the same checksum Flyway computes), and nothing else. Then
 * Flyway has nothing to migrate and its validation nothing to find, and start-up can leave Flyway out
 * (its configuration, class path scan and validation were about 14% of a restart's main thread).
 *
 * <p>Anything else, or anything this class does not understand, answers "not up to date" and start-up
 * runs Flyway as always: a first start (no history), a new migration (also one that lands below the
 * applied ones: out of order), an applied migration edited since (Flyway's validation then refuses to
 * start, naming it), a failed or baseline row, a history row with no file (a newer host's migration),
 * repeatable or nested migration files, or a class path this class cannot list.
 */
final class AppliedMigrations {

    /** Flyway's versioned SQL migrations: {@code V<version>__<description>.sql}. */
    private static final Pattern VERSIONED = Pattern.compile("V[0-9][0-9_.]*__[^/]*\\.sql");

    private AppliedMigrations() {}

    /** A migration file on the class path: its file name (Flyway's {@code script}) and checksum. */
    record Script(String name, int checksum) {}

    /** A row of Flyway's schema history. */
    record Applied(String script, String type, Integer checksum, boolean success, String version) {}

    /**
     * Returns the highest applied version when {@code jdbi}'s schema history matches the migrations in
     * {@code locations} exactly (see the class comment), or empty when Flyway must run.
     */
    static Optional<String> upToDate(Jdbi jdbi, List<String> locations, ClassLoader loader) {
        Optional<List<Script>> scripts = scripts(locations, loader);
        if (scripts.isEmpty()) {
            return Optional.empty();
        }
        List<Applied> history;
        try {
            history = jdbi.withHandle(h -> h.createQuery(
                            "SELECT script, type, checksum, success, version FROM flyway_schema_history")
                    .map((rs, ctx) -> new Applied(
                            rs.getString(1),
                            rs.getString(2),
                            (Integer) rs.getObject(3),
                            rs.getBoolean(4),
                            rs.getString(5)))
                    .list());
        } catch (RuntimeException e) {
            return Optional.empty(); // no history table yet: a first start
        }
        return matches(scripts.get(), history);
    }

    /** The comparison itself: every script applied with its checksum, and no other row. */
    static Optional<String> matches(List<Script> scripts, List<Applied> rows) {
        // Flyway's notes that it created the schema or its history table (H2) are no migrations.
        List<Applied> history = rows.stream()
                .filter(row -> !(row.success() && Set.of("SCHEMA", "TABLE").contains(row.type())))
                .toList();
        if (scripts.isEmpty() || history.size() != scripts.size()) {
            return Optional.empty();
        }
        Map<String, Applied> byScript = new HashMap<>();
        for (Applied row : history) {
            if (!row.success()
                    || !"SQL".equals(row.type())
                    || row.checksum() == null
                    || row.version() == null
                    || byScript.put(row.script(), row) != null) {
                return Optional.empty();
            }
        }
        String highest = "";
        for (Script script : scripts) {
            Applied row = byScript.get(script.name());
            if (row == null || row.checksum() != script.checksum()) {
                return Optional.empty();
            }
            if (highest.isEmpty() || compareVersions(row.version(), highest) > 0) {
                highest = row.version();
            }
        }
        return Optional.of(highest);
    }

    /** Lists the versioned migrations in {@code locations} (class path folders) with their checksums. */
    static Optional<List<Script>> scripts(List<String> locations, ClassLoader loader) {
        List<Script> scripts = new ArrayList<>();
        try {
            for (String location : locations) {
                List<URL> roots = Collections.list(loader.getResources(location));
                if (roots.size() != 1) {
                    return Optional.empty(); // missing (Flyway fails on it) or spread over several entries
                }
                Optional<List<String>> names = names(roots.get(0), location);
                if (names.isEmpty()) {
                    return Optional.empty();
                }
                for (String name : names.get()) {
                    if (!VERSIONED.matcher(name).matches()) {
                        return Optional.empty(); // something Flyway would treat otherwise (repeatable, callbacks)
                    }
                    try (InputStream in = loader.getResourceAsStream(location + "/" + name)) {
                        if (in == null) {
                            return Optional.empty();
                        }
                        scripts.add(new Script(name, checksum(in)));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(scripts));
    }

    /** The file names directly in a class path folder, or empty when it holds sub-folders or cannot be listed. */
    private static Optional<List<String>> names(URL root, String location) throws IOException {
        List<String> names = new ArrayList<>();
        switch (root.getProtocol()) {
            case "file" -> {
                Path dir;
                try {
                    dir = Path.of(root.toURI());
                } catch (URISyntaxException e) {
                    return Optional.empty();
                }
                try (var files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        if (!Files.isRegularFile(file)) {
                            return Optional.empty();
                        }
                        names.add(file.getFileName().toString());
                    }
                }
            }
            case "jar" -> {
                var connection = root.openConnection();
                if (!(connection instanceof JarURLConnection jarConnection)) {
                    return Optional.empty();
                }
                jarConnection.setUseCaches(false);
                String prefix = location + "/";
                try (JarFile jar = jarConnection.getJarFile()) {
                    for (JarEntry entry : Collections.list(jar.entries())) {
                        String name = entry.getName();
                        if (!name.startsWith(prefix) || name.equals(prefix)) {
                            continue;
                        }
                        String rest = name.substring(prefix.length());
                        if (rest.contains("/")) {
                            return Optional.empty();
                        }
                        names.add(rest);
                    }
                }
            }
            default -> {
                return Optional.empty();
            }
        }
        Collections.sort(names);
        return Optional.of(names);
    }

    /**
     * Flyway's checksum of a migration: CRC-32 over the UTF-8 bytes of each line without its line
     * ending, a byte-order mark removed from the first (Flyway's {@code ChecksumCalculator}).
     */
    static int checksum(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 4096);
        String line = reader.readLine();
        if (line != null && line.startsWith("\uFEFF")) {
            line = line.substring(1);
        }
        while (line != null) {
            crc.update(line.getBytes(StandardCharsets.UTF_8));
            line = reader.readLine();
        }
        return (int) crc.getValue();
    }

    /** Compares dotted versions ({@code 11.1} after {@code 9.1}) part by part, numerically. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i]) : 0;
            long q = i < y.length ? Long.parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }
}
