package dev.nexus.host.platform;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One personality's natural timing on the platforms, resolved from {@link PresenceSettings}: when a
 * message it sends may go out. A pure function of its inputs (the clock's instant is passed in, the
 * jitter is drawn from a generator seeded by the message id), so the same message at the same instant
 * gets the same time on every host and in every test run. Immutable and thread-safe.
 *
 * @param zone the personality's time zone
 * @param active the hours it is around, if limited
 * @param quiet per platform (or {@code all}) the hours nothing is sent; {@link PresenceSettings.Window#NONE} for none
 * @param typing the typing delay
 * @param jitterMillis the largest random extra wait
 * @param limits per platform (or {@code all}) the most messages per window
 */
record Timing(
        ZoneId zone,
        Optional<PresenceSettings.Window> active,
        Map<String, PresenceSettings.Window> quiet,
        PresenceSettings.Typing typing,
        long jitterMillis,
        Map<String, PresenceSettings.Limit> limits) {

    private static final int MAX_STEPS = 16;

    /** When a message is due and why it waits: the time and the reasons, in words (shown in the outbox). */
    record Due(Instant at, List<String> reasons) {
        Due {
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * Returns when a message of {@code chars} characters from this personality, ready at {@code now},
     * goes out on {@code platform}: after the typing delay and the jitter, moved past inactive and quiet
     * hours, and past the platform's rate limit given {@code others} (the times of this personality's
     * other messages on the platform).
     *
     * @param typed whether to add the typing delay (replies: yes; a scheduled post: no)
     */
    Due due(String platform, String messageId, int chars, boolean typed, Instant now, List<Instant> others) {
        SplittableRandom random = new SplittableRandom(seed(messageId));
        List<String> reasons = new java.util.ArrayList<>();
        Duration typing = typed ? typing().delay(chars) : Duration.ZERO;
        Duration jitter = jitter(random);
        if (!typing.isZero()) {
            reasons.add("typing " + typing.toMillis() + " ms");
        }
        if (!jitter.isZero()) {
            reasons.add("jitter " + jitter.toMillis() + " ms");
        }
        Instant at = now.plus(typing).plus(jitter);
        for (int step = 0; step < MAX_STEPS; step++) {
            Instant moved = held(platform, at, others, reasons);
            if (moved.equals(at)) {
                return new Due(at, reasons);
            }
            // Those who waited do not all go at the stroke of the hour: a fresh jitter after each hold.
            at = moved.plus(jitter(random));
        }
        return new Due(at, reasons);
    }

    /** Returns true when {@code platform} is in its quiet hours, or the personality is away, at {@code at}. */
    boolean resting(String platform, Instant at) {
        LocalTime local = at.atZone(zone).toLocalTime();
        return active.isPresent() && !active.get().contains(local)
                || quietFor(platform).contains(local);
    }

    private Instant held(String platform, Instant at, List<Instant> others, List<String> reasons) {
        ZonedDateTime local = at.atZone(zone);
        if (active.isPresent() && !active.get().contains(local.toLocalTime())) {
            Instant start = next(local, active.get().from());
            reasons.add("away until " + active.get().from() + " " + zone.getId());
            return start;
        }
        PresenceSettings.Window quietHours = quietFor(platform);
        if (quietHours.contains(local.toLocalTime())) {
            reasons.add("quiet hours on " + platform + " until " + quietHours.to() + " " + zone.getId());
            return next(local, quietHours.to());
        }
        PresenceSettings.Limit limit = limits.getOrDefault(platform, limits.get("all"));
        if (limit != null) {
            Duration window = limit.window();
            List<Instant> recent = others.stream()
                    .filter(t -> !t.isAfter(at) && t.isAfter(at.minus(window)))
                    .sorted()
                    .toList();
            if (recent.size() >= limit.messages()) {
                // The window frees up when the oldest message that fills it leaves it.
                Instant free = recent.get(recent.size() - limit.messages()).plus(window);
                reasons.add("rate limit " + limit.messages() + " per " + limit.perMinutes() + " min on " + platform);
                return free.isAfter(at) ? free : at.plusMillis(1);
            }
        }
        return at;
    }

    private PresenceSettings.Window quietFor(String platform) {
        PresenceSettings.Window own = quiet.get(platform);
        return own != null ? own : quiet.getOrDefault("all", PresenceSettings.Window.NONE);
    }

    private Duration jitter(SplittableRandom random) {
        return jitterMillis == 0 ? Duration.ZERO : Duration.ofMillis(random.nextLong(jitterMillis + 1));
    }

    /** The next instant at or after {@code from} whose local time is {@code time} (a DST gap moves it forward). */
    private static Instant next(ZonedDateTime from, LocalTime time) {
        ZonedDateTime candidate = from.toLocalDate().atTime(time).atZone(from.getZone());
        if (candidate.isBefore(from)) {
            candidate = from.toLocalDate().plusDays(1).atTime(time).atZone(from.getZone());
        }
        return candidate.toInstant();
    }

    static long seed(String messageId) {
        long h = 1125899906842597L;
        for (int i = 0; i < messageId.length(); i++) {
            h = 31 * h + messageId.charAt(i);
        }
        return h;
    }
}
