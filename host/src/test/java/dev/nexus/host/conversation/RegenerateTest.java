package dev.nexus.host.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.NotFoundException;
import dev.nexus.host.db.Database;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.LlmSettings;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Regenerated replies ("swipes"): kept beside the first, out of the history, open to feedback. */
class RegenerateTest {

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void regenerate_keepsEveryAlternative_outOfTheHistory_andEachIsAReplyForFeedback(TestDatabase db) {
        try (db;
                FakeOpenAiServer fake = FakeOpenAiServer.start()) {
            ConversationService service = new ConversationService(
                    db.database(),
                    Personalities.withZen(),
                    Recall.none(),
                    List.of(),
                    LanguageModels.create(
                            new LlmSettings(
                                    "openai", fake.baseUrl(), "k", "fake-model", null, 5, 2, 0, null, null, null),
                            new SplittableRandom(1)),
                    new ChatSettings(2000, null, null, null, null, null),
                    Clock.systemUTC(),
                    Runnable::run);
            fake.enqueue(
                    FakeOpenAiServer.reply("First answer."),
                    FakeOpenAiServer.reply("Second answer."),
                    FakeOpenAiServer.reply("Third answer."),
                    FakeOpenAiServer.reply("Next turn."));

            TurnResult first = service.chat(ChatRequest.api("zen-engineer", "ada", Optional.empty(), "Name a colour."));
            TurnResult second = service.regenerate(first.reply().id());
            TurnResult third = service.regenerate(second.reply().id());

            assertThat(second.reply().content()).isEqualTo("Second answer.");
            assertThat(second.reply().metadata())
                    .containsEntry("alternativeOf", first.reply().id());
            assertThat(third.reply().metadata())
                    .containsEntry("alternativeOf", first.reply().id());
            assertThat(third.reply().inReplyTo()).hasValue(first.userMessage().id());
            String conversation = first.reply().conversation();
            assertThat(service.messages(conversation, Optional.empty(), 100))
                    .extracting(StoredMessage::id)
                    .hasSize(3)
                    .endsWith(first.userMessage().id(), first.reply().id()); // after the greeting
            assertThat(service.alternatives(conversation))
                    .extracting(StoredMessage::content)
                    .containsExactly("Second answer.", "Third answer.");
            assertThat(service.reply(second.reply().id())).hasValueSatisfying(facts -> {
                assertThat(facts.replyText()).isEqualTo("Second answer.");
                assertThat(facts.userMessageId()).isEqualTo(first.userMessage().id());
            });

            service.chat(ChatRequest.api("zen-engineer", "ada", Optional.of(conversation), "Another?"));
            String sent =
                    fake.requests().get(fake.requests().size() - 1).messages().toString();
            assertThat(sent)
                    .contains("First answer.")
                    .doesNotContain("Second answer.")
                    .doesNotContain("Third answer.");

            assertThatThrownBy(() -> service.regenerate(first.userMessage().id()))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("unknown reply");
        }
    }

    @ParameterizedTest
    @MethodSource(TestHost.DATABASES)
    @SuppressWarnings("unchecked")
    void regenerateRoute_storesAnAlternative_listedUnderItsReply_andFeedbackAttachesToIt(Database.Kind database) {
        try (TestHost host = TestHost.builder()
                .database(database)
                .yaml("personalities: {directory: '"
                        + Path.of("..", "personalities").toAbsolutePath().normalize() + "'}")
                .start()) {
            Map<String, Object> turn = TestHttp.json(
                    host.http()
                            .post(
                                    "/v1/chat",
                                    "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"Tell me about queues.\"}"));
            String reply = (String) ((Map<String, Object>) turn.get("message")).get("id");

            HttpResponse<String> regenerated = host.http().post("/v1/messages/" + reply + "/regenerate", "");
            assertThat(regenerated.statusCode()).as(regenerated.body()).isEqualTo(201);
            Map<String, Object> body = TestHttp.json(regenerated);
            assertThat(body)
                    .containsEntry("alternativeOf", reply)
                    .containsEntry("conversation", turn.get("conversation"));
            String alternative = (String) ((Map<String, Object>) body.get("message")).get("id");

            List<Map<String, Object>> messages = (List<Map<String, Object>>)
                    TestHttp.json(host.http().get("/v1/conversations/" + turn.get("conversation") + "/messages"))
                            .get("messages");
            assertThat(messages).hasSize(3); // the greeting, the question and the reply
            assertThat((List<Map<String, Object>>) messages.get(2).get("alternatives"))
                    .extracting(m -> m.get("id"))
                    .containsExactly(alternative);

            HttpResponse<String> feedback =
                    host.http().post("/v1/feedback", "{\"message\":\"" + alternative + "\",\"rating\":5}");
            assertThat(feedback.statusCode()).as(feedback.body()).isIn(200, 201);
            List<Map<String, Object>> given =
                    (List<Map<String, Object>>) TestHttp.json(host.http().get("/v1/feedback?message=" + alternative))
                            .get("feedback");
            assertThat(given)
                    .singleElement()
                    .satisfies(f -> assertThat(f.get("message")).isEqualTo(alternative));

            assertThat(host.http().post("/v1/messages/nope/regenerate", "").statusCode())
                    .isEqualTo(404);
        }
    }
}
