package dev.nexus.host.tasks;

import java.util.Map;

/**
 * The {@code tasks} configuration section. Immutable.
 *
 * @param worker whether this host runs queued tasks (default true); a host with {@code false} only queues them
 * @param pollMillis how often an idle host looks for due tasks (default 1000); new tasks and approvals wake it at once
 * @param maxAttempts the most starts of a task whose failures are retriable (default 3)
 * @param retryBaseMillis the first retry's delay, doubled for each further one, with jitter (default 1000)
 * @param retryMaxMillis the longest delay between retries (default 60000)
 * @param concurrency how many tasks of one integration run at once on one host (default 4)
 * @param integrations per-integration overrides of {@code concurrency}, e.g. {@code {github: 2}}
 * @param leaseGraceMillis added to {@code tools.timeout-millis} for a running task's lease (default 30000); a task
 *     whose lease runs out (its host died mid-run) is retried if its action is low-risk, else failed as interrupted
 */
public record TasksConfig(
        Boolean worker,
        Integer pollMillis,
        Integer maxAttempts,
        Integer retryBaseMillis,
        Integer retryMaxMillis,
        Integer concurrency,
        Map<String, Integer> integrations,
        Integer leaseGraceMillis) {

    /** States the defaults and validates. */
    public TasksConfig {
        worker = worker == null || worker;
        pollMillis = pollMillis == null ? 1000 : pollMillis;
        maxAttempts = maxAttempts == null ? 3 : maxAttempts;
        retryBaseMillis = retryBaseMillis == null ? 1000 : retryBaseMillis;
        retryMaxMillis = retryMaxMillis == null ? 60_000 : retryMaxMillis;
        concurrency = concurrency == null ? 4 : concurrency;
        integrations = integrations == null ? Map.of() : Map.copyOf(integrations);
        leaseGraceMillis = leaseGraceMillis == null ? 30_000 : leaseGraceMillis;
        if (pollMillis < 10 || pollMillis > 60_000) {
            throw new IllegalArgumentException("poll-millis must be 10-60000, got " + pollMillis);
        }
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("max-attempts must be 1-20, got " + maxAttempts);
        }
        if (retryBaseMillis < 1 || retryMaxMillis < retryBaseMillis) {
            throw new IllegalArgumentException(
                    "retry-base-millis must be >= 1 and retry-max-millis >= retry-base-millis, got " + retryBaseMillis
                            + " and " + retryMaxMillis);
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("concurrency must be 1-256, got " + concurrency);
        }
        integrations.forEach((name, limit) -> {
            if (limit == null || limit < 1 || limit > 256) {
                throw new IllegalArgumentException("integrations." + name + " must be 1-256, got " + limit);
            }
        });
        if (leaseGraceMillis < 1000) {
            throw new IllegalArgumentException("lease-grace-millis must be >= 1000, got " + leaseGraceMillis);
        }
    }

    /** Returns the defaults. */
    public static TasksConfig defaults() {
        return new TasksConfig(null, null, null, null, null, null, null, null);
    }

    /** Returns how many tasks of {@code integration} may run at once on one host. */
    public int limitFor(String integration) {
        return integrations.getOrDefault(integration, concurrency);
    }
}
