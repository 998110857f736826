package dev.nexus.host.approval;

import dev.nexus.host.AccessDeniedException;
import dev.nexus.host.ConflictException;
import dev.nexus.host.Ids;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Scope;
import dev.nexus.host.db.Database;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import dev.nexus.host.persona.PersonalityVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approval queue: one inbox for trait changes, rollbacks, sandboxed-plugin enablement and risky
 * tool calls. Nothing a feature proposes happens until a second person approves it here. Thread-safe.
 *
 * <ul>
 *   <li>Proposals are immutable and carry the SHA-256 of their canonical content.</li>
 *   <li>Approving needs the approver scope, a different key than the proposer's, and the hash the
 *       reviewer saw; expired proposals fail closed.</li>
 *   <li>Approve-and-apply is one database transaction: the proposal row is locked, the kind's
 *       {@link ProposalApplier} runs (compare-and-swap on the base version), the state and the
 *       audit entries are written. A stale base refuses the proposal; approving an applied proposal
 *       again returns it unchanged (idempotent by id).</li>
 *   <li>Every transition is appended to the audit log and published to subscribers (SSE).</li>
 * </ul>
 */
public final class ProposalService {

    private static final Logger LOG = LoggerFactory.getLogger(ProposalService.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_REASON = 2000;
    private static final int LIST_LIMIT = 500;

    private final ProposalRepository repository;
    private final Clock clock;
    private final Duration ttl;
    private final Map<ProposalKind, ProposalApplier> appliers = new EnumMap<>(ProposalKind.class);
    private final List<Consumer<ProposalEvent>> subscribers = new CopyOnWriteArrayList<>();
    private PersonalityLookup personalities;

    public ProposalService(Database database, Clock clock, ApprovalConfig config) {
        this.repository = new ProposalRepository(database);
        this.clock = clock;
        this.ttl = Duration.ofHours(config.proposalTtlHours());
    }

    /** Installs the appliers for trait changes and rollbacks on top of the personality registry's ports. */
    public synchronized ProposalService withPersonalities(PersonalityWriter writer, PersonalityLookup lookup) {
        register(ProposalKind.TRAIT_CHANGE, new TraitChangeApplier(writer));
        register(ProposalKind.ROLLBACK, new RollbackApplier(writer));
        this.personalities = lookup;
        return this;
    }

    /**
     * Proposes restoring version {@code targetVersion} of {@code id} (as a new version, based on the
     * current one).
     *
     * @throws NotFoundException when the personality does not exist
     * @throws InvalidInputException when the target is not an earlier version
     */
    public Proposal proposeRollback(PersonalityId id, int targetVersion, String proposer, String reason) {
        PersonalityLookup lookup;
        synchronized (this) {
            lookup = personalities;
        }
        if (lookup == null) {
            throw new ConflictException("rollbacks need the personality registry, which is not installed on this host");
        }
        PersonalityVersion current =
                lookup.current(id).orElseThrow(() -> NotFoundException.of("personality", id.value()));
        if (targetVersion < 1 || targetVersion >= current.version()) {
            throw new InvalidInputException("version must be an earlier version of '" + id + "' (1 to "
                    + (current.version() - 1) + "), got " + targetVersion);
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("personality", id.value());
        payload.put("targetVersion", targetVersion);
        payload.put("reason", reason(reason));
        return propose(
                new NewProposal(ProposalKind.ROLLBACK, id.value(), OptionalInt.of(current.version()), payload),
                proposer);
    }

    /** Installs the applier of {@code kind} (e.g. the sandbox's plugin enablement); replaces any earlier one. */
    public synchronized void register(ProposalKind kind, ProposalApplier applier) {
        appliers.put(kind, applier);
    }

    /** Submits a proposal; it waits for a decision until it expires. */
    public Proposal propose(NewProposal proposal, String proposer) {
        if (proposer == null || proposer.isBlank()) {
            throw new IllegalArgumentException("a proposal needs a proposer");
        }
        Instant now = now();
        Proposal draft = new Proposal(
                Ids.newId(clock),
                proposal.kind(),
                proposal.subject(),
                proposal.baseVersion(),
                proposal.payload(),
                "",
                proposer,
                now,
                now.plus(ttl),
                ProposalState.PENDING,
                Optional.empty(),
                Map.of());
        Proposal stored = withHash(draft);
        repository.inTransaction(h -> {
            repository.insert(h, stored);
            repository.audit(h, entry(stored.id(), null, ProposalState.PENDING, proposer, null, now));
            return null;
        });
        publish(stored, "none", proposer, now);
        return stored;
    }

    /** Returns proposals, newest first, optionally in one state (at most 500). */
    public List<Proposal> list(Optional<ProposalState> state) {
        expireDue();
        return repository.list(state, LIST_LIMIT);
    }

    /** Returns the proposal {@code id}. */
    public Proposal get(String id) {
        expireDue();
        return repository.find(id).orElseThrow(() -> NotFoundException.of("proposal", id));
    }

    /** Returns the audit log of proposal {@code id}, oldest first. */
    public List<AuditEntry> history(String id) {
        get(id);
        return repository.history(id);
    }

    /**
     * Approves and applies proposal {@code id}.
     *
     * @param sha256 the hash of the content the reviewer saw
     * @throws AccessDeniedException without the approver scope, or for the proposer's own key
     * @throws ConflictException when the hash differs, the proposal is expired, already decided
     *     otherwise, stale, or has no applier installed
     */
    public Proposal approve(String id, Caller caller, String sha256, String reason) {
        requireApprover(caller);
        String why = reason(reason);
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new InvalidInputException(
                    "sha256 must be the 64 lower-case hex digits of the proposal you reviewed, got '"
                            + InvalidInputException.cap(sha256) + "'");
        }
        Proposal seen = get(id);
        if (seen.state() == ProposalState.APPLIED) {
            return seen; // idempotent: applying twice is the same as once
        }
        requireDecidable(seen, caller);
        if (!seen.sha256().equals(sha256)) {
            throw new ConflictException("proposal " + id + " has hash " + seen.sha256() + " but you approved " + sha256
                    + "; re-read the proposal and approve what it says now");
        }
        ProposalApplier applier;
        synchronized (this) {
            applier = appliers.get(seen.kind());
        }
        if (applier == null) {
            throw new ConflictException(
                    "no applier for '" + seen.kind().label() + "' proposals is installed on this host, "
                            + "so proposal " + id + " cannot be applied; it stays pending");
        }
        Instant now = now();
        boolean[] appliedNow = {false};
        try {
            Proposal applied = repository.inTransaction(h -> {
                Proposal locked = repository.lock(h, id).orElseThrow(() -> NotFoundException.of("proposal", id));
                if (locked.state() == ProposalState.APPLIED) {
                    return locked;
                }
                requireDecidable(locked, caller);
                if (!ContentHash.of(locked).equals(locked.sha256())) {
                    throw new ConflictException(
                            "proposal " + id + " does not match its own hash (stored content changed); "
                                    + "it cannot be applied, reject it and propose again");
                }
                Map<String, Object> result = applier.apply(locked);
                repository.decide(
                        h, id, ProposalState.PENDING, ProposalState.APPLIED, caller.keyId(), now, why, result);
                repository.audit(h, entry(id, ProposalState.PENDING, ProposalState.APPLIED, caller.keyId(), why, now));
                appliedNow[0] = true;
                return repository.lock(h, id).orElseThrow();
            });
            if (appliedNow[0]) {
                publish(applied, ProposalState.PENDING.label(), caller.keyId(), now);
            }
            return applied;
        } catch (StaleProposalException stale) {
            markStale(seen, caller, stale.getMessage(), now);
            throw stale;
        }
    }

    /** Rejects proposal {@code id}. */
    public Proposal reject(String id, Caller caller, String reason) {
        requireApprover(caller);
        String why = reason(reason);
        Proposal seen = get(id);
        if (seen.state() == ProposalState.REJECTED) {
            return seen;
        }
        if (seen.state() != ProposalState.PENDING) {
            throw new ConflictException(
                    "proposal " + id + " is " + seen.state().label() + " and can no longer be rejected");
        }
        Instant now = now();
        boolean moved = repository.inTransaction(h -> {
            boolean done = repository.decide(
                    h, id, ProposalState.PENDING, ProposalState.REJECTED, caller.keyId(), now, why, Map.of());
            if (done) {
                repository.audit(h, entry(id, ProposalState.PENDING, ProposalState.REJECTED, caller.keyId(), why, now));
            }
            return done;
        });
        Proposal after = get(id);
        if (!moved && after.state() != ProposalState.REJECTED) {
            throw new ConflictException("proposal " + id + " was decided meanwhile: it is "
                    + after.state().label());
        }
        if (moved) {
            publish(after, ProposalState.PENDING.label(), caller.keyId(), now);
        }
        return after;
    }

    /** Expires every pending proposal past its expiry (fail closed); returns how many. */
    public int expireDue() {
        Instant now = now();
        int count = 0;
        for (String id : repository.pendingExpiredBy(now)) {
            boolean moved = repository.inTransaction(h -> {
                boolean done = repository.decide(
                        h,
                        id,
                        ProposalState.PENDING,
                        ProposalState.EXPIRED,
                        "system:expiry",
                        now,
                        "not decided before its expiry",
                        Map.of());
                if (done) {
                    repository.audit(
                            h,
                            entry(
                                    id,
                                    ProposalState.PENDING,
                                    ProposalState.EXPIRED,
                                    "system:expiry",
                                    "not decided before its expiry",
                                    now));
                }
                return done;
            });
            if (moved) {
                count++;
                repository.find(id).ifPresent(p -> publish(p, ProposalState.PENDING.label(), "system:expiry", now));
            }
        }
        return count;
    }

    /** Subscribes to every transition from now on; close the handle to stop. Listeners must not block. */
    public AutoCloseable subscribe(Consumer<ProposalEvent> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    private void markStale(Proposal proposal, Caller caller, String why, Instant now) {
        boolean moved = repository.inTransaction(h -> {
            boolean done = repository.decide(
                    h, proposal.id(), ProposalState.PENDING, ProposalState.STALE, caller.keyId(), now, why, Map.of());
            if (done) {
                repository.audit(
                        h, entry(proposal.id(), ProposalState.PENDING, ProposalState.STALE, caller.keyId(), why, now));
            }
            return done;
        });
        if (moved) {
            repository
                    .find(proposal.id())
                    .ifPresent(p -> publish(p, ProposalState.PENDING.label(), caller.keyId(), now));
        }
    }

    private void requireDecidable(Proposal proposal, Caller caller) {
        if (proposal.state() != ProposalState.PENDING) {
            throw new ConflictException(
                    "proposal " + proposal.id() + " is " + proposal.state().label()
                            + " and can no longer be approved"
                            + (proposal.state() == ProposalState.EXPIRED
                                    ? "; expired proposals count as rejected, run the evolution again for a fresh one"
                                    : ""));
        }
        if (!clock.instant().isBefore(proposal.expiresAt())) {
            throw new ConflictException("proposal " + proposal.id() + " expired at " + proposal.expiresAt()
                    + "; expired proposals count as rejected");
        }
        if (caller.keyId().equals(proposal.proposer())) {
            throw AccessDeniedException.forbidden("key " + caller.keyId() + " proposed " + proposal.id()
                    + " and cannot approve it; another approver's key must decide");
        }
    }

    private static void requireApprover(Caller caller) {
        if (!caller.has(Scope.APPROVER)) {
            throw AccessDeniedException.forbidden("deciding proposals needs a key with the approver scope; key "
                    + caller.keyId() + " has "
                    + caller.scopes().stream().map(Scope::label).sorted().toList());
        }
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("reason is required: say why, in a sentence, for the audit log");
        }
        if (reason.length() > MAX_REASON) {
            throw new InvalidInputException(
                    "reason must be at most " + MAX_REASON + " characters, got " + reason.length());
        }
        return reason.strip();
    }

    /** The clock's time to the millisecond: what both databases store exactly, so hashes recompute. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Proposal withHash(Proposal p) {
        return new Proposal(
                p.id(),
                p.kind(),
                p.subject(),
                p.baseVersion(),
                p.payload(),
                ContentHash.of(p),
                p.proposer(),
                p.createdAt(),
                p.expiresAt(),
                p.state(),
                p.decision(),
                p.result());
    }

    private AuditEntry entry(String id, ProposalState from, ProposalState to, String actor, String reason, Instant at) {
        return new AuditEntry(
                Ids.newId(clock),
                id,
                Optional.ofNullable(from).map(ProposalState::label),
                to.label(),
                actor,
                Optional.ofNullable(reason),
                at);
    }

    private void publish(Proposal proposal, String from, String actor, Instant at) {
        ProposalEvent event = new ProposalEvent(
                proposal.id(),
                proposal.kind().label(),
                proposal.subject(),
                from,
                proposal.state().label(),
                actor,
                at);
        outbound.accept(event);
        deliver(event);
    }

    private volatile Consumer<ProposalEvent> outbound = event -> {};

    /** Tells {@code listener} every event of this host's making (other hosts relay them to their subscribers). */
    public void onEvent(Consumer<ProposalEvent> listener) {
        this.outbound = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Hands an event another host made to this host's subscribers. */
    public void relay(ProposalEvent event) {
        deliver(event);
    }

    private void deliver(ProposalEvent event) {
        for (Consumer<ProposalEvent> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("a proposal event subscriber failed; it is dropped", e);
                subscribers.remove(subscriber);
            }
        }
    }
}
