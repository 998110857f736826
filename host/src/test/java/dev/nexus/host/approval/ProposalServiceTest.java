package dev.nexus.host.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.AccessDeniedException;
import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Scope;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.Trait;
import dev.nexus.host.persona.Traits;
import dev.nexus.host.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProposalServiceTest {

    private static final Caller PROPOSER = new Caller("key-proposer", "evolver", Set.of(Scope.USER, Scope.APPROVER));
    private static final Caller REVIEWER = new Caller("key-reviewer", "reviewer", Set.of(Scope.APPROVER));
    private static final Caller USER = new Caller("key-user", "user", Set.of(Scope.USER));

    private final MutableClock clock = new MutableClock(Instant.parse("2025-05-01T10:00:00Z"));
    private final InMemoryPersonalities personalities = new InMemoryPersonalities()
            .add("sage", Traits.of(List.of(Trait.of("verbosity", 0.8), Trait.of("humor", 0.3))));

    private ProposalService service(TestDatabase db) {
        return new ProposalService(db.database(), clock, new ApprovalConfig(24))
                .withPersonalities(personalities, personalities);
    }

    private static NewProposal shorter() {
        return new NewProposal(
                ProposalKind.TRAIT_CHANGE,
                "sage",
                OptionalInt.of(1),
                Map.of("personality", "sage", "values", Map.of("verbosity", 0.65)));
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void history_ofEntriesWrittenInTheSameMillisecond_comesBackInTheOrderTheyWereWritten(TestDatabase db) {
        ProposalRepository repository = new ProposalRepository(db.database());
        Instant sameMillisecond = clock.instant();
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // Ids made in one millisecond differ only in their random suffix, so id order is random order.
            AuditEntry entry = new AuditEntry(
                    dev.nexus.host.Ids.newId(clock),
                    "p-1",
                    java.util.Optional.of("from-" + i),
                    "to-" + i,
                    "actor",
                    java.util.Optional.empty(),
                    sameMillisecond);
            repository.inTransaction(tx -> {
                repository.audit(tx, entry);
                return null;
            });
            written.add(entry.to());
        }

        assertThat(repository.history("p-1")).extracting(AuditEntry::to).containsExactlyElementsOf(written);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void propose_storesPendingProposalWithHashAndAuditEntry(TestDatabase db) {
        ProposalService service = service(db);

        Proposal proposal = service.propose(shorter(), PROPOSER.keyId());

        assertThat(proposal.state()).isEqualTo(ProposalState.PENDING);
        assertThat(proposal.sha256()).matches("[0-9a-f]{64}").isEqualTo(ContentHash.of(service.get(proposal.id())));
        assertThat(proposal.expiresAt()).isEqualTo(proposal.createdAt().plus(Duration.ofHours(24)));
        assertThat(service.history(proposal.id()))
                .singleElement()
                .satisfies(entry -> assertThat(entry.to()).isEqualTo("pending"));
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void approve_byAnotherApproverWithTheHash_appliesOnceAndAudits(TestDatabase db) throws Exception {
        ProposalService service = service(db);
        List<ProposalEvent> events = new ArrayList<>();
        Proposal proposal = service.propose(shorter(), PROPOSER.keyId());

        try (AutoCloseable subscription = service.subscribe(events::add)) {
            Proposal applied = service.approve(proposal.id(), REVIEWER, proposal.sha256(), "shorter is better");
            Proposal again = service.approve(proposal.id(), REVIEWER, proposal.sha256(), "double click");

            assertThat(applied.state()).isEqualTo(ProposalState.APPLIED);
            assertThat(applied.result()).containsEntry("version", 2);
            assertThat(again).isEqualTo(applied);
        }
        assertThat(personalities.writes()).isEqualTo(1);
        assertThat(personalities
                        .current(PersonalityId.of("sage"))
                        .orElseThrow()
                        .personality()
                        .traits()
                        .values())
                .containsEntry("verbosity", 0.65)
                .containsEntry("humor", 0.3);
        assertThat(personalities.current(PersonalityId.of("sage")).orElseThrow().source())
                .isEqualTo("evolution:" + proposal.id());
        assertThat(service.history(proposal.id())).extracting(AuditEntry::to).containsExactly("pending", "applied");
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.from()).isEqualTo("pending");
            assertThat(event.to()).isEqualTo("applied");
            assertThat(event.actor()).isEqualTo(REVIEWER.keyId());
        });
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void approve_byTheProposer_isForbiddenAndChangesNothing(TestDatabase db) {
        ProposalService service = service(db);
        Proposal proposal = service.propose(shorter(), PROPOSER.keyId());

        assertThatThrownBy(() -> service.approve(proposal.id(), PROPOSER, proposal.sha256(), "mine"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("key key-proposer proposed " + proposal.id()
                        + " and cannot approve it; another approver's key must decide");
        assertThatThrownBy(() -> service.approve(proposal.id(), USER, proposal.sha256(), "me too"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("needs a key with the approver scope");
        assertThat(service.get(proposal.id()).state()).isEqualTo(ProposalState.PENDING);
        assertThat(personalities.writes()).isZero();
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void approve_withAnotherHash_isAConflictAndStaysPending(TestDatabase db) {
        ProposalService service = service(db);
        Proposal proposal = service.propose(shorter(), PROPOSER.keyId());
        String other = "0".repeat(64);

        assertThatThrownBy(() -> service.approve(proposal.id(), REVIEWER, other, "looks fine"))
                .isInstanceOf(ConflictException.class)
                .hasMessage("proposal " + proposal.id() + " has hash " + proposal.sha256() + " but you approved "
                        + other + "; re-read the proposal and approve what it says now");
        assertThatThrownBy(() -> service.approve(proposal.id(), REVIEWER, "not-a-hash", "looks fine"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sha256 must be the 64 lower-case hex digits");
        assertThatThrownBy(() -> service.approve(proposal.id(), REVIEWER, proposal.sha256(), " "))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("reason is required: say why, in a sentence, for the audit log");
        assertThat(service.get(proposal.id()).state()).isEqualTo(ProposalState.PENDING);
        assertThat(personalities.writes()).isZero();
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void approve_afterExpiry_failsClosed(TestDatabase db) {
        ProposalService service = service(db);
        Proposal proposal = service.propose(shorter(), PROPOSER.keyId());
        clock.advance(Duration.ofHours(25));

        assertThatThrownBy(() -> service.approve(proposal.id(), REVIEWER, proposal.sha256(), "late"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("is expired and can no longer be approved");
        assertThat(service.list(java.util.Optional.of(ProposalState.EXPIRED)))
                .extracting(Proposal::id)
                .containsExactly(proposal.id());
        assertThat(service.history(proposal.id()))
                .extracting(AuditEntry::actor)
                .containsExactly(PROPOSER.keyId(), "system:expiry");
        assertThat(personalities.writes()).isZero();
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void approve_whenBaseVersionMovedOn_isRefusedAsStale(TestDatabase db) {
        ProposalService service = service(db);
        Proposal first = service.propose(shorter(), PROPOSER.keyId());
        Proposal second = service.propose(
                new NewProposal(
                        ProposalKind.TRAIT_CHANGE, "sage", OptionalInt.of(1), Map.of("values", Map.of("humor", 0.5))),
                PROPOSER.keyId());
        service.approve(first.id(), REVIEWER, first.sha256(), "ok");

        assertThatThrownBy(() -> service.approve(second.id(), REVIEWER, second.sha256(), "ok too"))
                .isInstanceOf(ConflictException.class)
                .hasMessageStartingWith("proposal " + second.id()
                        + " was computed against version 1 of personality 'sage', " + "which is no longer current");
        assertThat(service.get(second.id()).state()).isEqualTo(ProposalState.STALE);
        assertThat(personalities.history("sage")).hasSize(2);
        assertThat(personalities
                        .current(PersonalityId.of("sage"))
                        .orElseThrow()
                        .personality()
                        .traits()
                        .value("humor", 0))
                .isEqualTo(0.3);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void reject_thenApprove_isAConflict(TestDatabase db) {
        ProposalService service = service(db);
        Proposal proposal = service.propose(shorter(), PROPOSER.keyId());

        Proposal rejected = service.reject(proposal.id(), REVIEWER, "too terse already");

        assertThat(rejected.state()).isEqualTo(ProposalState.REJECTED);
        assertThat(rejected.decision().orElseThrow().reason()).isEqualTo("too terse already");
        assertThatThrownBy(() -> service.approve(proposal.id(), REVIEWER, proposal.sha256(), "changed my mind"))
                .isInstanceOf(ConflictException.class)
                .hasMessage("proposal " + proposal.id() + " is rejected and can no longer be approved");
        assertThat(personalities.writes()).isZero();
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void rollback_isAProposalThatRestoresTheEarlierVersionAsANewOne(TestDatabase db) {
        ProposalService service = service(db);
        Proposal change = service.propose(shorter(), PROPOSER.keyId());
        service.approve(change.id(), REVIEWER, change.sha256(), "ok");

        Proposal rollback =
                service.proposeRollback(PersonalityId.of("sage"), 1, REVIEWER.keyId(), "users miss the detail");
        Proposal applied = service.approve(rollback.id(), PROPOSER, rollback.sha256(), "agreed");

        assertThat(rollback.kind()).isEqualTo(ProposalKind.ROLLBACK);
        assertThat(rollback.baseVersion()).hasValue(2);
        assertThat(applied.result()).containsEntry("version", 3).containsEntry("restored", 1);
        assertThat(personalities.history("sage"))
                .extracting(v -> v.personality().traits().value("verbosity", 0))
                .containsExactly(0.8, 0.65, 0.8);
        assertThatThrownBy(() -> service.proposeRollback(PersonalityId.of("sage"), 3, REVIEWER.keyId(), "x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("version must be an earlier version of 'sage' (1 to 2), got 3");
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void approve_whenNoApplierForTheKind_failsClosedAndStaysPending(TestDatabase db) {
        ProposalService service = service(db);
        Proposal call = service.propose(
                new NewProposal(
                        ProposalKind.TOOL_CALL,
                        "github.delete-repo",
                        OptionalInt.empty(),
                        Map.of("arguments", Map.of("repo", "x"))),
                PROPOSER.keyId());

        assertThatThrownBy(() -> service.approve(call.id(), REVIEWER, call.sha256(), "fine"))
                .isInstanceOf(ConflictException.class)
                .hasMessage("no applier for 'tool-call' proposals is installed on this host, so proposal " + call.id()
                        + " cannot be applied; it stays pending");
        service.register(ProposalKind.TOOL_CALL, proposal -> Map.of("executed", true));
        assertThat(service.approve(call.id(), REVIEWER, call.sha256(), "fine").result())
                .containsEntry("executed", true);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void expireDue_expiresEachOverdueProposalOnceWithAnAuditEntryAndAnEvent(TestDatabase db) throws Exception {
        ProposalService service = service(db);
        Proposal early = service.propose(shorter(), PROPOSER.keyId());
        clock.advance(Duration.ofHours(2));
        Proposal late = service.propose(shorter(), PROPOSER.keyId());
        clock.advance(Duration.ofHours(23)); // early is 25 h old, late 23 h
        List<ProposalEvent> events = new ArrayList<>();

        try (AutoCloseable subscription = service.subscribe(events::add)) {
            assertThat(service.expireDue()).isEqualTo(1);
            assertThat(service.expireDue()).isZero();
        }

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.proposal()).isEqualTo(early.id());
            assertThat(event.from()).isEqualTo("pending");
            assertThat(event.to()).isEqualTo("expired");
            assertThat(event.actor()).isEqualTo("system:expiry");
        });
        assertThat(service.history(early.id())).extracting(AuditEntry::to).containsExactly("pending", "expired");
        assertThat(service.history(early.id()).get(1).reason().orElseThrow()).contains("not decided before its expiry");
        assertThat(service.get(late.id()).state()).isEqualTo(ProposalState.PENDING);
        assertThat(service.history(late.id())).extracting(AuditEntry::to).containsExactly("pending");
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void approve_whenStale_recordsTheStalenessInTheAuditAndAnEvent(TestDatabase db) throws Exception {
        ProposalService service = service(db);
        Proposal first = service.propose(shorter(), PROPOSER.keyId());
        Proposal second = service.propose(
                new NewProposal(
                        ProposalKind.TRAIT_CHANGE, "sage", OptionalInt.of(1), Map.of("values", Map.of("humor", 0.5))),
                PROPOSER.keyId());
        service.approve(first.id(), REVIEWER, first.sha256(), "ok");
        List<ProposalEvent> events = new ArrayList<>();

        try (AutoCloseable subscription = service.subscribe(events::add)) {
            assertThatThrownBy(() -> service.approve(second.id(), REVIEWER, second.sha256(), "ok too"))
                    .isInstanceOf(ConflictException.class);
        }

        assertThat(service.history(second.id())).extracting(AuditEntry::to).containsExactly("pending", "stale");
        assertThat(service.history(second.id()).get(1).actor()).isEqualTo(REVIEWER.keyId());
        assertThat(service.history(second.id()).get(1).reason().orElseThrow()).contains("no longer current");
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.proposal()).isEqualTo(second.id());
            assertThat(event.to()).isEqualTo("stale");
            assertThat(event.actor()).isEqualTo(REVIEWER.keyId());
        });
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void reject_twice_auditsAndPublishesOnce(TestDatabase db) throws Exception {
        ProposalService service = service(db);
        Proposal proposal = service.propose(shorter(), PROPOSER.keyId());
        List<ProposalEvent> events = new ArrayList<>();

        try (AutoCloseable subscription = service.subscribe(events::add)) {
            Proposal rejected = service.reject(proposal.id(), REVIEWER, "too terse already");
            Proposal again = service.reject(proposal.id(), REVIEWER, "double click");
            assertThat(again).isEqualTo(rejected);
        }

        assertThat(service.history(proposal.id())).extracting(AuditEntry::to).containsExactly("pending", "rejected");
        assertThat(service.history(proposal.id()).get(1).actor()).isEqualTo(REVIEWER.keyId());
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.from()).isEqualTo("pending");
            assertThat(event.to()).isEqualTo("rejected");
            assertThat(event.actor()).isEqualTo(REVIEWER.keyId());
        });
        assertThatThrownBy(() -> service.reject(proposal.id(), USER, "me too"))
                .isInstanceOf(AccessDeniedException.class);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void approve_whenTheStoredContentChangedSinceHashing_isAConflictAndAppliesNothing(TestDatabase db) {
        ProposalService service = service(db);
        Proposal proposal = service.propose(shorter(), PROPOSER.keyId());
        // Someone with database access edits the payload after it was hashed (and reviewed).
        db.database()
                .jdbi()
                .useHandle(h -> h.createUpdate("UPDATE proposals SET payload = :p WHERE id = :id")
                        .bind(
                                "p",
                                ContentHash.canonicalPayload(
                                        Map.of("personality", "sage", "values", Map.of("verbosity", 0.05))))
                        .bind("id", proposal.id())
                        .execute());

        assertThatThrownBy(() -> service.approve(proposal.id(), REVIEWER, proposal.sha256(), "looks fine"))
                .isInstanceOf(ConflictException.class)
                .hasMessage("proposal " + proposal.id() + " does not match its own hash (stored content changed); "
                        + "it cannot be applied, reject it and propose again");
        assertThat(personalities.writes()).isZero();
        assertThat(service.get(proposal.id()).state()).isEqualTo(ProposalState.PENDING);
        assertThat(service.history(proposal.id())).extracting(AuditEntry::to).containsExactly("pending");
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void list_inOneState_returnsOnlyThatState_andWithoutAStateEveryProposalNewestFirst(TestDatabase db) {
        ProposalService service = service(db);
        Proposal rejected = service.propose(shorter(), PROPOSER.keyId());
        clock.advance(Duration.ofMinutes(1));
        Proposal pending = service.propose(shorter(), PROPOSER.keyId());
        clock.advance(Duration.ofMinutes(1));
        Proposal alsoPending = service.propose(shorter(), PROPOSER.keyId());
        service.reject(rejected.id(), REVIEWER, "not now");

        assertThat(service.list(java.util.Optional.of(ProposalState.PENDING)))
                .extracting(Proposal::id)
                .containsExactly(alsoPending.id(), pending.id());
        assertThat(service.list(java.util.Optional.of(ProposalState.REJECTED)))
                .extracting(Proposal::id)
                .containsExactly(rejected.id());
        assertThat(service.list(java.util.Optional.of(ProposalState.APPLIED))).isEmpty();
        assertThat(service.list(java.util.Optional.empty()))
                .extracting(Proposal::id)
                .containsExactly(alsoPending.id(), pending.id(), rejected.id());
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void propose_withASubjectOf200Characters_isAccepted_andOf201Refused(TestDatabase db) {
        ProposalService service = service(db);
        String longest = "s".repeat(200);

        Proposal proposal = service.propose(
                new NewProposal(ProposalKind.TOOL_CALL, longest, OptionalInt.empty(), Map.of()), PROPOSER.keyId());

        assertThat(service.get(proposal.id()).subject()).isEqualTo(longest);
        assertThatThrownBy(() -> new NewProposal(ProposalKind.TOOL_CALL, longest + "s", OptionalInt.empty(), Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("proposal subject must be 1-200 characters");
        assertThatThrownBy(() -> new NewProposal(ProposalKind.TOOL_CALL, " ", OptionalInt.empty(), Map.of()))
                .isInstanceOf(InvalidInputException.class);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void approve_whenAnotherHostRejectsItAfterTheChecksBeforeTheLock_isAConflictAndAppliesNothing(TestDatabase db)
            throws Exception {
        // The checks before the transaction pass on a pending proposal; another host sharing the database
        // then rejects it. The approval must check again under the row lock and refuse, not apply.
        ProposalService otherHost = new ProposalService(db.database(), clock, new ApprovalConfig(24));
        Caller otherReviewer = new Caller("key-other", "other reviewer", Set.of(Scope.APPROVER));
        RacingClock racing = new RacingClock(clock);
        ProposalService service = new ProposalService(db.database(), racing, new ApprovalConfig(24))
                .withPersonalities(personalities, personalities);
        Proposal proposal = service.propose(shorter(), PROPOSER.keyId());
        racing.onFirstDecidabilityCheck(() -> otherHost.reject(proposal.id(), otherReviewer, "not this one"));
        List<ProposalEvent> events = new ArrayList<>();

        try (AutoCloseable subscription = service.subscribe(events::add)) {
            assertThatThrownBy(() -> service.approve(proposal.id(), REVIEWER, proposal.sha256(), "fine"))
                    .isInstanceOf(ConflictException.class)
                    .hasMessage("proposal " + proposal.id() + " is rejected and can no longer be approved");
        }

        assertThat(racing.fired())
                .as("the other host rejected between the checks and the lock")
                .isTrue();
        assertThat(personalities.writes()).isZero();
        assertThat(service.get(proposal.id()).state()).isEqualTo(ProposalState.REJECTED);
        assertThat(service.history(proposal.id()))
                .extracting(AuditEntry::to, AuditEntry::actor)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("pending", PROPOSER.keyId()),
                        org.assertj.core.groups.Tuple.tuple("rejected", otherReviewer.keyId()));
        assertThat(events).isEmpty();
    }

    /**
     * Reads the time of another clock; the first time {@code ProposalService} reads it while checking that
     * a proposal can still be decided (that check runs first outside the transaction, then again under the
     * row lock), it runs a hook first: a deterministic stand-in for another host acting in that window.
     */
    private static final class RacingClock extends java.time.Clock {
        private final java.time.Clock time;
        private final java.util.concurrent.atomic.AtomicReference<Runnable> hook =
                new java.util.concurrent.atomic.AtomicReference<>();
        private volatile boolean fired;

        RacingClock(java.time.Clock time) {
            this.time = time;
        }

        void onFirstDecidabilityCheck(Runnable action) {
            hook.set(action);
        }

        boolean fired() {
            return fired;
        }

        @Override
        public Instant instant() {
            if (hook.get() != null
                    && StackWalker.getInstance()
                            .walk(frames ->
                                    frames.anyMatch(f -> f.getMethodName().equals("requireDecidable")))) {
                Runnable action = hook.getAndSet(null);
                if (action != null) {
                    action.run();
                    fired = true;
                }
            }
            return time.instant();
        }

        @Override
        public java.time.ZoneId getZone() {
            return time.getZone();
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
