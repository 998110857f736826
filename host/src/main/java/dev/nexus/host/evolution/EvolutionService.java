package dev.nexus.host.evolution;

import dev.nexus.host.ConflictException;
import dev.nexus.host.DependencyException;
import dev.nexus.host.Ids;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.approval.NewProposal;
import dev.nexus.host.approval.Proposal;
import dev.nexus.host.approval.ProposalKind;
import dev.nexus.host.approval.ProposalService;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.db.Database;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import dev.nexus.host.persona.PersonalityVersion;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trait evolution's front door: takes feedback on replies, runs evolutions (on request, or by
 * itself after enough new feedback) on a bounded executor, and turns an improvement into a
 * trait-change proposal in the approval queue. It never changes a personality itself.
 * Thread-safe.
 */
public final class EvolutionService {

    private static final Logger LOG = LoggerFactory.getLogger(EvolutionService.class);
    /** The newest feedback events a run learns from. */
    static final int EVIDENCE_LIMIT = 5000;

    static final String SCHEDULER = "system:evolution";

    private final FeedbackRepository feedback;
    private final RunRepository runs;
    private final PersonalityLookup personalities;
    private final ReplyLookup replies;
    private final ProposalService proposals;
    private final EvolutionConfig config;
    private final Executor executor;
    private final Clock clock;
    private final RandomGenerator seeds;
    private final Supplier<List<WeightedFitness>> external;
    private final EvolutionEngine engine = new EvolutionEngine();
    private final Map<String, List<GenerationStats>> live = new ConcurrentHashMap<>();

    /**
     * @param executor runs evolutions; bounded (a full queue makes new runs fail with 503)
     * @param seeds draws a seed for runs that do not bring their own
     * @param external the enabled external fitness functions (e.g. approved sandboxed plugins), asked per run
     */
    public EvolutionService(
            Database database,
            PersonalityLookup personalities,
            ReplyLookup replies,
            ProposalService proposals,
            EvolutionConfig config,
            Executor executor,
            Clock clock,
            RandomGenerator seeds,
            Supplier<List<WeightedFitness>> external) {
        this.feedback = new FeedbackRepository(database);
        this.runs = new RunRepository(database);
        this.personalities = personalities;
        this.replies = replies;
        this.proposals = proposals;
        this.config = config;
        this.executor = executor;
        this.clock = clock;
        this.seeds = seeds;
        this.external = external;
    }

