package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.DependencyException;
import dev.nexus.host.llm.FinishReason;
import dev.nexus.host.llm.LanguageModel;
import dev.nexus.host.llm.ModelDescription;
import dev.nexus.host.llm.ModelReply;
import dev.nexus.host.llm.ModelRequest;
import dev.nexus.host.llm.TokenSink;
import dev.nexus.host.llm.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelFactExtractorTest {

    /** A model that answers every request with one scripted text and records the requests. */
    static final class ScriptedModel implements LanguageModel {
        final String answer;
        final List<ModelRequest> requests = new ArrayList<>();

        ScriptedModel(String answer) {
            this.answer = answer;
        }

        @Override
        public ModelReply chat(ModelRequest request) {
            requests.add(request);
            return new ModelReply(answer, new TokenUsage(10, 10), FinishReason.STOP, description(), List.of());
        }

        @Override
        public ModelReply stream(ModelRequest request, TokenSink sink) {
            return chat(request);
        }

        @Override
        public ModelDescription description() {
            return new ModelDescription("openai", "scripted", "http://127.0.0.1:1/v1", false);
        }
    }

    @Test
    void extract_readsTheModelsFactsWithCategoryConfidenceAndSlot() {
        ScriptedModel model = new ScriptedModel("""
                Here you go:
                ```json
                {"facts":[{"fact":"The user is vegetarian.","category":"diet","confidence":0.95,"slot":"diet"},
                          {"fact":"The user lives in Lisbon.","category":"location","confidence":0.9,"slot":"home"}]}
                ```""");

        List<ExtractedFact> facts =
                new ModelFactExtractor(model, 1000).extract("I'm vegetarian and live in Lisbon", "Nice!");

        assertThat(facts)
                .containsExactly(
                        new ExtractedFact("The user is vegetarian.", FactCategory.DIET, 0.95, Optional.of("diet")),
                        new ExtractedFact(
                                "The user lives in Lisbon.", FactCategory.LOCATION, 0.9, Optional.of("home")));
        assertThat(model.requests).singleElement().satisfies(request -> {
            assertThat(request.systemPrompt()).contains("\"facts\"").contains("third person");
            assertThat(request.messages().get(0).text()).contains("I'm vegetarian and live in Lisbon");
            assertThat(request.tools()).isEmpty();
        });
    }

    @Test
    void extract_dropsEntriesThatFailTheChecks() {
        ScriptedModel model = new ScriptedModel("""
                {"facts":[{"fact":"The user owns a cat.","category":"pets","confidence":0.9,"slot":null},
                          {"fact":"The user is 41.","category":"identity","confidence":1.7,"slot":"age"},
                          {"fact":"","category":"other","confidence":0.5,"slot":null},
                          {"fact":"%s","category":"other","confidence":0.5,"slot":null},
                          {"fact":"The user runs marathons.","category":"goal","confidence":0.6,"slot":"hobby"}]}
                """.formatted("x".repeat(50)));

        List<ExtractedFact> facts = new ModelFactExtractor(model, 40).extract("...", "...");

        assertThat(facts)
                .containsExactly(
                        new ExtractedFact("The user runs marathons.", FactCategory.GOAL, 0.6, Optional.empty()));
    }

    @Test
    void extract_whenTheAnswerIsNotTheRequestedJson_throwsSoMemoryFallsBackToRules() {
        assertThatThrownBy(() -> new ModelFactExtractor(new ScriptedModel("I think the user likes tea."), 1000)
                        .extract("I like tea", "ok"))
                .isInstanceOf(DependencyException.class)
                .hasMessageContaining("did not answer with the fact JSON");
    }

    @Test
    void extract_takesAtMostFiveFacts() {
        StringBuilder many = new StringBuilder("{\"facts\":[");
        for (int i = 0; i < 8; i++) {
            many.append(i == 0 ? "" : ",")
                    .append("{\"fact\":\"The user likes thing ")
                    .append(i)
                    .append(".\",\"category\":\"preference\",\"confidence\":0.7,\"slot\":null}");
        }
        many.append("]}");

        assertThat(new ModelFactExtractor(new ScriptedModel(many.toString()), 1000).extract("...", "..."))
                .hasSize(5);
    }
}
