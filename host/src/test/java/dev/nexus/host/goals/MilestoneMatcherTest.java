package dev.nexus.host.goals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The offline rules that read "I finished the first chapter" as a milestone done. */
class MilestoneMatcherTest {

    private static final Instant T = Instant.parse("2026-12-05T08:00:00Z");

    private static Goal goal(String... titles) {
        List<Milestone> steps = new java.util.ArrayList<>();
        for (int i = 0; i < titles.length; i++) {
            steps.add(new Milestone("m" + i, "g", titles[i], i, Optional.empty(), Optional.empty(), T));
        }
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
                steps);
    }

    private static Optional<String> matched(String message, Goal... goals) {
        return MilestoneMatcher.match(message, List.of(goals))
                .map(m -> m.milestone().title());
    }

    @Test
    void match_readsOrdinalsAsNumbers_andPicksTheOneMilestoneTheyName() {
        Goal novel = goal("Chapter 1", "Chapter 2", "Chapter 3");
        assertThat(matched("I finished the first chapter!", novel)).contains("Chapter 1");
        assertThat(matched("we've just completed chapter three, and started the fourth", novel))
                .contains("Chapter 3");
        assertThat(matched("I'm done with the 2nd chapter", novel)).contains("Chapter 2");
    }

    @Test
    void match_whenTheSentenceSaysNothingIsFinished_orNamesNoMilestone_matchesNothing() {
        Goal novel = goal("First chapter", "Second chapter");
        assertThat(matched("I started the first chapter", novel)).isEmpty();
        assertThat(matched("I finished the dishes", novel)).isEmpty();
        assertThat(matched("I finished the fifth chapter", novel))
                .as("a different number never matches")
                .isEmpty();
    }

    @Test
    void match_whenTwoMilestonesFitEquallyWell_matchesNothingRatherThanTheWrongOne() {
        assertThat(matched("I finished the chapter", goal("Chapter 1", "Chapter 2")))
                .isEmpty();
    }

    @Test
    void match_skipsMilestonesAlreadyDone() {
        Goal novel = goal("Outline", "First chapter");
        Goal done = new Goal(
                novel.id(),
                novel.user(),
                novel.title(),
                "",
                GoalStatus.ACTIVE,
                Optional.empty(),
                OptionalDouble.empty(),
                T,
                T,
                List.of(
                        new Milestone(
                                "m0",
                                "g",
                                "Outline",
                                0,
                                Optional.empty(),
                                Optional.of(new Milestone.Done(T, "api", "ada", "manual")),
                                T),
                        novel.milestones().get(1)));
        assertThat(matched("I finished the outline", done)).isEmpty();
        assertThat(matched("I finished the outline", novel)).contains("Outline");
    }
}
