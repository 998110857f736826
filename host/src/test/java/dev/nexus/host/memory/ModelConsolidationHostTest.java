package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With a language model configured, consolidation summarises an old conversation with the model
 * (issue 16, item 4) instead of pasting quotes: the real server on H2 and PostgreSQL against a local
 * server speaking OpenAI's wire protocol, which records the summary request.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class ModelConsolidationHostTest {

    private static final String PERSONA = """
            {"id": "keeper", "name": "Keeper", "description": "A personality that remembers.", "greetings": ["Hello."]}""";

    @Parameter
    Database.Kind database;

    @Test
    @SuppressWarnings("unchecked")
    void anOldConversation_isSummarisedByTheModel_notQuoted() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2024-03-01T12:00:00Z"));
        try (FakeOpenAiServer fake = FakeOpenAiServer.start()
                        .factReply("{\"facts\":[{\"fact\":\"The user's sister Ana is a nurse.\","
                                + "\"category\":\"relationship\",\"confidence\":0.9,\"slot\":null}]}");
                TestHost host = TestHost.builder()
                        .database(database)
                        .clock(clock)
                        .yaml("memory: {consolidation-interval-minutes: 0}")
                        .env("NEXUS_LLM_BASE_URL", fake.baseUrl())
                        .env("NEXUS_LLM_API_KEY", "local")
                        .env("NEXUS_LLM_MODEL", "llama3.2")
                        .start()) {
            assertThat(host.http().post("/v1/personalities", PERSONA).statusCode())
                    .isEqualTo(201);
            fake.enqueue(FakeOpenAiServer.reply("That is wonderful news."));
            HttpResponse<String> chat = host.http()
                    .post(
                            "/v1/chat",
                            Json.write(
                                    Map.of(
                                            "personality",
                                            "keeper",
                                            "user",
                                            "summarised",
                                            "message",
                                            "My sister Ana starts her first nursing job in Tromsø next week and I'm so proud of her")));
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
            // After the reply the turn's episodes are stored, then its facts: once the fact is there, so are they.
            for (int i = 0;
                    i < 400
                            && ((List<?>) TestHttp.json(host.http().get("/v1/memory/facts?user=summarised"))
                                            .get("facts"))
                                    .isEmpty();
                    i++) {
                Thread.sleep(25);
            }

            clock.advance(Duration.ofDays(40));
            fake.enqueue(FakeOpenAiServer.reply(
                    "The user is proud that their sister Ana starts her first nursing job in Tromsø."));
            HttpResponse<String> consolidated = host.http().post("/v1/memory/consolidate", "");
            assertThat(consolidated.statusCode()).as(consolidated.body()).isEqualTo(200);
            assertThat(TestHttp.json(consolidated))
                    .containsEntry("episodesSummarised", 2)
                    .containsEntry("summaries", 1);

            List<Map<String, Object>> summaries = (List<Map<String, Object>>)
                    TestHttp.json(host.http().get("/v1/memory/facts?user=summarised&category=summary"))
                            .get("facts");
            assertThat(summaries).singleElement().satisfies(summary -> {
                assertThat(summary.get("fact"))
                        .isEqualTo("In a conversation on 2024-03-01: The user is proud that their sister Ana "
                                + "starts her first nursing job in Tromsø.");
                assertThat((Map<String, Object>) summary.get("metadata")).containsEntry("summarisedBy", "model");
                assertThat(summary.get("source")).isEqualTo("inferred");
            });
            FakeOpenAiServer.Recorded request = fake.lastRequest();
            assertThat(String.valueOf(request.messages().get(0).get("content")))
                    .startsWith("You summarise one past conversation");
            assertThat(String.valueOf(request.messages().get(1).get("content")))
                    .contains("User: My sister Ana starts her first nursing job in Tromsø")
                    .contains("Assistant: That is wonderful news.");
        }
    }
}
