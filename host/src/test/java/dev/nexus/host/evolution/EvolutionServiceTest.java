package dev.nexus.host.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.DependencyException;
import dev.nexus.host.approval.ApprovalConfig;
import dev.nexus.host.approval.InMemoryPersonalities;
import dev.nexus.host.approval.Proposal;
import dev.nexus.host.approval.ProposalService;
import dev.nexus.host.approval.ProposalState;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Scope;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.Trait;
import dev.nexus.host.persona.Traits;
import dev.nexus.host.testing.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EvolutionServiceTest {

    private static final Caller ANN = new Caller("key-ann", "ann", Set.of(Scope.USER));
    private static final Caller BOB = new Caller("key-bob", "bob", Set.of(Scope.USER));

    private final InMemoryPersonalities personalities = new InMemoryPersonalities()
            .add(
                    "sage",
                    Traits.of(List.of(
                            Trait.of("verbosity", 0.8),
                            Trait.of("humor", 0.3),
                            new Trait("formality", 0.5, false, 0, 1))));
    private final FakeChat chat = new FakeChat(personalities);

    private record Setup(EvolutionService evolution, ProposalService proposals) {}

    private Setup setup(TestDatabase db, int scheduleAfter, Executor executor) {
        ProposalService proposals = new ProposalService(db.database(), Clock.systemUTC(), ApprovalConfig.defaults())
                .withPersonalities(personalities, personalities);
        EvolutionService evolution = new EvolutionService(
                db.database(),
                personalities,
                chat,
                proposals,
                new EvolutionConfig(null, 20, null, scheduleAfter, null, null),
                executor,
                Clock.systemUTC(),
                new SplittableRandom(5),
                List::of);
        return new Setup(evolution, proposals);
    }

    private static EvolutionService.FeedbackBody body(String message, Object rating, String... critiques) {
        return new EvolutionService.FeedbackBody(message, rating, List.of(critiques), null);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void give_storesFeedbackWithTheReplysTraitsAndNormalisedRating(TestDatabase db) {
        EvolutionService evolution = setup(db, 0, Runnable::run).evolution();
        Reply reply = chat.say("sage");

        Feedback stored = evolution.give(ANN, body(reply.messageId(), 2, "Too Long", "more_humour"));
        evolution.give(BOB, body(reply.messageId(), "up"));

        assertThat(stored.rating()).hasValue(0.25);
        assertThat(stored.critiques()).containsExactly("too-long", "more-humor");
        List<Feedback> all = evolution.feedback(PersonalityId.of("sage"));
        assertThat(all).hasSize(2);
        FeedbackEvidence evidence = all.get(0).evidence();
        assertThat(evidence.traits()).isEqualTo(reply.traits());
        assertThat(evidence.critiques()).isEqualTo(Map.of("verbosity", -1, "humor", 1));
        assertThat(evidence.rater()).contains("key-ann");
        assertThat(all.get(1).evidence().rating()).isEqualTo(1.0);
        assertThat(all.get(1).ratingGiven()).contains("up");
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void give_afterEnoughNewFeedback_startsAScheduledRunThatProposes(TestDatabase db) {
        Setup setup = setup(db, 3, Runnable::run);
        for (int i = 0; i < 3; i++) {
            setup.evolution().give(ANN, body(chat.say("sage").messageId(), 1, "too-long"));
        }

        List<Proposal> pending = setup.proposals().list(Optional.of(ProposalState.PENDING));

        assertThat(pending).singleElement().satisfies(p -> {
            assertThat(p.proposer()).isEqualTo(EvolutionService.SCHEDULER);
            assertThat(((Number) ((Map<?, ?>) p.payload().get("values")).get("verbosity")).doubleValue())
                    .isLessThan(0.8);
            assertThat(((Map<?, ?>) p.payload().get("evidence")).get("feedbackCount"))
                    .isEqualTo(3);
        });
        setup.evolution().give(BOB, body(chat.say("sage").messageId(), 1, "too-long"));
        assertThat(setup.proposals().list(Optional.empty())).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void start_withTheSameSeedAndFeedback_proposesTheSameValues(TestDatabase db) {
        Setup setup = setup(db, 0, Runnable::run);
        for (int i = 0; i < 4; i++) {
            setup.evolution().give(ANN, body(chat.say("sage").messageId(), 2, "too-long", "less-humor"));
        }

        EvolutionRun first = setup.evolution().start(ANN, new EvolutionService.RunBody("sage", 11L, null, null));
        EvolutionRun second = setup.evolution().start(BOB, new EvolutionService.RunBody("sage", 11L, null, null));

        assertThat(first.state()).isEqualTo("succeeded");
        assertThat(first.progress()).hasSize(20).isEqualTo(second.progress());
        Proposal one = setup.proposals().get(first.proposal().orElseThrow());
        Proposal two = setup.proposals().get(second.proposal().orElseThrow());
        assertThat(one.payload().get("values")).isEqualTo(two.payload().get("values"));
        assertThat(((Map<?, ?>) one.payload().get("values")).containsKey("formality"))
                .isFalse();
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void start_withoutEvidence_succeedsWithoutAProposal(TestDatabase db) {
        Setup setup = setup(db, 0, Runnable::run);

        EvolutionRun run = setup.evolution().start(ANN, new EvolutionService.RunBody("sage", null, 5, 8));

        assertThat(run.state()).isEqualTo("succeeded");
        assertThat(run.proposal()).isEmpty();
        assertThat(run.outcome().orElseThrow()).containsEntry("diff", List.of());
        assertThat(setup.proposals().list(Optional.empty())).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void start_whenTheQueueIsFull_isRefusedWith503AndRecorded(TestDatabase db) {
        Executor full = task -> {
            throw new RejectedExecutionException("full");
        };
        Setup setup = setup(db, 0, full);

        assertThatThrownBy(() -> setup.evolution().start(ANN, new EvolutionService.RunBody("sage", 1L, null, null)))
                .isInstanceOf(DependencyException.class)
                .hasMessage("the evolution queue is full (16 runs waiting); try again when runs have finished");
    }
}
