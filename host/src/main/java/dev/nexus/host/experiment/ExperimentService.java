package dev.nexus.host.experiment;

import dev.nexus.host.ConflictException;
import dev.nexus.host.Ids;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.approval.Proposal;
import dev.nexus.host.approval.ProposalService;
import dev.nexus.host.conversation.VersionChooser;
import dev.nexus.host.db.Database;
import dev.nexus.host.evolution.Feedback;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import dev.nexus.host.persona.PersonalityVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A/B experiments between two versions of a personality (see docs/experiments.md). While one runs,
 * {@link #choose} sends a fixed share of users (sticky: a hash of experiment id and user) to the
 * treatment version and the rest to the control version, and says so in each reply's metadata.
 * After every feedback on the personality, and on every read of the results, the two arms' ratings
 * are compared with a Beta-Binomial model; when the treatment is worse with posterior probability at
 * least the threshold (and each arm has the minimum feedback), a rollback proposal to the control
 * version is filed in the approval queue - never applied here. Thread-safe.
 */
public final class ExperimentService implements VersionChooser {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentService.class);
    /** A rating at or above this (normalised: 4 or 5 stars, thumbs up) counts as a success. */
    static final double SUCCESS = 0.75;
    /** How long a host serves its cached list of running experiments before reading it again. */
    private static final Duration CACHE = Duration.ofSeconds(1);

    private final ExperimentRepository repository;
    private final PersonalityLookup personalities;
    private final BiFunction<PersonalityId, Integer, PersonalityVersion> versions;
    private final Function<PersonalityId, List<Feedback>> feedback;
    private final ProposalService proposals;
    private final Clock clock;
    private volatile Cached cached = new Cached(Instant.MIN, Map.of());

    private record Cached(Instant read, Map<String, Experiment> byPersonality) {}

    /** The body of {@code POST /v1/personalities/{id}/experiments}. */
    public record Body(
            Integer controlVersion,
            Integer treatmentVersion,
            Integer treatmentPercent,
            Integer minFeedback,
            Double threshold) {}

    public ExperimentService(
            Database database,
            PersonalityLookup personalities,
            BiFunction<PersonalityId, Integer, PersonalityVersion> versions,
            Function<PersonalityId, List<Feedback>> feedback,
            ProposalService proposals,
            Clock clock) {
        this.repository = new ExperimentRepository(database);
        this.personalities = personalities;
        this.versions = versions;
        this.feedback = feedback;
        this.proposals = proposals;
        this.clock = clock;
    }

    /**
     * Starts an experiment: {@code treatmentVersion} (default: the current version, which it must be)
     * against the earlier {@code controlVersion}.
     *
     * @throws InvalidInputException for missing or out-of-range values
     * @throws NotFoundException for an unknown personality or version
     * @throws ConflictException when an experiment already runs on the personality
     */
    public synchronized Map<String, Object> create(String personality, Body body, String by) {
        PersonalityId id = PersonalityId.of(personality);
        PersonalityVersion current =
                personalities.current(id).orElseThrow(() -> NotFoundException.of("personality", personality));
        if (body == null || body.controlVersion() == null) {
            throw new InvalidInputException(
                    "field 'controlVersion' is required: the earlier version to compare the current one with");
        }
        int treatment = body.treatmentVersion() == null ? current.version() : body.treatmentVersion();
        if (treatment != current.version()) {
            throw new InvalidInputException("field 'treatmentVersion' must be the current version of '" + id + "' ("
                    + current.version() + "), got " + treatment
                    + "; an experiment tests the current version against an earlier one");
        }
        int control = body.controlVersion();
        if (control < 1 || control >= treatment) {
            throw new InvalidInputException("field 'controlVersion' must be an earlier version of '" + id + "' (1 to "
                    + (treatment - 1) + "), got " + control);
        }
        PersonalityVersion controlled = versions.apply(id, control); // NotFoundException when it does not exist
        assert controlled.version() == control;
        int percent = body.treatmentPercent() == null ? 50 : body.treatmentPercent();
        if (percent < 1 || percent > 99) {
            throw new InvalidInputException(
                    "field 'treatmentPercent' must be 1-99 (the share of users the treatment answers), got " + percent);
        }
        int minFeedback = body.minFeedback() == null ? 30 : body.minFeedback();
        if (minFeedback < 5 || minFeedback > 100_000) {
            throw new InvalidInputException(
                    "field 'minFeedback' must be 5-100000 rated replies per arm, got " + minFeedback);
        }
        double threshold = body.threshold() == null ? 0.95 : body.threshold();
        if (!(threshold >= 0.8 && threshold <= 0.999)) {
            throw new InvalidInputException(
                    "field 'threshold' must be 0.8-0.999 (posterior probability that decides), got " + threshold);
        }
        repository.running().stream()
                .filter(e -> e.personality().equals(id.value()))
                .findFirst()
                .ifPresent(e -> {
                    throw new ConflictException("experiment '" + e.id() + "' already runs on personality '" + id
                            + "'; stop it first (POST /v1/personalities/" + id + "/experiments/" + e.id() + "/stop)");
                });
        Experiment experiment = new Experiment(
                Ids.newId(clock),
                id.value(),
                control,
                treatment,
                percent,
                minFeedback,
                threshold,
                Experiment.RUNNING,
                Optional.empty(),
                Optional.empty(),
                by,
                clock.instant(),
                Optional.empty());
        repository.insert(experiment);
        invalidate();
        LOG.info(
                "experiment {} on {}: version {} ({}% of users) against version {}",
                experiment.id(), id, treatment, percent, control);
        return results(experiment);
    }

    /** Returns an experiment with its current results, evaluating it first if it runs. */
    public Map<String, Object> get(String personality, String experimentId) {
        Experiment experiment = find(personality, experimentId);
        if (experiment.running()) {
            experiment = evaluate(experiment);
        }
        return results(experiment);
    }

    /** Returns the personality's newest experiments (at most 20) with their results, as {@link #get} does. */
    public List<Map<String, Object>> list(String personality) {
        PersonalityId id = PersonalityId.of(personality);
        if (personalities.current(id).isEmpty()) {
            throw NotFoundException.of("personality", personality);
        }
        return repository.of(id.value(), 20).stream()
                .map(e -> results(e.running() ? evaluate(e) : e))
                .toList();
    }

    /** Stops a running experiment without a verdict (every user gets the current version again). */
    public Map<String, Object> stop(String personality, String experimentId) {
        Experiment experiment = find(personality, experimentId);
        if (!experiment.running()) {
            throw new ConflictException("experiment '" + experimentId + "' is already " + experiment.state());
        }
        repository.end(experiment.id(), Experiment.STOPPED, Optional.empty(), clock.instant());
        invalidate();
        return results(find(personality, experimentId));
    }

    /** Re-evaluates the experiment running on the personality the feedback is about, if any. */
    public void onFeedback(Feedback given) {
        Experiment experiment = running().get(given.personality());
        if (experiment != null && experiment.running()) {
            evaluate(experiment);
        }
    }

    @Override
    public Chosen choose(PersonalityVersion current, String user) {
        Experiment experiment = running().get(current.id().value());
        if (experiment == null || current.version() != experiment.treatmentVersion()) {
            return new Chosen(current, Map.of());
        }
        boolean treatment = bucket(experiment.id(), user) < experiment.treatmentPercent();
        PersonalityVersion version;
        try {
            version = treatment ? current : versions.apply(current.id(), experiment.controlVersion());
        } catch (NotFoundException gone) {
            return new Chosen(current, Map.of());
        }
        return new Chosen(
                version,
                Map.of(
                        "experiment",
                        Map.of(
                                "id",
                                experiment.id(),
                                "arm",
                                treatment ? "treatment" : "control",
                                "version",
                                version.version())));
    }

    /** The user's bucket 0-99 in an experiment: the same user always lands in the same arm. */
    static int bucket(String experimentId, String user) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((experimentId + "\n" + user).getBytes(StandardCharsets.UTF_8));
            long value = ((hash[0] & 0xffL) << 24)
                    | ((hash[1] & 0xffL) << 16)
                    | ((hash[2] & 0xffL) << 8)
                    | (hash[3] & 0xffL);
            return (int) (value % 100);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private Experiment evaluate(Experiment experiment) {
        Verdict verdict = verdict(experiment, arms(experiment));
        if (verdict == Verdict.NONE) {
            return experiment;
        }
        PersonalityId id = PersonalityId.of(experiment.personality());
        boolean superseded = personalities
                .current(id)
                .map(v -> v.version() != experiment.treatmentVersion())
                .orElse(true);
        String label = superseded ? "superseded" : verdict.label;
        if (!repository.end(experiment.id(), Experiment.CONCLUDED, Optional.of(label), clock.instant())) {
            return repository.find(experiment.id()).orElse(experiment); // another call or host concluded it
        }
        invalidate();
        if (verdict == Verdict.WORSE && !superseded) {
            Proposal proposal = proposals.proposeRollback(
                    id,
                    experiment.controlVersion(),
                    "experiment:" + experiment.id(),
                    "A/B experiment " + experiment.id() + ": version " + experiment.treatmentVersion()
                            + " was rated worse than version " + experiment.controlVersion() + " ("
                            + summary(experiment) + ")");
            repository.proposal(experiment.id(), proposal.id());
            LOG.info(
                    "experiment {}: version {} did worse; rollback proposal {} filed",
                    experiment.id(),
                    experiment.treatmentVersion(),
                    proposal.id());
        }
        return repository.find(experiment.id()).orElse(experiment);
    }

    private enum Verdict {
        NONE(""),
        WORSE("treatment-worse"),
        BETTER("treatment-better");

        final String label;

        Verdict(String label) {
            this.label = label;
        }
    }

    private static Verdict verdict(Experiment e, Arms arms) {
        if (arms.control.total() < e.minFeedback() || arms.treatment.total() < e.minFeedback()) {
            return Verdict.NONE;
        }
        double better = arms.probabilityTreatmentBetter();
        if (1 - better >= e.threshold()) {
            return Verdict.WORSE;
        }
        return better >= e.threshold() ? Verdict.BETTER : Verdict.NONE;
    }

    private record Arm(int version, long successes, long failures) {
        long total() {
            return successes + failures;
        }

        Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("version", version);
            out.put("feedback", total());
            out.put("successes", successes);
            out.put("failures", failures);
            out.put("posteriorMean", round(BetaBinomial.posteriorMean(successes, failures)));
            return out;
        }
    }

    private record Arms(Arm control, Arm treatment) {
        double probabilityTreatmentBetter() {
            return BetaBinomial.probabilityBBeatsA(
                    control.successes, control.failures, treatment.successes, treatment.failures);
        }
    }

    /** Counts each arm's feedback given while the experiment ran: success = rating >= 4 stars or up. */
    private Arms arms(Experiment e) {
        long[] counts = new long[4];
        for (Feedback f : feedback.apply(PersonalityId.of(e.personality()))) {
            if (f.createdAt().isBefore(e.createdAt())
                    || e.endedAt().map(f.createdAt()::isAfter).orElse(false)) {
                continue;
            }
            int arm = f.personalityVersion() == e.controlVersion()
                    ? 0
                    : f.personalityVersion() == e.treatmentVersion() ? 2 : -1;
            if (arm < 0) {
                continue;
            }
            if (f.rating().isPresent()) {
                counts[arm + (f.rating().getAsDouble() >= SUCCESS ? 0 : 1)]++;
            } else if (!f.critiques().isEmpty()) {
                counts[arm + 1]++; // a critique without a rating says something was wrong
            }
        }
        return new Arms(
                new Arm(e.controlVersion(), counts[0], counts[1]), new Arm(e.treatmentVersion(), counts[2], counts[3]));
    }

    private String summary(Experiment e) {
        Arms arms = arms(e);
        return String.format(
                java.util.Locale.ROOT,
                "control %d/%d satisfied, treatment %d/%d, P(treatment worse) = %.3f",
                arms.control.successes,
                arms.control.total(),
                arms.treatment.successes,
                arms.treatment.total(),
                1 - arms.probabilityTreatmentBetter());
    }

    private Map<String, Object> results(Experiment e) {
        Arms arms = arms(e);
        double better = arms.probabilityTreatmentBetter();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("personality", e.personality());
        out.put("state", e.state());
        e.verdict().ifPresent(v -> out.put("verdict", v));
        e.proposal().ifPresent(p -> out.put("proposal", p));
        out.put("treatmentPercent", e.treatmentPercent());
        out.put("minFeedback", e.minFeedback());
        out.put("threshold", e.threshold());
        out.put("control", arms.control.json());
        out.put("treatment", arms.treatment.json());
        out.put("probabilityTreatmentBetter", round(better));
        out.put("probabilityTreatmentWorse", round(1 - better));
        out.put("method", "beta-binomial, uniform Beta(1,1) prior, success = rating >= 4 stars or thumbs up");
        out.put("createdBy", e.createdBy());
        out.put("createdAt", e.createdAt().toString());
        e.endedAt().ifPresent(at -> out.put("endedAt", at.toString()));
        return out;
    }

    private Experiment find(String personality, String experimentId) {
        PersonalityId id = PersonalityId.of(personality);
        return repository
                .find(experimentId)
                .filter(e -> e.personality().equals(id.value()))
                .orElseThrow(() -> NotFoundException.of("experiment", experimentId));
    }

    private Map<String, Experiment> running() {
        Cached now = cached;
        Instant at = clock.instant();
        if (now.read().plus(CACHE).isBefore(at) || now.read().isAfter(at)) {
            Map<String, Experiment> map = new LinkedHashMap<>();
            repository.running().forEach(e -> map.put(e.personality(), e));
            now = new Cached(at, Map.copyOf(map));
            cached = now;
        }
        return now.byPersonality();
    }

    private void invalidate() {
        cached = new Cached(Instant.MIN, Map.of());
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
