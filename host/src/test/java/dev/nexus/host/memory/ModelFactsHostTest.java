package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** With a language model configured, facts are extracted by the model after each turn and stored. */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class ModelFactsHostTest {

    @Parameter
    Database.Kind database;

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void chat_withAModelConfigured_storesTheFactsTheModelExtracts() throws Exception {
        Path personalities =
                Files.createDirectories(dir.resolve("personalities").resolve("zen-engineer"));
        Files.copy(
                Path.of("..", "personalities", "zen-engineer", "persona.yaml"), personalities.resolve("persona.yaml"));
        try (FakeOpenAiServer fake = FakeOpenAiServer.start()
                        .factReply(
                                "{\"facts\":[{\"fact\":\"The user keeps bees.\",\"category\":\"preference\",\"confidence\":0.9,\"slot\":null}]}");
                TestHost host = TestHost.builder()
                        .database(database)
                        .env(
                                "NEXUS_PERSONALITIES_DIR",
                                personalities.getParent().toString())
                        .env("NEXUS_LLM_BASE_URL", fake.baseUrl())
                        .env("NEXUS_LLM_API_KEY", "local")
                        .env("NEXUS_LLM_MODEL", "llama3.2")
                        .start()) {
            fake.enqueue(FakeOpenAiServer.reply("How lovely."));

            var chat = host.http()
                    .post(
                            "/v1/chat",
                            "{\"personality\":\"zen-engineer\",\"user\":\"bee\",\"message\":\"My bees swarmed today\"}");
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);

            List<Map<String, Object>> facts = List.of();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            while (facts.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
                facts = (List<Map<String, Object>>) TestHttp.json(host.http().get("/v1/memory/facts?user=bee"))
                        .get("facts");
            }
            assertThat(facts).extracting(fact -> fact.get("fact")).containsExactly("The user keeps bees.");
            assertThat(fake.factRequests())
                    .singleElement()
                    .satisfies(request -> assertThat(
                                    request.messages().get(1).get("content").toString())
                            .contains("My bees swarmed today"));
        }
    }
}
