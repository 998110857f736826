package dev.nexus.host.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A personality's natural timing as a pure function of the instant, the message and its other sends. */
class NaturalTimingTest {

    private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

    private static Instant oslo(String localDateTime) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), OSLO)
                .toInstant();
    }

    private static PresenceSettings presence(
            PresenceSettings.Profile defaults, Map<String, PresenceSettings.Profile> personalities) {
        return new PresenceSettings(defaults, personalities);
    }

    private static final PresenceSettings.Profile NIGHT_OWL = new PresenceSettings.Profile(
            "Europe/Oslo",
            null,
            Map.of("all", "22:00-07:00", "email", "none"),
            new PresenceSettings.Typing(500L, 40L, 10_000L),
            2_000L,
            Map.of("telegram", new PresenceSettings.Limit(2, 60)));

    @Test
    void nothingConfigured_aReplyGoesOutAtOnce() {
        Timing timing = PresenceSettings.none().timing("ada");

        Timing.Due due = timing.due("telegram", "m1", 500, true, oslo("2026-12-05T23:30"), List.of());

        assertThat(due.at()).isEqualTo(oslo("2026-12-05T23:30"));
        assertThat(due.reasons()).isEmpty();
    }

    @Test
    void typingDelay_growsWithTheReplysLength_upToItsCap() {
        Timing timing = presence(
                        new PresenceSettings.Profile(
                                null, null, null, new PresenceSettings.Typing(500L, 40L, 10_000L), 0L, null),
                        Map.of())
                .timing("ada");
        Instant noon = oslo("2026-12-05T12:00");

        assertThat(Duration.between(
                        noon, timing.due("x", "m", 10, true, noon, List.of()).at()))
                .isEqualTo(Duration.ofMillis(900));
        assertThat(Duration.between(
                        noon, timing.due("x", "m", 100, true, noon, List.of()).at()))
                .isEqualTo(Duration.ofMillis(4_500));
        assertThat(Duration.between(
                        noon, timing.due("x", "m", 5_000, true, noon, List.of()).at()))
                .isEqualTo(Duration.ofMillis(10_000));
        assertThat(timing.due("x", "m", 5_000, false, noon, List.of()).at())
                .as("a scheduled post does not type")
                .isEqualTo(noon);
    }

    @Test
    void jitter_isBounded_fixedPerMessage_andDiffersBetweenMessages() {
        Timing timing = presence(new PresenceSettings.Profile(null, null, null, null, 2_000L, null), Map.of())
                .timing("ada");
        Instant noon = oslo("2026-12-05T12:00");
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waits.add(Duration.between(
                            noon,
                            timing.due("x", "message-" + i, 0, true, noon, List.of())
                                    .at())
                    .toMillis());
        }

        assertThat(waits).allSatisfy(w -> assertThat(w).isBetween(0L, 2_000L));
        assertThat(waits.stream().distinct().count()).isGreaterThan(40);
        assertThat(timing.due("x", "message-7", 0, true, noon, List.of()).at())
                .isEqualTo(noon.plusMillis(waits.get(7)));
    }

    @Test
    void aReplyInQuietHours_waitsUntilMorningInThePersonalitysZone_unlessThePlatformHasNone() {
        Timing timing = presence(NIGHT_OWL, Map.of()).timing("ada");

        Timing.Due late = timing.due("telegram", "m1", 20, true, oslo("2026-12-05T23:30"), List.of());
        Timing.Due mail = timing.due("email", "m1", 20, true, oslo("2026-12-05T23:30"), List.of());

        assertThat(late.at()).isBetween(oslo("2026-12-06T07:00"), oslo("2026-12-06T07:00:02"));
        assertThat(late.reasons())
                .anySatisfy(r -> assertThat(r).contains("quiet hours on telegram until 07:00 Europe/Oslo"));
        assertThat(mail.at()).isBefore(oslo("2026-12-05T23:30:04"));
        assertThat(timing.resting("telegram", oslo("2026-12-06T06:59"))).isTrue();
        assertThat(timing.resting("telegram", oslo("2026-12-06T07:00"))).isFalse();
    }

    @Test
    void outsideActiveHours_aReplyWaitsUntilThePersonalityIsBack_perPersonality() {
        PresenceSettings settings = presence(
                NIGHT_OWL,
                Map.of(
                        "early-bird",
                        new PresenceSettings.Profile(
                                "Asia/Tokyo", "06:00-20:00", Map.of("all", "none"), null, 0L, null)));
        Instant at = ZonedDateTime.of(2026, 12, 5, 21, 0, 0, 0, ZoneId.of("Asia/Tokyo"))
                .toInstant();

        Timing.Due due = settings.timing("early-bird").due("telegram", "m1", 20, true, at, List.of());

        // Typing is inherited from the defaults (1300 ms), added before the hold, and no jitter: 06:00 sharp.
        assertThat(due.at())
                .isEqualTo(ZonedDateTime.of(2026, 12, 6, 6, 0, 0, 0, ZoneId.of("Asia/Tokyo"))
                        .toInstant());
        assertThat(due.reasons()).contains("typing 1300 ms", "away until 06:00 Asia/Tokyo");
    }

    @Test
    void aRateLimitPerPlatform_movesTheThirdMessageInAnHourToWhenTheWindowFrees() {
        Timing timing = presence(
                        new PresenceSettings.Profile(
                                null, null, null, null, 0L, Map.of("telegram", new PresenceSettings.Limit(2, 60))),
                        Map.of())
                .timing("ada");
        Instant noon = oslo("2026-12-05T12:00");
        List<Instant> sent = List.of(noon.minus(Duration.ofMinutes(50)), noon.minus(Duration.ofMinutes(10)));

        Timing.Due third = timing.due("telegram", "m3", 0, true, noon, sent);
        Timing.Due elsewhere = timing.due("discord", "m3", 0, true, noon, sent);

        assertThat(third.at()).isEqualTo(noon.plus(Duration.ofMinutes(10)));
        assertThat(third.reasons()).contains("rate limit 2 per 60 min on telegram");
        assertThat(elsewhere.at()).isEqualTo(noon);
    }

    @Test
    void aDaylightSavingGap_movesTheMorningForward_notIntoTheNight() {
        Timing timing = presence(
                        new PresenceSettings.Profile("Europe/Oslo", null, Map.of("all", "01:00-02:30"), null, 0L, null),
                        Map.of())
                .timing("ada");
        // 2026-03-29: clocks in Oslo jump from 02:00 to 03:00.
        Timing.Due due = timing.due("telegram", "m", 0, true, oslo("2026-03-29T01:30"), List.of());

        assertThat(due.at()).isEqualTo(oslo("2026-03-29T03:30"));
    }

    @Test
    void malformedHours_orZone_areRefusedNamingTheKey() {
        assertThatThrownBy(() -> presence(new PresenceSettings.Profile(null, "8-22", null, null, null, null), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("presence.defaults.active-hours")
                .hasMessageContaining("HH:MM-HH:MM");
        assertThatThrownBy(() -> presence(
                        null,
                        Map.of("ada", new PresenceSettings.Profile("Mars/Olympus", null, null, null, null, null))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("presence.personalities.ada.time-zone")
                .hasMessageContaining("Mars/Olympus");
    }
}
