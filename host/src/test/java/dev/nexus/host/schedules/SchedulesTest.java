package dev.nexus.host.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.approval.MutableClock;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Scope;
import dev.nexus.host.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scheduled actions on H2 and PostgreSQL under a clock the test moves, with a hand-written outlet that
 * records what would go out: cron + jitter, once per cluster (two instances ticking the same database),
 * pause/start, and proactive messages only with consent, never in quiet hours, within the daily cap.
 */
class SchedulesTest {

    private static final String DATABASES = "dev.nexus.host.testing.TestDatabases#all";
    private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
    private static final Caller ADMIN = new Caller("key-1", "admin", EnumSet.allOf(Scope.class));

    /** Records queued messages; quiet from 22:00 to 07:00 Oslo time on every platform. */
    static final class RecordingOutlet implements Outlet {
        final List<String> queued = new ArrayList<>();

        @Override
        public boolean running(String platform) {
            return !platform.equals("nowhere");
        }

        @Override
        public boolean resting(String personality, String platform, Instant at) {
            int hour = at.atZone(OSLO).getHour();
            return hour >= 22 || hour < 7;
        }

        @Override
        public ZoneId zone(String personality) {
            return OSLO;
        }

        @Override
        public Optional<String> latestConversation(String user, String personality, String platform) {
            return user.equals("stranger") ? Optional.empty() : Optional.of("conv-" + user);
        }

        @Override
        public Optional<Map<String, String>> lastAddress(String platform, String conversation) {
            return Optional.of(Map.of("chat", conversation));
        }

        @Override
        public synchronized Instant queue(
                String platform,
                String personality,
                String id,
                String conversation,
                String text,
                Map<String, String> address) {
            queued.add(platform + "|" + conversation + "|" + text);
            return Instant.EPOCH;
        }
    }

    private static Instant oslo(String local) {
        return LocalDateTime.parse(local).atZone(OSLO).toInstant();
    }