    /**
     * Returns the bounded executor runs need: {@code workers} threads and at most {@code maxQueued}
     * waiting runs (more are refused, and the API answers 503). Close it when the host stops.
     */
    public static java.util.concurrent.ExecutorService boundedExecutor(EvolutionConfig config) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return new java.util.concurrent.ThreadPoolExecutor(
                config.workers(),
                config.workers(),
                0L,
                java.util.concurrent.TimeUnit.MILLISECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(config.maxQueued()),
                task -> {
                    Thread thread = new Thread(task, "evolution-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Returns the feedback on any of {@code replies} (a person's messages) or given by any of
     * {@code raters} (their keys, their platform identities), oldest first. For a person's export.
     */
    public List<Feedback> feedbackAbout(List<String> replies, List<String> raters) {
        return feedback.about(replies, raters);
    }

    /** Erases the feedback {@link #feedbackAbout} returns; returns how many. Runs already done keep their evidence counts. */
    public int forgetFeedbackAbout(List<String> replies, List<String> raters) {
        return feedback.deleteAbout(replies, raters);
    }

    private final List<java.util.function.Consumer<Feedback>> feedbackListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Calls {@code listener} after each stored feedback, on the thread that gave it (A/B experiments
     * re-evaluate there). A listener that throws is logged; the feedback stays stored.
     */
    public void onFeedback(java.util.function.Consumer<Feedback> listener) {
        feedbackListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /** Feedback as sent to {@code POST /v1/feedback}; see {@link FeedbackRules}. */
    public record FeedbackBody(String message, Object rating, List<String> critiques, String comment) {}

    /** A run request as sent to {@code POST /v1/evolution/runs}. */
    public record RunBody(String personality, Long seed, Integer generations, Integer population) {}

    /**
     * Stores feedback on a reply; may start a scheduled run.
     *
     * @throws InvalidInputException for bad ratings, unknown or contradictory critiques, duplicates
     * @throws NotFoundException when no such reply exists
     */
    public Feedback give(Caller caller, FeedbackBody body) {
        return store(caller.keyId(), Optional.empty(), body, Optional.of(caller));
    }

    /**
     * The outcome of {@link #giveOnce}. Immutable.
     *
     * @param feedback the stored feedback (the earlier one for a duplicate)
     * @param duplicate true when feedback from {@code source} was already stored; nothing new was stored
     */
    public record Given(Feedback feedback, boolean duplicate) {}

    /**
     * Stores feedback that came from outside the API (a platform reaction), at most once per
     * {@code source}: a second call with the same source returns the first feedback as a duplicate,
     * whatever its body. Otherwise the rules of {@link #give} apply, with {@code rater} in place of
     * the API key (one feedback per reply per rater). May start a scheduled run.
     *
     * @param source a unique name of the event, e.g. {@code webhook:<reaction id>}, 1-300 characters
     * @param rater who gave it, e.g. {@code webhook:<user>}, 1-200 characters
     * @throws InvalidInputException for bad ratings, unknown or contradictory critiques, a second
     *     feedback by the same rater on the same reply, or an over-long source or rater
     * @throws NotFoundException when no such reply exists
     */
    public Given giveOnce(String source, String rater, FeedbackBody body) {
        if (source == null || source.isBlank() || source.length() > 300) {
            throw new InvalidInputException(
                    "a feedback source must be 1-300 characters, got '" + InvalidInputException.cap(source) + "'");
        }
        if (rater == null || rater.isBlank() || rater.length() > 200) {
            throw new InvalidInputException("a rater must be 1-200 characters, got '" + InvalidInputException.cap(rater)
                    + "'; use a shorter user id");
        }
        Optional<Feedback> earlier = feedback.findBySource(source);
        if (earlier.isPresent()) {
            return new Given(earlier.get(), true);
        }
        try {
            return new Given(store(rater, Optional.of(source), body, Optional.empty()), false);
        } catch (RuntimeException e) {
            // A concurrent call with the same source may have won the insert: that is a duplicate, not an error.
            Optional<Feedback> raced = feedback.findBySource(source);
            if (raced.isPresent()) {
                return new Given(raced.get(), true);
            }
            throw e;
        }
    }

    /**
     * Records a reaction (from a platform, or any source outside the API) as feedback, once per
     * {@code source}. The rating arrives as given ({@code "up"}, {@code "down"} or a star count;
     * empty when the reaction has none) and is judged like the API's. The platform's port is adapted
     * to this by the host ({@code Host.reactionFeedback}), so evolution does not know platforms.
     *
     * @throws InvalidInputException for a bad rating, unknown or contradictory critiques, no signal,
     *     or a second reaction by the same user on the same reply
     * @throws NotFoundException when no such reply exists
     */
    public Given react(String source, String rater, String replyId, String rating, List<String> critiques) {
        Object given =
                rating.isEmpty() ? null : rating.matches("[0-9]{1,9}") ? (Object) Integer.valueOf(rating) : rating;
        return giveOnce(source, rater, new FeedbackBody(replyId, given, critiques, null));
    }

    private Feedback store(String rater, Optional<String> source, FeedbackBody body, Optional<Caller> caller) {
        FeedbackRules.Checked checked = FeedbackRules.check(body);
        // Another user's reply is "not found", as if it did not exist (issue 11).
        Reply reply = replies.reply(checked.message())
                .filter(found -> caller.isEmpty()
                        || found.user().isEmpty()
                        || caller.get().sees(found.user().get()))
                .orElseThrow(
                        () -> new NotFoundException(
                                "no reply with message id '" + InvalidInputException.cap(checked.message())
                                        + "'; feedback attaches to a personality's reply (see GET /v1/conversations/{id}/messages)"));
        FeedbackRules.requireDeclared(checked.critiques(), reply);
        String per = source.isPresent() ? "user" : "key";
        Optional<Feedback> earlier = feedback.find(reply.messageId(), rater);
        if (earlier.isPresent()) {
            throw new InvalidInputException("feedback on message '" + reply.messageId() + "' from this " + per
                    + " already exists (id " + earlier.get().id() + "); one feedback per reply per " + per);
        }
        Feedback stored = new Feedback(
                Ids.newId(clock),
                reply.messageId(),
                reply.personality().value(),
                reply.personalityVersion(),
                reply.traits(),
                checked.rating(),
                checked.ratingGiven(),
                checked.critiques().stream().map(Critique::term).toList(),
                checked.comment(),
                rater,
                reply.replyLength(),
                reply.messageLength(),
                now());
        try {
            feedback.insert(stored, source);
        } catch (RuntimeException e) {
            if (feedback.find(reply.messageId(), rater).isPresent()) {
                throw new InvalidInputException("feedback on message '" + reply.messageId() + "' from this " + per
                        + " already exists; one feedback per reply per " + per);
            }
            throw e;
        }
        scheduleIfDue(reply.personality());
        for (java.util.function.Consumer<Feedback> listener : feedbackListeners) {
            try {
                listener.accept(stored);
            } catch (RuntimeException e) { // the feedback is stored; a listener's failure is its own
                LOG.warn("a feedback listener failed: {}", e.toString());
            }
        }
        return stored;
    }

    /** Returns the feedback on the reply {@code messageId}, oldest first (empty when there is none). */
    public List<Feedback> feedbackOn(String messageId) {
        if (messageId.isBlank() || messageId.length() > 64) {
            throw new InvalidInputException("message must be the id of a reply (1-64 characters), got '"
                    + InvalidInputException.cap(messageId) + "'");
        }
        return feedback.forMessage(messageId);
    }

    /**
     * Queues an evolution run of a personality's current version.
     *
     * @throws NotFoundException when the personality does not exist
     * @throws DependencyException (503) when the run queue is full
     */
    public EvolutionRun start(Caller caller, RunBody body) {
        if (body.personality() == null) {
            throw new InvalidInputException("personality is required, e.g. {\"personality\": \"sage\"}");
        }
        PersonalityId id = PersonalityId.of(body.personality());
        long seed = body.seed() != null ? body.seed() : seeds.nextLong();
        int generations = body.generations() != null ? body.generations() : config.generations();
        int population = body.population() != null ? body.population() : config.population();
        return start(id, seed, generations, population, "api", caller.keyId());
    }

    /** The most runs {@link #runs} returns in one call. */
    public static final int MAX_LISTED_RUNS = 100;

    /**
     * Returns the newest runs (of one personality, or of all), up to {@code limit}; a running run's
     * progress is the live one.
     *
     * @throws InvalidInputException for a limit outside 1-{@value #MAX_LISTED_RUNS}
     */
    public List<EvolutionRun> runs(Optional<String> personality, int limit) {
        if (limit < 1 || limit > MAX_LISTED_RUNS) {
            throw new InvalidInputException("query parameter 'limit' must be 1-" + MAX_LISTED_RUNS + ", got " + limit);
        }
        return runs.list(personality, limit).stream()
                .map(run -> run.state().equals("running") ? run(run.id()) : run)
                .toList();
    }

    /** Returns run {@code id}, with live progress while it runs. */
    public EvolutionRun run(String id) {
        EvolutionRun run = runs.find(id).orElseThrow(() -> NotFoundException.of("evolution run", id));
        List<GenerationStats> progress = live.get(id);
        return progress == null ? run : run.withProgress(List.copyOf(progress));
    }

    /** Returns the feedback on {@code personality}, oldest first (the newest {@value #EVIDENCE_LIMIT}). */
    public List<Feedback> feedback(PersonalityId personality) {
        return feedback.forPersonality(personality.value(), EVIDENCE_LIMIT);
    }

    private EvolutionRun start(
            PersonalityId id, long seed, int generations, int population, String trigger, String by) {
        if (generations < 1 || generations > EvolutionRequest.MAX_GENERATIONS) {
            throw new InvalidInputException("generations must be between 1 and 1000, got " + generations);
        }
        if (population < 4 || population > EvolutionRequest.MAX_POPULATION) {
            throw new InvalidInputException("population must be between 4 and 1000, got " + population);
        }
        if (personalities.current(id).isEmpty()) {
            throw NotFoundException.of("personality", id.value());
        }
        int count = feedback.forPersonality(id.value(), EVIDENCE_LIMIT).size();
        EvolutionRun run = new EvolutionRun(
                Ids.newId(clock),
                id.value(),
                "queued",
                seed,
                generations,
                population,
                config.trustRadius(),
                trigger,
                by,
                count,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                now(),
                Optional.empty());
        runs.insert(run);
        try {
            executor.execute(() -> execute(run));
        } catch (RejectedExecutionException full) {
            runs.failed(run.id(), "refused: the evolution queue was full", now());
            throw new DependencyException(
                    "the evolution queue is full (" + config.maxQueued()
                            + " runs waiting); try again when runs have finished",
                    true,
                    full);
        }
        return run(run.id());
    }

    private void execute(EvolutionRun run) {
        List<GenerationStats> progress = new CopyOnWriteArrayList<>();
        live.put(run.id(), progress);
        try {
            runs.running(run.id());
            PersonalityId id = PersonalityId.of(run.personality());
            PersonalityVersion version =
                    personalities.current(id).orElseThrow(() -> NotFoundException.of("personality", id.value()));
            List<FeedbackEvidence> evidence = feedback.forPersonality(id.value(), EVIDENCE_LIMIT).stream()
                    .map(Feedback::evidence)
                    .toList();
            EvolutionRequest request = new EvolutionRequest(
                    id,
                    version.personality().traits(),
                    evidence,
                    run.seed(),
                    run.population(),
                    run.generations(),
                    run.trustRadius(),
                    external.get(),
                    EvolutionTuning.defaults());
            EvolutionOutcome outcome = engine.evolve(request, generation -> {
                if (generation.generation() == 1) {
                    progress.clear();
                }
                progress.add(generation);
            });
            Optional<String> proposal = outcome.changes()
                    ? Optional.of(propose(run, version, outcome).id())
                    : Optional.empty();
            runs.succeeded(run.id(), outcome.generations(), outcome, proposal, now());
        } catch (RuntimeException e) {
            LOG.warn("evolution run {} of {} failed", run.id(), run.personality(), e);
            runs.failed(run.id(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), now());
        } finally {
            live.remove(run.id());
        }
    }

    private Proposal propose(EvolutionRun run, PersonalityVersion version, EvolutionOutcome outcome) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("personality", run.personality());
        payload.put("run", run.id());
        Map<String, Object> values = new LinkedHashMap<>();
        outcome.diff().forEach(change -> values.put(change.trait(), change.to()));
        payload.put("values", values);
        List<Map<String, Object>> diff = new ArrayList<>();
        outcome.diff()
                .forEach(change -> diff.add(Map.of("trait", change.trait(), "from", change.from(), "to", change.to())));
        payload.put("diff", diff);
        Map<String, Object> fitness = new LinkedHashMap<>();
        fitness.put("current", outcome.currentFitness());
        fitness.put("proposed", outcome.proposedFitness());
        outcome.currentRating().ifPresent(r -> fitness.put("currentPredictedRating", r));
        outcome.proposedRating().ifPresent(r -> fitness.put("proposedPredictedRating", r));
        payload.put("fitness", fitness);
        RunEvidence evidence = outcome.evidence();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("seed", evidence.seed());
        facts.put("generations", evidence.generations());
        facts.put("population", evidence.population());
        facts.put("trustRadius", evidence.trustRadius());
        facts.put("feedbackCount", evidence.feedbackCount());
        facts.put("ratedCount", evidence.ratedCount());
        facts.put("critiqueCount", evidence.critiqueCount());
        List<Map<String, Object>> functions = new ArrayList<>();
        evidence.functions()
                .forEach(f -> functions.add(Map.of(
                        "id",
                        f.id(),
                        "version",
                        f.version(),
                        "sha256",
                        f.sha256(),
                        "weight",
                        f.weight(),
                        "status",
                        f.status())));
        facts.put("fitnessFunctions", functions);
        payload.put("evidence", facts);
        return proposals.propose(
                new NewProposal(
                        ProposalKind.TRAIT_CHANGE, run.personality(), OptionalInt.of(version.version()), payload),
                run.requestedBy());
    }

    private void scheduleIfDue(PersonalityId id) {
        if (config.scheduleAfter() == 0) {
            return;
        }
        Optional<EvolutionRun> latest = runs.latest(id.value());
        if (latest.isPresent()
                && (latest.get().state().equals("queued")
                        || latest.get().state().equals("running"))) {
            return;
        }
        Instant since = latest.map(EvolutionRun::createdAt).orElse(Instant.EPOCH);
        int fresh = feedback.countSince(id.value(), since);
        if (fresh < config.scheduleAfter()) {
            return;
        }
        try {
            int total = feedback.forPersonality(id.value(), EVIDENCE_LIMIT).size();
            // A scheduled run's seed is a function of its data, so it replays like any other run.
            long seed = ((long) id.value().hashCode() << 32) ^ total;
            start(id, seed, config.generations(), config.population(), "schedule", SCHEDULER);
        } catch (DependencyException | ConflictException e) {
            LOG.info("scheduled evolution of {} not started: {}", id, e.getMessage());
        } catch (RuntimeException e) {
            // On PostgreSQL a unique index admits one queued or running scheduled run per personality: another
            // host that received feedback at the same moment started it.
            LOG.info(
                    "scheduled evolution of {} not started here (another host started it, or the database refused): {}",
                    id,
                    e.getMessage());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
