package dev.nexus.host.platform;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code presence} configuration section: how each personality keeps natural time on the
 * platforms (docs/presence.md). {@code defaults} apply to every personality; an entry under
 * {@code personalities.<id>} overrides the keys it sets. With nothing configured a reply goes out at
 * once, as before. Immutable.
 *
 * @param defaults the profile of every personality
 * @param personalities per personality id, the keys that differ
 */
public record PresenceSettings(Profile defaults, Map<String, Profile> personalities) {

    /** States the defaults and validates every profile (each problem names its key). */
    public PresenceSettings {
        defaults = defaults == null ? Profile.EMPTY : defaults;
        personalities = personalities == null ? Map.of() : Map.copyOf(personalities);
        Profile base = defaults;
        base.resolve("presence.defaults");
        personalities.forEach((id, profile) -> profile.merge(base).resolve("presence.personalities." + id));
    }

    /** Returns nothing configured: replies go out at once. */
    public static PresenceSettings none() {
        return new PresenceSettings(null, null);
    }

    /** Returns the resolved timing of personality {@code personality}. */
    Timing timing(String personality) {
        Profile own = personalities.get(personality);
        return (own == null ? defaults : own.merge(defaults)).resolve("presence.personalities." + personality);
    }

    /**
     * One personality's presence; every key may be left out (inherited from {@code defaults}, else off).
     *
     * @param timeZone the personality's time zone, e.g. {@code Europe/Oslo} (default UTC)
     * @param activeHours when the personality is around, e.g. {@code 08:00-23:00} (may wrap midnight;
     *     default: always); a reply due outside them waits until they begin
     * @param quietHours per platform name (or {@code all}), hours when nothing is sent, e.g.
     *     {@code {all: "22:00-07:00", email: "none"}}; a reply due in them waits until they end
     * @param typing the typing delay: {@code base-millis} + {@code per-char-millis} x reply length, at most {@code max-millis}
     * @param jitterMillis a random extra wait in [0, jitter-millis], fixed per message (same message, same wait)
     * @param rateLimits per platform name (or {@code all}), at most {@code messages} per {@code per-minutes}
     *     from this personality; more wait for the window
     */
    public record Profile(
            String timeZone,
            String activeHours,
            Map<String, String> quietHours,
            Typing typing,
            Long jitterMillis,
            Map<String, Limit> rateLimits) {

        static final Profile EMPTY = new Profile(null, null, null, null, null, null);

        /** Copies the maps. */
        public Profile {
            quietHours = quietHours == null ? null : Map.copyOf(quietHours);
            rateLimits = rateLimits == null ? null : Map.copyOf(rateLimits);
        }

        Profile merge(Profile base) {
            Map<String, String> quiet = new LinkedHashMap<>(base.quietHours == null ? Map.of() : base.quietHours);
            if (quietHours != null) {
                quiet.putAll(quietHours);
            }
            Map<String, Limit> limits = new LinkedHashMap<>(base.rateLimits == null ? Map.of() : base.rateLimits);
            if (rateLimits != null) {
                limits.putAll(rateLimits);
            }
            return new Profile(
                    timeZone != null ? timeZone : base.timeZone,
                    activeHours != null ? activeHours : base.activeHours,
                    quiet,
                    typing != null ? typing : base.typing,
                    jitterMillis != null ? jitterMillis : base.jitterMillis,
                    limits);
        }

        Timing resolve(String key) {
            ZoneId zone;
            try {
                zone = timeZone == null || timeZone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timeZone.strip());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(key + ".time-zone '" + cap(timeZone)
                        + "' is not a time zone; use a region id such as Europe/Oslo");
            }
            Optional<Window> active = Window.parse(activeHours, key + ".active-hours");
            Map<String, Window> quiet = new LinkedHashMap<>();
            if (quietHours != null) {
                // "none" for one platform overrides "all".
                quietHours.forEach((platform, range) -> quiet.put(
                        platform,
                        Window.parse(range, key + ".quiet-hours." + platform).orElse(Window.NONE)));
            }
            Typing typed = typing == null ? Typing.NONE : typing;
            long jitter = jitterMillis == null ? 0 : jitterMillis;
            if (jitter < 0 || jitter > 3_600_000) {
                throw new IllegalArgumentException(key + ".jitter-millis must be 0-3600000, got " + jitter);
            }
            return new Timing(zone, active, quiet, typed, jitter, rateLimits == null ? Map.of() : rateLimits);
        }
    }

    /**
     * The typing delay: {@code base-millis + per-char-millis x length}, at most {@code max-millis}.
     */
    public record Typing(Long baseMillis, Long perCharMillis, Long maxMillis) {

        static final Typing NONE = new Typing(0L, 0L, 0L);

        /** States the defaults (0, 0, 30000) and validates. */
        public Typing {
            baseMillis = baseMillis == null ? 0 : baseMillis;
            perCharMillis = perCharMillis == null ? 0 : perCharMillis;
            maxMillis = maxMillis == null ? 30_000 : maxMillis;
            if (baseMillis < 0 || perCharMillis < 0 || maxMillis < 0 || maxMillis > 3_600_000) {
                throw new IllegalArgumentException(
                        "presence typing: base-millis, per-char-millis must be >= 0 and max-millis 0-3600000, got "
                                + baseMillis + ", " + perCharMillis + ", " + maxMillis);
            }
        }

        Duration delay(int chars) {
            return Duration.ofMillis(Math.min(maxMillis, baseMillis + perCharMillis * Math.max(0, chars)));
        }
    }

    /** At most {@code messages} per {@code perMinutes} minutes. */
    public record Limit(Integer messages, Integer perMinutes) {

        /** Validates. */
        public Limit {
            if (messages == null || messages < 1 || messages > 100_000) {
                throw new IllegalArgumentException("presence rate limit messages must be 1-100000, got " + messages);
            }
            perMinutes = perMinutes == null ? 60 : perMinutes;
            if (perMinutes < 1 || perMinutes > 10_080) {
                throw new IllegalArgumentException(
                        "presence rate limit per-minutes must be 1-10080 (a week), got " + perMinutes);
            }
        }

        Duration window() {
            return Duration.ofMinutes(perMinutes);
        }
    }

    /** Daily hours {@code [from, to)} in local time; wraps midnight when {@code to <= from}. */
    record Window(LocalTime from, LocalTime to) {

        static final Window NONE = new Window(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

        boolean none() {
            return this == NONE;
        }

        boolean contains(LocalTime time) {
            if (none()) {
                return false;
            }
            return from.isBefore(to)
                    ? !time.isBefore(from) && time.isBefore(to)
                    : !time.isBefore(from) || time.isBefore(to);
        }

        static Optional<Window> parse(String text, String key) {
            if (text == null
                    || text.isBlank()
                    || text.strip().toLowerCase(Locale.ROOT).matches("none|always|off")) {
                return Optional.empty();
            }
            String[] parts = text.strip().split("\\s*-\\s*");
            try {
                if (parts.length == 2) {
                    LocalTime from = LocalTime.parse(parts[0]);
                    LocalTime to = LocalTime.parse(parts[1]);
                    if (!from.equals(to)) {
                        return Optional.of(new Window(from, to));
                    }
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            throw new IllegalArgumentException(key
                    + " must be HH:MM-HH:MM (e.g. 22:00-07:00, may wrap midnight) or none, got '" + cap(text) + "'");
        }
    }

    private static String cap(String text) {
        return text == null ? "null" : text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