    private static Schedules schedules(TestDatabase db, MutableClock clock, Outlet outlet) {
        return new Schedules(db.database(), clock, outlet, id -> id.equals("ada"), new SchedulesConfig(1000, 2));
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aPost_runsAtItsJitteredTime_onceAcrossTwoHosts_andPlansTheNextDay(TestDatabase db) {
        MutableClock clock = new MutableClock(oslo("2026-12-05T06:00"));
        RecordingOutlet outlet = new RecordingOutlet();
        Schedules one = schedules(db, clock, outlet);
        Schedules two = schedules(db, clock, outlet);
        Schedule schedule = one.create(
                new Schedules.NewSchedule(
                        "ada", "morning note", "0 8 * * *", null, 600, "post", "instagram", null, "Good morning!"),
                ADMIN);
        Instant due = schedule.nextRunAt().orElseThrow();

        assertThat(schedule.plannedAt()).contains(oslo("2026-12-05T08:00"));
        assertThat(due)
                .isBetween(oslo("2026-12-05T08:00"), oslo("2026-12-05T08:10"))
                .isEqualTo(Schedules.jittered(schedule.id(), oslo("2026-12-05T08:00"), 600));

        clock.advance(Duration.between(clock.instant(), due).minusSeconds(1));
        assertThat(one.tick() + two.tick()).as("a second before its time").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(one.tick() + two.tick()).as("at its time, on one host only").isEqualTo(1);
        assertThat(one.tick() + two.tick()).isZero();

        assertThat(outlet.queued).containsExactly("instagram|schedule-" + schedule.id() + "|Good morning!");
        Schedule after = one.get(schedule.id());
        assertThat(after.plannedAt()).contains(oslo("2026-12-06T08:00"));
        assertThat(one.runs(schedule.id(), 10)).singleElement().satisfies(run -> {
            assertThat(run.outcome()).isEqualTo("queued");
            assertThat(run.dueAt()).isEqualTo(due);
            assertThat(run.plannedAt()).isEqualTo(oslo("2026-12-05T08:00"));
        });
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aPausedSchedule_doesNotRun_andStartingItPlansFromNow(TestDatabase db) {
        MutableClock clock = new MutableClock(oslo("2026-12-05T06:00"));
        RecordingOutlet outlet = new RecordingOutlet();
        Schedules schedules = schedules(db, clock, outlet);
        Schedule schedule = schedules.create(
                new Schedules.NewSchedule("ada", null, "30 9 * * *", "UTC", 0, "post", "instagram", null, "Hello"),
                ADMIN);

        schedules.pause(schedule.id());
        clock.advance(Duration.ofDays(2));
        assertThat(schedules.tick()).isZero();
        Schedule started = schedules.start(schedule.id());

        assertThat(started.state()).isEqualTo("active");
        assertThat(started.nextRunAt()).contains(Instant.parse("2026-12-07T09:30:00Z"));
        schedules.delete(schedule.id());
        assertThat(schedules.list(Optional.empty())).isEmpty();
        assertThat(outlet.queued).isEmpty();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aProactiveMessage_needsConsent_isNeverSentInQuietHours_andIsCappedPerDay(TestDatabase db) {
        MutableClock clock = new MutableClock(oslo("2026-12-04T23:50"));
        RecordingOutlet outlet = new RecordingOutlet();
        Schedules schedules = schedules(db, clock, outlet);
        Schedule checkIn = schedules.create(
                new Schedules.NewSchedule(
                        "ada", "check-in", "0 * * * *", null, 0, "message", "telegram", "bob", "How are you doing?"),
                ADMIN);

        clock.advance(Duration.ofMinutes(10)); // 00:00: no consent yet
        schedules.tick();
        schedules.consent("bob", "telegram", Optional.empty(), Optional.of(5));
        clock.advance(Duration.ofHours(1)); // 01:00: quiet hours
        schedules.tick();
        clock.advance(Duration.ofHours(7)); // 08:00
        schedules.tick();
        clock.advance(Duration.ofHours(1)); // 09:00
        schedules.tick();
        clock.advance(Duration.ofHours(1)); // 10:00: past the cap of 2 (config caps the consent's 5)
        schedules.tick();

        assertThat(schedules.runs(checkIn.id(), 10))
                .extracting(Schedule.Run::outcome)
                .containsExactly("skipped", "queued", "queued", "skipped", "skipped");
        assertThat(schedules.runs(checkIn.id(), 10))
                .extracting(Schedule.Run::detail)
                .satisfies(details -> {
                    assertThat(details.get(0)).contains("daily cap reached: 2 of 2");
                    assertThat(details.get(3)).contains("quiet hours");
                    assertThat(details.get(4)).contains("has not opted in");
                });
        assertThat(outlet.queued)
                .containsExactly("telegram|conv-bob|How are you doing?", "telegram|conv-bob|How are you doing?");
        assertThat(schedules.proactive("bob", 10))
                .hasSize(2)
                .allSatisfy(p -> assertThat(p.schedule()).isEqualTo(checkIn.id()));
        assertThat(schedules.consents("bob"))
                .singleElement()
                .satisfies(c -> assertThat(c.maxPerDay()).isEqualTo(2));

        schedules.withdraw("bob", "telegram");
        clock.advance(Duration.ofDays(1));
        schedules.tick();
        assertThat(schedules.runs(checkIn.id(), 1).get(0).detail()).contains("has not opted in");
    }

    @Test
    void cron_readsFiveFields_namesAndSteps_inTheZone() {
        ZonedDateTime friday = ZonedDateTime.of(2026, 12, 4, 9, 0, 0, 0, OSLO);

        assertThat(Cron.parse("0 8 * * MON-FRI").next(friday, OSLO))
                .contains(ZonedDateTime.of(2026, 12, 7, 8, 0, 0, 0, OSLO));
        assertThat(Cron.parse("*/15 9 * * *").next(friday, OSLO))
                .contains(ZonedDateTime.of(2026, 12, 4, 9, 15, 0, 0, OSLO));
        assertThat(Cron.parse("@monthly").next(friday, OSLO)).contains(ZonedDateTime.of(2027, 1, 1, 0, 0, 0, 0, OSLO));
        assertThat(Cron.parse("0 12 29 2 *").next(friday, OSLO))
                .contains(ZonedDateTime.of(2028, 2, 29, 12, 0, 0, 0, OSLO));
        assertThatThrownBy(() -> Cron.parse("0 25 * * *"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("hour field '25'")
                .hasMessageContaining("0-23");
        assertThatThrownBy(() -> Cron.parse("every morning"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("five fields");
    }
}
