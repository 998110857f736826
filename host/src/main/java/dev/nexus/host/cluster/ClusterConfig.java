package dev.nexus.host.cluster;

/**
 * The {@code cluster} configuration section (it matters on PostgreSQL only). Immutable.
 *
 * @param leaseSeconds how long a job's lease lasts without renewal, i.e. how soon a job a dead host
 *     held is run elsewhere (default 15, 2-600)
 * @param probeMillis a failover drill: when above 0, a job named {@code probe} that only holds its
 *     lease this long runs every {@code probeEverySeconds}, so killing its holder shows the takeover
 *     (default 0: off)
 * @param probeEverySeconds how often the probe runs (default 2)
 */
public record ClusterConfig(Integer leaseSeconds, Integer probeMillis, Integer probeEverySeconds) {

    /** States the defaults and validates. */
    public ClusterConfig {
        leaseSeconds = leaseSeconds == null ? 15 : leaseSeconds;
        probeMillis = probeMillis == null ? 0 : probeMillis;
        probeEverySeconds = probeEverySeconds == null ? 2 : probeEverySeconds;
        if (leaseSeconds < 2 || leaseSeconds > 600) {
            throw new IllegalArgumentException("lease-seconds must be 2-600, got " + leaseSeconds);
        }
        if (probeMillis < 0 || probeMillis > 600_000) {
            throw new IllegalArgumentException("probe-millis must be 0-600000, got " + probeMillis);
        }
        if (probeEverySeconds < 1 || probeEverySeconds > 86_400) {
            throw new IllegalArgumentException("probe-every-seconds must be 1-86400, got " + probeEverySeconds);
        }
    }
}
