package dev.nexus.host.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.llm.FinishReason;
import dev.nexus.host.llm.LanguageModel;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.ModelMessage;
import dev.nexus.host.llm.ModelReply;
import dev.nexus.host.llm.ModelRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OfflineReplyTest {

    private final LanguageModel offline = LanguageModels.offlineModel();

    static Personality zen(Map<String, Double> traits) {
        List<Trait> list = new ArrayList<>();
        traits.forEach((name, value) -> list.add(Trait.of(name, value)));
        return new Personality(
                PersonalityId.of("zen-engineer"),
                "Zen Engineer",
                "A calm engineer.",
                "",
                "",
                "calm, unhurried",
                List.of("Short sentences."),
                List.of("Simplicity over cleverness", "Calm under pressure"),
                Traits.of(list),
                "",
                "",
                List.of("Welcome, {{user}}. Breathe first; then we debug. What is on your mind?"),
                List.of(List.of(
                        new ExampleTurn("user", "My deploy keeps failing"),
                        new ExampleTurn(
                                "assistant",
                                "Read the first error, not the last. The first one is usually the cause."))),
                List.of(),
                List.of(),
                "",
                List.of(),
                "",
                "",
                Optional.empty(),
                Optional.empty(),
                Map.of());
    }

    private static ModelRequest turn(
            Personality personality, boolean firstTurn, String message, List<String> memories, List<String> knowledge) {
        return ModelRequest.of("system", List.of(ModelMessage.user(message)))
                .withGrounding(new PersonaGrounding(personality, "Ada", firstTurn, memories, knowledge));
    }

    private static int sentences(String text) {
        return text.split("(?<=[.!?])\\s+").length;
    }

    @Test
    void chat_onTheFirstTurn_startsWithTheGreeting_andSaysItIsOffline() {
        ModelReply reply = offline.chat(turn(zen(Map.of()), true, "hello", List.of(), List.of()));

        assertThat(reply.text()).startsWith("Welcome, Ada. Breathe first; then we debug.");
        assertThat(reply.text()).endsWith(OfflineReply.DISCLOSURE);
        assertThat(reply.offline()).isTrue();
        assertThat(reply.model().provider()).isEqualTo("offline");
        assertThat(reply.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void chat_afterTheFirstTurn_doesNotGreetOrRepeatTheDisclosure() {
        String text = offline.chat(turn(zen(Map.of()), false, "hello again", List.of(), List.of()))
                .text();

        assertThat(text).doesNotContain("Welcome").doesNotContain(OfflineReply.DISCLOSURE);
    }

    @Test
    void chat_mentionsRecalledMemoriesAndKnowledge() {
        String text = offline.chat(turn(
                        zen(Map.of("verbosity", 0.6)),
                        false,
                        "which database should I use?",
                        List.of("Ada runs PostgreSQL 16 in production."),
                        List.of("VACUUM reclaims space held by dead rows.")))
                .text();

        assertThat(text)
                .contains("Ada runs PostgreSQL 16 in production.")
                .contains("VACUUM reclaims space held by dead rows.");
    }

    @Test
    void chat_withNothingRecalled_saysHonestlyThatItHasNothingOnTheTopic() {
        String text = offline.chat(turn(
                        zen(Map.of("verbosity", 0.6)), false, "Explain quantum chromodynamics", List.of(), List.of()))
                .text();

        assertThat(text).contains("without a language model").contains("quantum chromodynamics");
    }

    @Test
    void chat_usesTheExampleThatMatchesTheMessage() {
        String text = offline.chat(
                        turn(zen(Map.of("verbosity", 0.8)), false, "the deploy is failing again", List.of(), List.of()))
                .text();

        assertThat(text).contains("Read the first error, not the last.");
    }

    @Test
    void verbosity_low_writesFewerSentencesThanHigh() {
        String message = "my deploy is failing and I'm stressed";
        List<String> memories = List.of("Ada deploys with Kubernetes.", "Ada's team ships on Fridays.");
        List<String> knowledge = List.of("Rollbacks are cheaper than heroics.");
        String terse = offline.chat(turn(
                        zen(Map.of("verbosity", 0.05, "curiosity", 0.9, "warmth", 0.9)),
                        false,
                        message,
                        memories,
                        knowledge))
                .text();
        String chatty = offline.chat(turn(
                        zen(Map.of("verbosity", 0.95, "curiosity", 0.9, "warmth", 0.9)),
                        false,
                        message,
                        memories,
                        knowledge))
                .text();

        assertThat(sentences(terse)).isEqualTo(1);
        assertThat(sentences(chatty)).isGreaterThanOrEqualTo(5);
        assertThat(chatty.length()).isGreaterThan(terse.length() * 3);
    }

    @Test
    void formality_high_avoidsContractions_andLowUsesThem() {
        String message = "tell me about caching";
        String formal = offline.chat(turn(
                        zen(Map.of("formality", 0.95, "verbosity", 0.8, "curiosity", 0.9)),
                        false,
                        message,
                        List.of(),
                        List.of("Caches trade memory for time.")))
                .text();
        String casual = offline.chat(turn(
                        zen(Map.of("formality", 0.05, "verbosity", 0.8, "curiosity", 0.9)),
                        false,
                        message,
                        List.of(),
                        List.of("Caches trade memory for time.")))
                .text();

        assertThat(formal)
                .doesNotContainPattern("\\b(I'm|Here's|What's|don't|it's)\\b")
                .contains("May I ask");
        assertThat(casual).containsPattern("\\b(I'm|Here's|What's)\\b");
    }

    @Test
    void directness_high_dropsPleasantries_andLowHedges() {
        String message = "should I add an index?";
        List<String> knowledge = List.of("An index speeds reads and slows writes.");
        String direct = offline.chat(turn(
                        zen(Map.of("directness", 0.95, "formality", 0.5, "warmth", 0.9)),
                        false,
                        message,
                        List.of(),
                        knowledge))
                .text();
        String hedging = offline.chat(turn(
                        zen(Map.of("directness", 0.05, "formality", 0.5, "warmth", 0.9)),
                        false,
                        message,
                        List.of(),
                        knowledge))
                .text();

        assertThat(direct).startsWith("Here's what I know: An index speeds reads");
        assertThat(hedging).contains("I might be wrong, but here's what I know");
    }

    @Test
    void curiosity_high_asksABackQuestion_andLowDoesNot() {
        String curious = offline.chat(turn(
                        zen(Map.of("curiosity", 0.9, "verbosity", 0.9)), false, "I like Rust", List.of(), List.of()))
                .text();
        String incurious = offline.chat(turn(
                        zen(Map.of("curiosity", 0.1, "verbosity", 0.9)), false, "I like Rust", List.of(), List.of()))
                .text();

        assertThat(curious).contains("Rust?");
        assertThat(incurious).doesNotContain("?");
    }

    @Test
    void chat_isDeterministic() {
        ModelRequest request = turn(
                zen(Map.of("humor", 0.9, "verbosity", 0.9)),
                false,
                "any advice on naming?",
                List.of("Ada likes short names."),
                List.of());

        assertThat(offline.chat(request).text()).isEqualTo(offline.chat(request).text());
    }

    @Test
    void stream_piecesAddUpToTheChatReply() {
        ModelRequest request =
                turn(zen(Map.of("verbosity", 0.7)), true, "hi there", List.of("Ada likes tea."), List.of());
        StringBuilder streamed = new StringBuilder();
        List<String> pieces = new ArrayList<>();

        ModelReply reply = offline.stream(request, piece -> pieces.add(piece) && streamed.append(piece) != null);

        assertThat(pieces.size()).isGreaterThan(5);
        assertThat(streamed.toString())
                .isEqualTo(reply.text())
                .isEqualTo(offline.chat(request).text());
    }

    @Test
    void stream_whenTheSinkRefuses_stopsAndReportsCancelled() {
        ModelRequest request = turn(zen(Map.of()), true, "hi", List.of(), List.of());
        List<String> pieces = new ArrayList<>();

        ModelReply reply = offline.stream(request, piece -> pieces.add(piece) && pieces.size() < 3);

        assertThat(reply.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(reply.text()).isEqualTo(String.join("", pieces));
        assertThat(pieces).hasSize(3);
    }

    @Test
    void chat_withoutGrounding_explainsWhatItIs() {
        ModelReply reply = offline.chat(ModelRequest.of("system", List.of(ModelMessage.user("hello?"))));

        assertThat(reply.text()).contains("offline model").contains("hello?");
    }

    @Test
    void topic_keepsContentWordsInOrder() {
        assertThat(OfflineReply.topic("How do I tune PostgreSQL vacuum settings?"))
                .isEqualTo("tune PostgreSQL vacuum");
        assertThat(OfflineReply.topic("hi!")).isEqualTo("that");
    }
}
