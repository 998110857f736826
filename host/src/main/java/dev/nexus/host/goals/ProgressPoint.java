package dev.nexus.host.goals;

import java.time.Instant;
import java.util.Optional;

/**
 * One entry of a goal's progress history. Immutable.
 *
 * @param progress the goal's progress after the change, in [0, 1]
 * @param source what changed it: {@code set} (POST /progress), {@code milestone} (completed or reopened), {@code chat}
 * @param note what was said, e.g. the milestone's title or the note sent with the progress
 * @param at when
 */
public record ProgressPoint(double progress, String source, Optional<String> note, Instant at) {

    /** Validates. */
    public ProgressPoint {
        note = note == null ? Optional.empty() : note;
    }
}
