package dev.nexus.host.goals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.DependencyException;
import dev.nexus.host.llm.FinishReason;
import dev.nexus.host.llm.LanguageModel;
import dev.nexus.host.llm.ModelDescription;
import dev.nexus.host.llm.ModelReply;
import dev.nexus.host.llm.ModelRequest;
import dev.nexus.host.llm.TokenSink;
import dev.nexus.host.llm.TokenUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The model finds the finished milestone; anything but a clean answer leaves the decision to the rules. */
class ModelMilestonesTest {

    private static final Instant T = Instant.parse("2026-12-05T08:00:00Z");
    private final List<ModelRequest> asked = new ArrayList<>();

    private LanguageModel model(Function<ModelRequest, String> answer) {
        return new LanguageModel() {
            @Override
            public ModelReply chat(ModelRequest request) {
                asked.add(request);
                return new ModelReply(
                        answer.apply(request),
                        new TokenUsage(1, 1),
                        FinishReason.STOP,
                        new ModelDescription("fake", "fake", "", false),
                        List.of());
            }

            @Override
            public ModelReply stream(ModelRequest request, TokenSink sink) {
                return chat(request);
            }

            @Override
            public ModelDescription description() {
                return new ModelDescription("fake", "fake", "", false);
            }
        };
    }

    private static Goal novel() {
        return new Goal(
                "g",
                "ada",
                "Write a novel",
                "",
                GoalStatus.ACTIVE,
                Optional.empty(),
                OptionalDouble.empty(),
                T,
                T,
                List.of(
                        new Milestone("m0", "g", "Outline", 0, Optional.empty(), Optional.empty(), T),
                        new Milestone("m1", "g", "Draft of part one", 1, Optional.empty(), Optional.empty(), T)));
    }

    @Test
    void match_takesTheNumberedMilestoneTheModelNames() {
        ModelMilestones milestones = new ModelMilestones(model(r -> "{\"milestone\": 2}"));

        assertThat(milestones.match("Finally done with the first half of the book!", List.of(novel())))
                .hasValueSatisfying(m -> assertThat(m.milestone().id()).isEqualTo("m1"));
        String sent = asked.get(0).messages().get(0).text();
        assertThat(sent)
                .contains("1. Outline (goal: Write a novel)")
                .contains("2. Draft of part one (goal: Write a novel)");
    }

    @Test
    void match_whenTheMessageSpeaksOfNoFinishing_doesNotAskTheModel() {
        ModelMilestones milestones = new ModelMilestones(model(r -> "{\"milestone\": 1}"));

        assertThat(milestones.match("What a lovely day for writing.", List.of(novel())))
                .isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void match_whenTheAnswerIsNullGarbageOutOfRangeOrAFailure_isEmpty() {
        assertThat(new ModelMilestones(model(r -> "{\"milestone\": null}"))
                        .match("I finished something", List.of(novel())))
                .isEmpty();
        assertThat(new ModelMilestones(model(r -> "sure, number two")).match("I finished something", List.of(novel())))
                .isEmpty();
        assertThat(new ModelMilestones(model(r -> "{\"milestone\": 7}"))
                        .match("I finished something", List.of(novel())))
                .isEmpty();
        assertThat(new ModelMilestones(model(r -> {
                            throw new DependencyException("model down", true, null);
                        }))
                        .match("I finished something", List.of(novel())))
                .isEmpty();
    }
}
