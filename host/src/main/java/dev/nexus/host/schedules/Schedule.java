package dev.nexus.host.schedules;

import java.time.Instant;
import java.util.Optional;

/**
 * A personality's recurring activity. Immutable.
 *
 * @param action {@code post} (to the platform account's own feed) or {@code message} (to one user who
 *     opted in on that platform)
 * @param user the user a {@code message} goes to
 * @param content the text (a post's caption)
 * @param state {@code active} or {@code paused}
 * @param plannedAt the cron time of the next run
 * @param nextRunAt the next run's jittered time, when it runs
 */
public record Schedule(
        String id,
        String personality,
        String name,
        String cron,
        String timeZone,
        int jitterSeconds,
        String action,
        String platform,
        Optional<String> user,
        String content,
        String state,
        Optional<Instant> plannedAt,
        Optional<Instant> nextRunAt,
        Instant createdAt,
        String createdBy) {

    /** One run of a schedule: what happened ({@code queued}, {@code skipped}, {@code failed}) and why. */
    public record Run(
            String id,
            String schedule,
            Instant plannedAt,
            Instant dueAt,
            Instant ranAt,
            String outcome,
            String detail,
            Optional<String> messageId) {}

    /** A user's consent to proactive messages on one platform. */
    public record Consent(String user, String platform, String personality, int maxPerDay, Instant createdAt) {}

    /** A proactive message queued to a user (what the user sees). */
    public record Proactive(
            String id,
            String user,
            String platform,
            String personality,
            String schedule,
            String conversation,
            String content,
            Instant queuedAt,
            Instant dueAt) {}
}
