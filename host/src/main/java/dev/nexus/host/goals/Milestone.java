package dev.nexus.host.goals;

import java.time.Instant;
import java.util.Optional;

/**
 * One step towards a goal. Immutable.
 *
 * @param id the milestone's id
 * @param goal the goal's id
 * @param title what the step is, e.g. "First chapter"
 * @param position its place among the goal's milestones, from 0
 * @param due when it should be done, if anyone said
 * @param done when, by whom and how it was marked done; empty while open
 * @param createdAt when it was added
 */
public record Milestone(
        String id,
        String goal,
        String title,
        int position,
        Optional<Instant> due,
        Optional<Done> done,
        Instant createdAt) {

    /** Validates. */
    public Milestone {
        due = due == null ? Optional.empty() : due;
        done = done == null ? Optional.empty() : done;
    }

    /** Returns true once the milestone is done. */
    public boolean isDone() {
        return done.isPresent();
    }

    /**
     * How a milestone was marked done. Immutable.
     *
     * @param at when
     * @param source {@code api} (a person over HTTP) or {@code chat} (what the user said in a conversation)
     * @param reference the chat message id for {@code chat}, the acting key's user for {@code api}
     * @param method {@code manual}, {@code rules} (the offline matcher) or {@code model}
     */
    public record Done(Instant at, String source, String reference, String method) {}
}
