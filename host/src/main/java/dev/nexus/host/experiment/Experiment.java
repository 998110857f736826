package dev.nexus.host.experiment;

import java.time.Instant;
import java.util.Optional;

/**
 * An A/B experiment between two versions of one personality. Immutable.
 *
 * @param id the experiment's id
 * @param personality the personality id
 * @param controlVersion the earlier version, the baseline (a rollback restores it)
 * @param treatmentVersion the new version under test (the current version when created)
 * @param treatmentPercent the share of users, 1-99, that the treatment answers (sticky per user)
 * @param minFeedback rated replies each arm needs before any verdict
 * @param threshold posterior probability that decides (e.g. 0.95)
 * @param state {@code running}, {@code concluded} (a verdict was reached) or {@code stopped} (by an admin)
 * @param verdict {@code treatment-worse}, {@code treatment-better} or {@code superseded}, once concluded
 * @param proposal the rollback proposal filed when the treatment did worse
 * @param createdBy the admin key that created it
 * @param createdAt when it started
 * @param endedAt when it was concluded or stopped
 */
record Experiment(
        String id,
        String personality,
        int controlVersion,
        int treatmentVersion,
        int treatmentPercent,
        int minFeedback,
        double threshold,
        String state,
        Optional<String> verdict,
        Optional<String> proposal,
        String createdBy,
        Instant createdAt,
        Optional<Instant> endedAt) {

    static final String RUNNING = "running";
    static final String CONCLUDED = "concluded";
    static final String STOPPED = "stopped";

    boolean running() {
        return state.equals(RUNNING);
    }
}
