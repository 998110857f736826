package dev.nexus.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nexus.host.json.Json;
import dev.nexus.host.testing.PrivatePostgres;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database outage is a fast 503, not a hang or a 500: PostgreSQL (a cluster of this test's own) is
 * stopped under chat load and started again. Meanwhile every answer is 200 or a 503 problem with
 * {@code Retry-After}, readiness says the database is down, liveness stays up; after PostgreSQL
 * returns, chat works again without a restart of the host. PostgreSQL only: an embedded H2 cannot be
 * taken away from under the host (docs/testing.md, "Both databases").
 */
class DatabaseOutageTest {

    private static final int CLIENTS = 6;

    /** What one request got. */
    private record Answer(int status, String retryAfter, String body, long millis) {}

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES) // a safety net for a host that never recovers, not a speed check
    void postgresStoppedUnderLoad_answers503WithRetryAfterAndRecoversByItself(@TempDir Path data) throws Exception {
        assumeTrue(
                PrivatePostgres.available() || !"optional".equals(System.getProperty("nexus.test.postgres")),
                "PostgreSQL server binaries are not installed and nexus.test.postgres=optional");
        Path persona = data.resolve("personalities").resolve("zen-engineer");
        Files.createDirectories(persona);
        Files.copy(Path.of("..", "personalities", "zen-engineer", "persona.yaml"), persona.resolve("persona.yaml"));
        try (PrivatePostgres postgres = PrivatePostgres.start();
                TestHost host = TestHost.builder()
                        .dataDir(data)
                        .database(postgres.url())
                        .start()) {
            TestHttp http = host.http();
            assertThat(chat(http, "before").status()).isEqualTo(200);

            List<Answer> duringOutage = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean outage = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger ok = new AtomicInteger();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    clients.execute(() -> {
                        for (int turn = 0; !stop.get(); turn++) {
                            Answer answer = chat(http, "client " + client + " turn " + turn);
                            if (outage.get()) {
                                duringOutage.add(answer);
                            }
                            if (answer.status() == 200) {
                                ok.incrementAndGet();
                            }
                        }
                    });
                }
                while (ok.get() < 20) {
                    Thread.sleep(10);
                }
                outage.set(true);
                postgres.stop();
                // Let the clients see the outage through the pool's whole path: every pooled connection broken,
                // then new connections refused, over several rounds.
                while (duringOutage.stream().filter(a -> a.status() == 503).count() < CLIENTS * 3L) {
                    Thread.sleep(10);
                }
                HttpResponse<String> ready = http.withKey(null).get("/health/ready");
                HttpResponse<String> live = http.withKey(null).get("/health/live");
                outage.set(false);
                postgres.resume();
                int okBeforeRecovery = ok.get();
                while (ok.get() < okBeforeRecovery + 10) { // recovery: chat works again, no restart
                    Thread.sleep(10);
                }
                stop.set(true);

                Map<Integer, Long> statuses = new TreeMap<>();
                duringOutage.forEach(a -> statuses.merge(a.status(), 1L, Long::sum));
                long slowest503 = duringOutage.stream()
                        .filter(a -> a.status() == 503)
                        .mapToLong(Answer::millis)
                        .max()
                        .orElse(0);
                System.out.printf(
                        "[outage test] answers during the outage by status: %s; slowest 503: %d ms%n",
                        statuses, slowest503);

                assertThat(statuses.keySet())
                        .as("statuses during the outage (only 200 or 503 allowed)")
                        .isSubsetOf(200, 503);
                assertThat(duringOutage).filteredOn(a -> a.status() == 503).allSatisfy(a -> {
                    assertThat(a.retryAfter()).as("Retry-After of %s", a.body()).isEqualTo("1");
                    assertThat(Json.readMap(a.body())).containsEntry("title", "Dependency unavailable");
                    assertThat((String) Json.readMap(a.body()).get("detail"))
                            .contains("the database is unavailable")
                            .doesNotContain("Exception");
                });
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.headers().firstValue("Retry-After")).contains("1");
                assertThat(String.valueOf(Json.readMap(ready.body()).get("down")))
                        .isEqualTo("[database]");
                assertThat(live.statusCode()).isEqualTo(200);
            }
            assertThat(http.withKey(null).get("/health/ready").statusCode()).isEqualTo(200);
        }
    }

    /** One chat turn; a hang shows as a failure of the client's 10-second request timeout. */
    private static Answer chat(TestHttp http, String message) {
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(http.request("/v1/chat")
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        Json.write(Map.of("personality", "zen-engineer", "user", "outage-user", "message", message)))));
        return new Answer(
                response.statusCode(),
                response.headers().firstValue("Retry-After").orElse(""),
                response.body(),
                (System.nanoTime() - start) / 1_000_000);
    }
}
