package dev.nexus.host.schedules;

/**
 * The {@code schedules} configuration section. Immutable.
 *
 * @param tickMillis how often the cluster looks for due scheduled actions (default 30000; 100-3600000);
 *     a run is at most this late after its jittered time
 * @param proactivePerDay the most proactive messages one user gets on one platform in 24 hours, whatever
 *     their consent allows (default 3; 0-100)
 */
public record SchedulesConfig(Integer tickMillis, Integer proactivePerDay) {

    /** States the defaults and validates. */
    public SchedulesConfig {
        tickMillis = tickMillis == null ? 30_000 : tickMillis;
        proactivePerDay = proactivePerDay == null ? 3 : proactivePerDay;
        if (tickMillis < 100 || tickMillis > 3_600_000) {
            throw new IllegalArgumentException("tick-millis must be 100-3600000, got " + tickMillis);
        }
        if (proactivePerDay < 0 || proactivePerDay > 100) {
            throw new IllegalArgumentException("proactive-per-day must be 0-100, got " + proactivePerDay);
        }
    }
}
