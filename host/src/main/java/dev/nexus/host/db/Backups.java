package dev.nexus.host.db;

import dev.nexus.host.DependencyException;
import dev.nexus.host.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Consistent backups of the whole database, and restores of them ({@code ./nexus backup|restore}).
 *
 * <ul>
 *   <li><b>H2</b>: H2's own {@code SCRIPT TO} (a plain SQL script) (every table, sequence and row, in one
 *       transaction-consistent pass) and {@code RUNSCRIPT} after {@code DROP ALL OBJECTS}. The embedded file
 *       allows one process: stop the host first (opening a file a running host holds fails, naming the fix).</li>
 *   <li><b>PostgreSQL</b>: {@code pg_dump --format=custom} (one snapshot: consistent while hosts keep
 *       running) and {@code pg_restore --clean --if-exists --no-owner --single-transaction}; both must be
 *       on the {@code PATH} or under {@code /usr/lib/postgresql/<version>/bin}. Restore with every host stopped.</li>
 * </ul>
 *
 * A backup restores into the same kind of database only. Stateless; each call opens what it needs.
 */
public final class Backups {

    private static final byte[] PG_MAGIC = {'P', 'G', 'D', 'M', 'P'};

    private Backups() {}

    /** What was written or read. Immutable. */
    public record Outcome(Database.Kind kind, Path file, long bytes, String how) {}

    /**
     * Writes a consistent backup of the configured database to {@code file} (replaced if present).
     *
     * @throws DependencyException when the database cannot be opened or the dump tool fails
     */
    public static Outcome backup(DatabaseConfig config, Path dataDir, Path file) {
        Path target = file.toAbsolutePath();
        if (isPostgres(config)) {
            run(
                    List.of(
                            tool("pg_dump"),
                            "--format=custom",
                            "--no-owner",
                            "--file=" + target,
                            "--dbname=" + libpqUri(config.url())),
                    config,
                    "pg_dump");
            return new Outcome(Database.Kind.POSTGRESQL, target, size(target), "pg_dump --format=custom");
        }
        try (Database database = Database.open(config, dataDir)) {
            execute(database, "SCRIPT TO '" + quoted(target) + "'");
        }
        return new Outcome(Database.Kind.H2, target, size(target), "H2 SCRIPT (a plain SQL script)");
    }

    /**
     * Replaces everything in the configured database with the backup in {@code file}.
     *
     * @throws InvalidInputException when the file is missing or a backup of the other kind of database
     * @throws DependencyException when the database cannot be opened or the restore tool fails
     */
    public static Outcome restore(DatabaseConfig config, Path dataDir, Path file) {
        Path source = file.toAbsolutePath();
        if (!Files.isRegularFile(source)) {
            throw new InvalidInputException("no backup file at " + source + "; give the path ./nexus backup wrote");
        }
        boolean pgDump = startsWith(source, PG_MAGIC);
        if (isPostgres(config)) {
            if (!pgDump) {
                throw new InvalidInputException(
                        source + " is not a pg_dump archive (an H2 backup?); a backup restores into the"
                                + " kind of database it came from");
            }
            run(
                    List.of(
                            tool("pg_restore"),
                            "--clean",
                            "--if-exists",
                            "--no-owner",
                            "--single-transaction",
                            "--dbname=" + libpqUri(config.url()),
                            source.toString()),
                    config,
                    "pg_restore");
            return new Outcome(
                    Database.Kind.POSTGRESQL, source, size(source), "pg_restore --clean --single-transaction");
        }
        if (pgDump) {
            throw new InvalidInputException(
                    source + " is a PostgreSQL backup and this host uses H2 (database.url is empty); a"
                            + " backup restores into the kind of database it came from: set database.url to a PostgreSQL database");
        }
        Path db = dataDir.resolve("db");
        try (Database database = Database.openUnmigrated(config, dataDir)) {
            execute(database, "DROP ALL OBJECTS", "RUNSCRIPT FROM '" + quoted(source) + "'");
        }
        // Opening once more migrates a backup taken by an older version.
        Database.open(config, dataDir).close();
        return new Outcome(Database.Kind.H2, source, size(source), "H2 RUNSCRIPT into " + db);
    }

    /** Plain JDBC statements, without the pool's statement timeout: a large database takes as long as it takes. */
    private static void execute(Database database, String... statements) {
        try (java.sql.Connection connection = database.dedicatedConnection();
                var statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (java.sql.SQLException e) {
            throw new DependencyException(
                    "H2 refused " + statements[statements.length - 1].split(" ")[0] + ": " + e.getMessage(), false, e);
        }
    }

    private static boolean isPostgres(DatabaseConfig config) {
        return config.url().startsWith("jdbc:postgresql:");
    }

    /** {@code jdbc:postgresql://host:port/db?user=x} as libpq takes it: {@code postgresql://host:port/db?user=x}. */
    static String libpqUri(String jdbcUrl) {
        String uri = jdbcUrl.substring("jdbc:".length());
        URI parsed = URI.create(uri);
        if (parsed.getHost() == null) {
            throw new InvalidInputException("database.url '" + jdbcUrl.replaceAll("(?i)password=[^&]*", "password=***")
                    + "' names no host; use jdbc:postgresql://host:port/database");
        }
        // libpq understands user= and password= in the query; driver-only options (e.g. socketTimeout) are dropped.
        StringBuilder query = new StringBuilder();
        if (parsed.getRawQuery() != null) {
            for (String pair : parsed.getRawQuery().split("&")) {
                String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                if (List.of("user", "password", "sslmode", "application_name").contains(name)) {
                    query.append(query.isEmpty() ? "?" : "&").append(pair);
                }
            }
        }
        return "postgresql://" + parsed.getRawAuthority() + parsed.getRawPath() + query;
    }

    private static void run(List<String> command, DatabaseConfig config, String name) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        if (!config.username().isEmpty()) {
            env.put("PGUSER", config.username());
        }
        if (!config.password().isEmpty()) {
            env.put("PGPASSWORD", config.password()); // never on the command line, where ps would show it
        }
        try {
            Process process = builder.start();
            String output;
            try (InputStream out = process.getInputStream()) {
                output = new String(out.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            }
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new DependencyException(
                        name + " failed" + (output.isEmpty() ? "" : ": " + cap(output))
                                + "; check database.url and that the server accepts this user",
                        false,
                        null);
            }
        } catch (IOException e) {
            throw new DependencyException(
                    "cannot run " + command.get(0) + " (" + e.getMessage() + "); install the PostgreSQL"
                            + " client tools (apt-get install postgresql-client) in the version of the server or newer",
                    false,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DependencyException(name + " was interrupted", true, e);
        }
    }

    /** The tool on the PATH, else the newest under /usr/lib/postgresql (Debian keeps them there). */
    private static String tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> found = versions.map(v -> v.resolve("bin").resolve(name))
                        .filter(Files::isExecutable)
                        .max(Comparator.comparing(p -> versionOf(p.getParent().getParent())));
                if (found.isPresent()) {
                    return found.get().toString();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return name; // let the start fail with the install hint
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString().replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String quoted(Path path) {
        return path.toString().replace("'", "''");
    }

    private static boolean startsWith(Path file, byte[] magic) {
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(magic.length), magic);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String cap(String text) {
        return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
    }
}
