package dev.nexus.host.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ./nexus backup} and {@code restore} on both databases: what was stored when the backup was
 * taken comes back, what was stored after it is gone, and a backup of the other kind of database is
 * refused with the fix. PostgreSQL is backed up while its host runs (pg_dump's snapshot); H2, whose
 * file one process holds, with the host stopped.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class BackupRestoreTest {

    @Parameter
    Database.Kind kind;

    @TempDir
    Path dir;

    @Test
    void backupThenRestore_bringsBackWhatWasStoredThenAndDropsWhatCameLater() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path file = dir.resolve("nexus.backup");
        String before;
        String url;
        try (TestHost host = start(data)) {
            before = remember(host.http(), "Ada keeps bees on her roof.");
            url = host.jdbcUrl();
            if (kind == Database.Kind.POSTGRESQL) {
                assertThat(Backups.backup(config(url), data, file).bytes())
                        .as("online: one consistent snapshot")
                        .isPositive();
            }
        }
        DatabaseConfig config = config(url);
        if (kind == Database.Kind.H2) {
            assertThat(Backups.backup(config, data, file).bytes()).isPositive();
        }
        String after;
        try (TestHost host = start(data)) {
            after = remember(host.http(), "Ada moved to Lisbon.");
        }

        Backups.Outcome restored = Backups.restore(config, data, file);
        assertThat(restored.kind()).isEqualTo(kind);

        try (TestHost host = start(data)) {
            String facts = host.http().get("/v1/memory/facts?user=ada").body();
            assertThat(facts).contains(before).doesNotContain(after);
            assertThat(host.http().get("/v1/keys").statusCode())
                    .as("the restored host serves requests")
                    .isEqualTo(200);
        }
        Path foreign = dir.resolve("foreign.backup");
        Files.write(foreign, kind == Database.Kind.H2 ? "PGDMP-not-really".getBytes() : "-- H2 script".getBytes());
        assertThatThrownBy(() -> Backups.restore(config, data, foreign))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("kind of database");
    }

    private TestHost start(Path data) {
        return TestHost.builder().dataDir(data).database(kind).start();
    }

    private DatabaseConfig config(String url) {
        return kind == Database.Kind.H2 ? DatabaseConfig.of("", "", "") : DatabaseConfig.of(url, "", "");
    }

    private static String remember(TestHttp http, String fact) {
        HttpResponse<String> response = http.post("/v1/memory/facts", Json.write(Map.of("user", "ada", "fact", fact)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return (String) Json.readMap(response.body()).get("id");
    }
}
