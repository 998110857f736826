package dev.nexus.host.tasks;

import dev.nexus.host.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/** Where a task is in its life; {@link #COMPLETED}, {@link #FAILED} and {@link #CANCELLED} are final. */
public enum TaskStatus {
    /** Queued: runs when a host claims it (also between retries). */
    PENDING,
    /** Waits for a human to approve its proposal; runs only after that approval has committed. */
    AWAITING_APPROVAL,
    /** Claimed by one host, running now. */
    RUNNING,
    /** Ran and succeeded; {@code result} holds what the action returned. */
    COMPLETED,
    /** Failed for good (not retriable, or out of attempts, or interrupted mid-run); {@code error} says why. */
    FAILED,
    /** Cancelled before it ran, or its proposal was rejected or expired. */
    CANCELLED;

    /** Returns the label used in the API, e.g. {@code awaiting-approval}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Returns true for the states a task never leaves. */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** Parses a label; unknown labels are {@link InvalidInputException}s listing the valid ones. */
    public static TaskStatus parse(String label) {
        for (TaskStatus status : values()) {
            if (status.label().equals(label)) {
                return status;
            }
        }
        throw new InvalidInputException("'status' must be one of "
                + Arrays.stream(values()).map(TaskStatus::label).toList() + ", got '" + InvalidInputException.cap(label)
                + "'");
    }
}
