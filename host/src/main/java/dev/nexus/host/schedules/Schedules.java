package dev.nexus.host.schedules;

import dev.nexus.host.Ids;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.db.Database;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled actions and proactive messages: a personality's recurring activities (a cron expression in
 * a time zone plus a jitter) stored in the database and run once per cluster by {@link #tick()}, which
 * the cluster scheduler calls; and users' consent to being written to first.
 *
 * <p>A run is claimed by a compare-and-set on the schedule's next run time, so two hosts ticking at
 * once run it once. A run posts to the platform account ({@code post}) or writes to one user
 * ({@code message}) who opted in on that platform, never in quiet hours, at most
 * {@code min(consent, schedules.proactive-per-day)} times in 24 hours; every proactive message is
 * logged for the user to see. Messages go out through the platforms' outbox, at their natural time.
 * Runs missed while no host was up are not replayed: the schedule moves on to its next time after now.
 * Deterministic under an injected clock (the jitter is seeded by the schedule and the planned time).
 * Thread-safe.
 */
public final class Schedules {

    private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);
    private static final Pattern PLATFORM = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final int MAX_CONTENT = 4000;
    private static final int BATCH = 50;

    /** The body of {@code POST /v1/schedules}. */
    public record NewSchedule(
            String personality,
            String name,
            String cron,
            String timeZone,
            Integer jitterSeconds,
            String action,
            String platform,
            String user,
            String text) {}

    private final ScheduleRepository repository;
    private final Clock clock;
    private final Outlet outlet;
    private final Predicate<String> personalityExists;
    private final SchedulesConfig config;

    public Schedules(
            Database database,
            Clock clock,
            Outlet outlet,
            Predicate<String> personalityExists,
            SchedulesConfig config) {
        this.repository = new ScheduleRepository(database);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.outlet = outlet;
        this.personalityExists = personalityExists;
        this.config = config;
    }

    /** Returns how often {@link #tick()} should run. */
    public Duration tickEvery() {
        return Duration.ofMillis(config.tickMillis());
    }

    /**
     * Creates a schedule, active, its first run planned at the cron expression's next time after now.
     *
     * @throws InvalidInputException naming the field at fault
     */
    public Schedule create(NewSchedule body, Caller caller) {
        if (body.personality() == null || !personalityExists.test(body.personality())) {
            throw new InvalidInputException(
                    "field 'personality' must name an existing personality (GET /v1/personalities), got '"
                            + InvalidInputException.cap(body.personality()) + "'");
        }
        Cron cron = Cron.parse(body.cron());
        String zone = zone(body.timeZone(), body.personality());
        int jitter = body.jitterSeconds() == null ? 0 : body.jitterSeconds();
        if (jitter < 0 || jitter > 86_400) {
            throw new InvalidInputException("field 'jitterSeconds' must be 0-86400, got " + jitter);
        }
        String action = body.action() == null ? "" : body.action();
        if (!action.equals("post") && !action.equals("message")) {
            throw new InvalidInputException(
                    "field 'action' must be 'post' (to the platform account's feed) or 'message' (to one user "
                            + "who opted in), got '" + InvalidInputException.cap(action) + "'");
        }
        if (body.platform() == null || !PLATFORM.matcher(body.platform()).matches()) {
            throw new InvalidInputException(
                    "field 'platform' must be a platform name such as instagram or telegram, got '"
                            + InvalidInputException.cap(body.platform()) + "'");
        }
        Optional<String> user = Optional.ofNullable(body.user()).filter(u -> !u.isBlank());
        if (action.equals("message") && user.isEmpty()) {
            throw new InvalidInputException(
                    "field 'user' is required for action 'message': the user to write to (they must opt in "
                            + "with PUT /v1/users/{user}/consents/" + body.platform() + ")");
        }
        if (action.equals("post") && user.isPresent()) {
            throw new InvalidInputException(
                    "field 'user' is for action 'message'; a post goes to the platform account's own feed");
        }
        user.ifPresent(u -> dev.nexus.host.auth.Principals.requireValid("user", u));
        String text = body.text() == null ? "" : body.text().strip();
        if (text.isEmpty() || text.length() > MAX_CONTENT) {
            throw new InvalidInputException(
                    "field 'text' must be 1-" + MAX_CONTENT + " characters: what the personality posts or writes");
        }
        String name = body.name() == null || body.name().isBlank()
                ? action + " on " + body.platform()
                : body.name().strip();
        if (name.length() > 200) {
            throw new InvalidInputException("field 'name' must be at most 200 characters");
        }
        String id = Ids.newId(clock);
        Instant now = clock.instant();
        Optional<Instant> planned = plan(cron, zone, now);
        Schedule schedule = new Schedule(
                id,
                body.personality(),
                name,
                cron.toString(),
                zone,
                jitter,
                action,
                body.platform(),
                user,
                text,
                "active",
                planned,
                planned.map(p -> jittered(id, p, jitter)),
                now,
                caller.keyId());
        repository.insert(schedule);
        return schedule;
    }

    /** Returns every schedule, or those of {@code personality}. */
    public List<Schedule> list(Optional<String> personality) {
        return repository.list(personality);
    }

    /** Returns a schedule. @throws NotFoundException when there is none */
    public Schedule get(String id) {
        return repository
                .find(id)
                .orElseThrow(() -> new NotFoundException(
                        "no schedule '" + InvalidInputException.cap(id) + "'; GET /v1/schedules lists them"));
    }

    /** Returns a schedule's latest runs, newest first. */
    public List<Schedule.Run> runs(String id, int limit) {
        get(id);
        return repository.runs(id, Math.max(1, Math.min(limit, 500)));
    }

    /** Pauses a schedule: no run until it is started again. */
    public Schedule pause(String id) {
        get(id);
        repository.setState(id, "paused", Optional.empty(), Optional.empty());
        return get(id);
    }

    /** Starts (resumes) a schedule: its next run is the cron expression's next time after now. */
    public Schedule start(String id) {
        Schedule schedule = get(id);
        Optional<Instant> planned = plan(Cron.parse(schedule.cron()), schedule.timeZone(), clock.instant());
        repository.setState(id, "active", planned, planned.map(p -> jittered(id, p, schedule.jitterSeconds())));
        return get(id);
    }

    /** Deletes a schedule and its run history. */
    public void delete(String id) {
        if (!repository.delete(id)) {
            throw new NotFoundException(
                    "no schedule '" + InvalidInputException.cap(id) + "'; GET /v1/schedules lists them");
        }
    }

    /**
     * Runs every schedule whose jittered time has come, once each (another host ticking at the same time
     * claims none of the same runs); returns how many ran.
     */
    public int tick() {
        Instant now = clock.instant();
        int ran = 0;
        for (Schedule schedule : repository.due(now, BATCH)) {
            Instant due = schedule.nextRunAt().orElseThrow();
            Instant planned = schedule.plannedAt().orElse(due);
            Cron cron = Cron.parse(schedule.cron());
            // The next run after this one; runs missed while no host was up are skipped, not replayed.
            Optional<Instant> nextPlanned = plan(cron, schedule.timeZone(), planned.isAfter(now) ? planned : now);
            if (!repository.advance(
                    schedule.id(),
                    due,
                    nextPlanned,
                    nextPlanned.map(p -> jittered(schedule.id(), p, schedule.jitterSeconds())))) {
                continue; // another host took this run
            }
            ran++;
            String runId = Ids.newId(clock);
            Schedule.Run run;
            try {
                run = run(schedule, runId, planned, due, now);
            } catch (RuntimeException e) {
                LOG.warn("scheduled action {} ({}) failed: {}", schedule.id(), schedule.name(), e.toString());
                run = new Schedule.Run(
                        runId,
                        schedule.id(),
                        planned,
                        due,
                        now,
                        "failed",
                        String.valueOf(e.getMessage()),
                        Optional.empty());
            }
            repository.insertRun(run);
        }
        return ran;
    }

    private Schedule.Run run(Schedule schedule, String runId, Instant planned, Instant due, Instant now) {
        String platform = schedule.platform();
        if (!outlet.running(platform)) {
            return new Schedule.Run(
                    runId,
                    schedule.id(),
                    planned,
                    due,
                    now,
                    "failed",
                    "no connector for platform '" + platform + "' runs on this host; install and start its plugin",
                    Optional.empty());
        }
        if (schedule.action().equals("post")) {
            Instant at = outlet.queue(
                    platform, schedule.personality(), runId, "schedule-" + schedule.id(), schedule.content(), Map.of());
            return new Schedule.Run(
                    runId, schedule.id(), planned, due, now, "queued", "post queued, due " + at, Optional.of(runId));
        }
        String user = schedule.user().orElseThrow();
        Optional<Schedule.Consent> consent = repository
                .consent(user, platform)
                .filter(c -> c.personality().equals("*") || c.personality().equals(schedule.personality()));
        if (consent.isEmpty()) {
            return skipped(
                    runId,
                    schedule,
                    planned,
                    due,
                    now,
                    "user '" + user + "' has not opted in to messages from '" + schedule.personality() + "' on "
                            + platform);
        }
        if (outlet.resting(schedule.personality(), platform, now)) {
            return skipped(
                    runId, schedule, planned, due, now, "quiet hours (or the personality is away) on " + platform);
        }
        int cap = Math.min(consent.get().maxPerDay(), config.proactivePerDay());
        int sent = repository.proactiveSince(user, platform, now.minus(Duration.ofDays(1)));
        if (sent >= cap) {
            return skipped(
                    runId,
                    schedule,
                    planned,
                    due,
                    now,
                    "daily cap reached: " + sent + " of " + cap + " proactive messages to this user on " + platform
                            + " in the last 24 hours");
        }
        Optional<String> conversation = outlet.latestConversation(user, schedule.personality(), platform);
        Optional<Map<String, String>> address = conversation.flatMap(c -> outlet.lastAddress(platform, c));
        if (conversation.isEmpty() || address.isEmpty()) {
            return skipped(
                    runId,
                    schedule,
                    planned,
                    due,
                    now,
                    "user '" + user + "' has never written to '" + schedule.personality() + "' on " + platform
                            + ", so there is no chat to write into");
        }
        Instant at = outlet.queue(
                platform, schedule.personality(), runId, conversation.get(), schedule.content(), address.get());
        repository.insertProactive(new Schedule.Proactive(
                runId,
                user,
                platform,
                schedule.personality(),
                schedule.id(),
                conversation.get(),
                schedule.content(),
                now,
                at));
        return new Schedule.Run(
                runId,
                schedule.id(),
                planned,
                due,
                now,
                "queued",
                "message to " + user + " queued, due " + at,
                Optional.of(runId));
    }

    private static Schedule.Run skipped(
            String runId, Schedule schedule, Instant planned, Instant due, Instant now, String why) {
        return new Schedule.Run(runId, schedule.id(), planned, due, now, "skipped", why, Optional.empty());
    }

    /**
     * Records {@code user}'s consent to proactive messages on {@code platform} (from {@code personality},
     * or any when empty), at most {@code maxPerDay} a day (capped by {@code schedules.proactive-per-day}).
     */
    public Schedule.Consent consent(
            String user, String platform, Optional<String> personality, Optional<Integer> maxPerDay) {
        dev.nexus.host.auth.Principals.requireValid("user", user);
        if (platform == null || !PLATFORM.matcher(platform).matches()) {
            throw new InvalidInputException(
                    "platform '" + InvalidInputException.cap(platform) + "' must be a platform name such as telegram");
        }
        int max = maxPerDay.orElse(config.proactivePerDay());
        if (max < 0 || max > 100) {
            throw new InvalidInputException("field 'maxPerDay' must be 0-100, got " + max);
        }
        String who = personality.filter(p -> !p.isBlank()).orElse("*");
        if (!who.equals("*") && !personalityExists.test(who)) {
            throw new InvalidInputException(
                    "field 'personality' must name an existing personality or be left out for any, got '"
                            + InvalidInputException.cap(who) + "'");
        }
        Schedule.Consent consent =
                new Schedule.Consent(user, platform, who, Math.min(max, config.proactivePerDay()), clock.instant());
        repository.putConsent(consent);
        return consent;
    }

    /** Withdraws {@code user}'s consent on {@code platform}; returns whether there was one (withdrawing twice is fine). */
    public boolean withdraw(String user, String platform) {
        return repository.deleteConsent(user, platform);
    }

    /** Returns {@code user}'s consents. */
    public List<Schedule.Consent> consents(String user) {
        return repository.consents(user);
    }

    /** Returns the proactive messages queued to {@code user}, newest first. */
    public List<Schedule.Proactive> proactive(String user, int limit) {
        return repository.proactive(user, limit);
    }

    /** Returns what this feature holds about {@code user}: consents and proactive messages. */
    public Map<String, Object> exportUser(String user) {
        return Map.of("consents", consents(user), "proactiveMessages", proactive(user, 10_000));
    }

    /** Erases {@code user}'s consents, proactive log and the schedules that write to them. */
    public Map<String, Integer> eraseUser(String user) {
        return Map.of("proactive", repository.eraseUser(user));
    }

    private String zone(String requested, String personality) {
        if (requested == null || requested.isBlank()) {
            return outlet.zone(personality).getId();
        }
        try {
            return ZoneId.of(requested.strip()).getId();
        } catch (DateTimeException e) {
            throw new InvalidInputException("field 'timeZone' must be a region id such as Europe/Oslo, got '"
                    + InvalidInputException.cap(requested) + "'");
        }
    }

    private static Optional<Instant> plan(Cron cron, String zone, Instant after) {
        ZoneId id = ZoneId.of(zone);
        return cron.next(after.atZone(id), id).map(z -> z.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }

    /** The planned time plus a jitter in [0, jitterSeconds] seconds, fixed by the schedule and the planned time. */
    static Instant jittered(String scheduleId, Instant planned, int jitterSeconds) {
        if (jitterSeconds == 0) {
            return planned;
        }
        long seed = (scheduleId + "@" + planned).hashCode() * 0x9E3779B97F4A7C15L;
        return planned.plusSeconds(new SplittableRandom(seed).nextLong(jitterSeconds + 1L));
    }
}
