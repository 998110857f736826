package dev.nexus.host.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped personality (bundles and the classic-personas documents, copied into one
 * personalities directory) registers in a real host and answers one offline chat turn in its own
 * words: no two of the 45 first exchanges (the greeting a conversation opens with, then the reply) are the same.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class ShippedPersonalitiesChatTest {

    @Parameter
    Database.Kind database;

    @Test
    @SuppressWarnings("unchecked")
    void everyShippedPersonality_loadsInAHost_andAnswersAnOfflineTurn(@TempDir Path dir) throws IOException {
        Path personalities = dir.resolve("personalities");
        for (Path root : List.of(ShippedPersonalitiesTest.BUNDLES, ShippedPersonalitiesTest.CLASSICS)) {
            copy(root, personalities);
        }
        List<Personality> shipped = ShippedPersonalitiesTest.shipped();
        Set<String> replies = new HashSet<>();
        Path data = Files.createDirectories(dir.resolve("data"));
        try (TestHost host = TestHost.builder()
                .database(database)
                .dataDir(data)
                .env("NEXUS_PERSONALITIES_DIR", personalities.toString())
                .start()) {
            for (Personality p : shipped) {
                String id = p.id().value();
                HttpResponse<String> response = host.http()
                        .post(
                                "/v1/chat",
                                Json.write(Map.of(
                                        "personality",
                                        id,
                                        "user",
                                        "newcomer",
                                        "message",
                                        "Hello! What can you help me with?")));
                assertThat(response.statusCode())
                        .as(id + ": " + response.body())
                        .isEqualTo(200);
                Map<String, Object> turn = TestHttp.json(response);
                assertThat((Map<String, Object>) turn.get("metadata")).as(id).containsEntry("offline", true);
                assertThat(turn.get("personality")).as(id).isEqualTo(Map.of("id", id, "version", 1));
                String reply = (String) ((Map<String, Object>) turn.get("message")).get("content");
                assertThat(reply).as(id).isNotBlank();
                // What the newcomer sees: the greeting the conversation opened with, then the reply.
                Object greeting = turn.get("greeting");
                assertThat(greeting != null)
                        .as(id + " opens with its greeting")
                        .isEqualTo(!p.greetings().isEmpty());
                replies.add((greeting == null ? "" : ((Map<String, Object>) greeting).get("content") + "\n") + reply);
            }
        }
        assertThat(replies).hasSameSizeAs(shipped);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
