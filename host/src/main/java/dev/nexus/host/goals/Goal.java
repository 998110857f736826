package dev.nexus.host.goals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A long-term goal of one user, with its milestones. Immutable.
 *
 * @param id the goal's id
 * @param user the user who owns it
 * @param title what the goal is
 * @param description more words about it (may be empty)
 * @param status where it is
 * @param deadline when it should be reached, if anyone said
 * @param progressSet progress someone set explicitly; empty means "computed from the milestones"
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param milestones its milestones, by position
 */
public record Goal(
        String id,
        String user,
        String title,
        String description,
        GoalStatus status,
        Optional<Instant> deadline,
        OptionalDouble progressSet,
        Instant createdAt,
        Instant updatedAt,
        List<Milestone> milestones) {

    /** Copies the milestones. */
    public Goal {
        deadline = deadline == null ? Optional.empty() : deadline;
        progressSet = progressSet == null ? OptionalDouble.empty() : progressSet;
        milestones = List.copyOf(milestones);
    }

    /**
     * Returns the progress in [0, 1]: the value set explicitly if there is one, else the share of
     * milestones done (0 without milestones, 1 for a completed goal without milestones).
     */
    public double progress() {
        if (progressSet.isPresent()) {
            return progressSet.getAsDouble();
        }
        if (milestones.isEmpty()) {
            return status == GoalStatus.COMPLETED ? 1.0 : 0.0;
        }
        return round((double) milestones.stream().filter(Milestone::isDone).count() / milestones.size());
    }

    /** Returns where the progress comes from: {@code set} or {@code milestones}. */
    public String progressSource() {
        return progressSet.isPresent() ? "set" : "milestones";
    }

    /** Returns the first milestone (by position) not yet done. */
    public Optional<Milestone> nextOpen() {
        return milestones.stream().filter(m -> !m.isDone()).findFirst();
    }

    /** Rounds to two decimals, as the API shows progress (1/3 is 0.33). */
    static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
