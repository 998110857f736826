package dev.nexus.host.tasks;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One call of an integration's action, queued in the database. Immutable.
 *
 * @param id the task id; also the id of the tool call the action receives, so a retried call can be recognised
 * @param integration the plugin (or other source) offering the action
 * @param action the action's name within the integration
 * @param tool the tool name the action is offered as
 * @param params the arguments, checked against the action's schema
 * @param user the user the action runs for (and who owns the task)
 * @param personality the personality that asked, or {@code api}
 * @param origin {@code api} or {@code chat}
 * @param callId the caller's id of the call (the model's tool-call id in chat)
 * @param risk the action's risk level, lower case
 * @param status where it is
 * @param proposal the approval proposal, for risky actions
 * @param attempts how often it was started
 * @param maxAttempts the most starts allowed (retriable failures only)
 * @param nextRunAt the earliest time it may start
 * @param result what the action returned, once completed
 * @param error why it failed or was cancelled
 * @param createdBy the key id (or {@code system:…}) that created it
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record Task(
        String id,
        String integration,
        String action,
        String tool,
        Map<String, Object> params,
        String user,
        String personality,
        String origin,
        String callId,
        String risk,
        TaskStatus status,
        Optional<String> proposal,
        int attempts,
        int maxAttempts,
        Instant nextRunAt,
        Optional<String> result,
        Optional<String> error,
        String createdBy,
        Instant createdAt,
        Instant updatedAt) {

    /** Copies the parameters. */
    public Task {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        proposal = proposal == null ? Optional.empty() : proposal;
        result = result == null ? Optional.empty() : result;
        error = error == null ? Optional.empty() : error;
    }

    /**
     * One transition of a task, as kept in its audit trail. Immutable.
     *
     * @param from the status before ({@code empty} when created)
     * @param to the status after
     * @param actor who moved it: a key id, {@code system:tasks@<host>}, {@code system:approval}
     * @param detail why, in words
     * @param at when
     */
    public record Transition(Optional<String> from, String to, String actor, Optional<String> detail, Instant at) {}
}
