package dev.nexus.host.audit;

import dev.nexus.host.InvalidInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * A filter over the audit log and one page of it, newest first. Immutable.
 *
 * @param actor a key id or key name, or empty for every actor
 * @param action an action ({@code METHOD /path/{param}}), or empty for all
 * @param target a target path, or empty for all
 * @param since the earliest time included, or empty
 * @param until the time before which entries are included (exclusive), or empty
 * @param before the cursor: only entries older than this position ({@link AuditEntry#seq}), or empty for the newest
 * @param limit the page size, 1-{@value #MAX_LIMIT}
 */
public record AuditQuery(
        Optional<String> actor,
        Optional<String> action,
        Optional<String> target,
        Optional<Instant> since,
        Optional<Instant> until,
        Optional<Long> before,
        int limit) {

    /** The largest page. */
    public static final int MAX_LIMIT = 500;
    /** The page size when none is asked for. */
    public static final int DEFAULT_LIMIT = 50;

    /** Validates the query. */
    public AuditQuery {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(before, "before");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("query parameter 'limit' must be 1-" + MAX_LIMIT + ", got " + limit);
        }
    }

    /** Returns every entry, newest first, {@value #DEFAULT_LIMIT} at a time. */
    public static AuditQuery all() {
        return new AuditQuery(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                DEFAULT_LIMIT);
    }

    /**
     * Reads a query from the text of query parameters, each optional.
     *
     * @throws InvalidInputException naming the parameter and the fix
     */
    static AuditQuery parse(
            Optional<String> actor,
            Optional<String> action,
            Optional<String> target,
            Optional<String> since,
            Optional<String> until,
            Optional<String> cursor,
            Optional<String> limit) {
        return new AuditQuery(
                text(actor),
                text(action),
                text(target),
                instant("since", since),
                instant("until", until),
                cursor(cursor),
                limit(limit));
    }

    private static Optional<String> text(Optional<String> value) {
        return value.filter(v -> !v.isBlank());
    }

    private static Optional<Instant> instant(String name, Optional<String> value) {
        return text(value).map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("query parameter '" + name + "' must be an ISO-8601 instant such as "
                        + "2026-12-05T00:00:00Z, got '" + InvalidInputException.cap(text) + "'");
            }
        });
    }

    private static Optional<Long> cursor(Optional<String> value) {
        return text(value).map(text -> {
            try {
                long position = Long.parseLong(text);
                if (position > 0) {
                    return position;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidInputException(
                    "query parameter 'cursor' must be the 'next' value of a previous page, got '"
                            + InvalidInputException.cap(text) + "'; leave it out for the newest entries");
        });
    }

    private static int limit(Optional<String> value) {
        return text(value)
                .map(text -> {
                    try {
                        return Integer.parseInt(text);
                    } catch (NumberFormatException e) {
                        throw new InvalidInputException("query parameter 'limit' must be a whole number 1-" + MAX_LIMIT
                                + ", got '" + InvalidInputException.cap(text) + "'");
                    }
                })
                .orElse(DEFAULT_LIMIT);
    }
}
