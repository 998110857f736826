package dev.nexus.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.ChildHost;
import dev.nexus.host.testing.TestDatabases;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Three hosts (child JVMs, ports 0) on one PostgreSQL: a memory written on one is indexed by the
 * others and a deletion follows; a personality edited on host A is the version host B's next turn
 * uses; a watcher of a conversation on host C sees the reply a turn on A stored; the host holding the lease of a running job is killed with {@code kill -9}: that same run
 * finishes on another host, no run finishes twice, and every turn the killed host acknowledged is
 * stored. Waits poll (at most a minute); nothing asserts how fast.
 */
class ClusterTest {

    private static final Map<String, String> ENV = Map.of(
            // A failover drill job: holds its lease 4 s, due every second; leases expire after 3 s.
            "NEXUS_CLUSTER_LEASE_SECONDS",
            "3",
            "NEXUS_CLUSTER_PROBE_MILLIS",
            "4000",
            "NEXUS_CLUSTER_PROBE_EVERY_SECONDS",
            "1",
            "NEXUS_PERSONALITIES_POLL_MILLIS",
            "600000"); // personalities reach other hosts by notice, not by polling

    private static final String PERSONA = """
            {"id": "orbit", "name": "Orbit", "description": "A personality three hosts share.", "greetings": ["Hello."]}""";

    @Test
    void threeHostsOnOnePostgres_shareWritesEditsAndJobs_andSurviveKill9() throws Exception {
        Assumptions.assumeTrue(
                TestDatabases.postgresAvailable() || !"optional".equals(System.getProperty("nexus.test.postgres")),
                "PostgreSQL not configured and nexus.test.postgres=optional");
        ChildHost.Config first = ChildHost.Config.fresh(Database.Kind.POSTGRESQL, ENV);
        List<ChildHost.Config> configs = List.of(first, first.anotherHost(), first.anotherHost());
        List<ChildHost> hosts = new ArrayList<>();
        try {
            for (ChildHost.Config config : configs) {
                hosts.add(ChildHost.launch(config));
            }
            hosts.forEach(ChildHost::awaitListening);
            TestHttp a = hosts.get(0).http();
            TestHttp b = hosts.get(1).http();
            TestHttp c = hosts.get(2).http();
            awaitTrue("readiness on A lists the three members", () -> {
                Object cluster = Json.readMap(a.get("/health/ready").body()).get("cluster");
                return cluster instanceof Map<?, ?> map
                        && map.get("members") instanceof List<?> members
                        && members.size() == 3;
            });
            assertThat(hosts.get(0).output()).contains("cluster: host ");

            // 1. A memory written on A is indexed on B and C (their own in-memory vector indexes); deleted, it leaves
            // them.
            awaitTrue(
                    "the embedding model is ready on A",
                    () -> Boolean.TRUE.equals(stats(a).get("embeddingModelReady")));
            HttpResponse<String> remembered =
                    a.post("/v1/memory/facts", "{\"user\":\"ada\",\"fact\":\"Ada keeps bees on her roof.\"}");
            assertThat(remembered.statusCode()).as(remembered.body()).isEqualTo(201);
            String fact = (String) Json.readMap(remembered.body()).get("id");
            for (TestHttp other : List.of(b, c)) {
                awaitTrue(
                        "the fact is indexed on another host",
                        () -> ((Number) stats(other).get("indexedVectors")).intValue() >= 1);
            }
            assertThat(a.delete("/v1/memory/facts/" + fact).statusCode()).isEqualTo(204);
            for (TestHttp other : List.of(b, c)) {
                awaitTrue(
                        "the deleted fact leaves another host's index",
                        () -> ((Number) stats(other).get("indexedVectors")).intValue() == 0);
            }

            // 2. A personality created and then edited on A: B's next turn uses the edited version.
            assertThat(a.post("/v1/personalities", PERSONA).statusCode()).isEqualTo(201);
            HttpResponse<String> edited = a.put(
                    "/v1/personalities/orbit",
                    PERSONA.replace(
                            "A personality three hosts share.", "A personality three hosts share, edited on A."));
            assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
            String[] conversation = new String[1];
            awaitTrue("B's turn uses version 2", () -> {
                HttpResponse<String> turn =
                        b.post("/v1/chat", "{\"personality\":\"orbit\",\"user\":\"bo\",\"message\":\"Hi there\"}");
                conversation[0] = turn.statusCode() == 200
                        ? (String) Json.readMap(turn.body()).get("conversation")
                        : null;
                return turn.statusCode() == 200 && turn.body().contains("\"version\":2");
            });

            // 3. Someone watching the conversation on C sees the messages a turn on A stores.
            StringBuffer watched = new StringBuffer();
            HttpResponse<java.io.InputStream> events =
                    c.sendStream(c.request("/v1/conversations/" + conversation[0] + "/events")
                            .GET());
            assertThat(events.statusCode()).isEqualTo(200);
            Thread reader = Thread.ofVirtual().start(() -> {
                try (var lines = new java.io.BufferedReader(
                        new java.io.InputStreamReader(events.body(), java.nio.charset.StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        watched.append(line).append('\n');
                    }
                } catch (java.io.IOException closed) {
                    // the test hung up
                }
            });
            awaitTrue("C's stream is open", () -> watched.indexOf(": watching") >= 0);
            HttpResponse<String> onA = a.post(
                    "/v1/chat",
                    "{\"personality\":\"orbit\",\"user\":\"bo\",\"conversation\":\"" + conversation[0]
                            + "\",\"message\":\"Still there?\"}");
            assertThat(onA.statusCode()).as(onA.body()).isEqualTo(200);
            String replyOnA = (String) ((Map<?, ?>) Json.readMap(onA.body()).get("message")).get("id");
            awaitTrue("C's watcher gets the reply stored on A", () -> watched.indexOf(replyOnA) >= 0);
            events.body().close();
            reader.interrupt();

            // 4. Turns acknowledged by every host, then kill -9 of the host that just started a run of the probe job.
            List<List<String[]>> acknowledged = new ArrayList<>();
            for (ChildHost host : hosts) {
                List<String[]> byHost = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    HttpResponse<String> turn = host.http()
                            .post(
                                    "/v1/chat",
                                    "{\"personality\":\"orbit\",\"user\":\"cy\",\"message\":\"Turn " + i + "\"}");
                    assertThat(turn.statusCode()).as(turn.body()).isEqualTo(200);
                    Map<String, Object> body = Json.readMap(turn.body());
                    byHost.add(new String[] {
                        (String) body.get("conversation"),
                        (String) ((Map<?, ?>) body.get("userMessage")).get("id"),
                        (String) ((Map<?, ?>) body.get("message")).get("id")
                    });
                }
                acknowledged.add(byHost);
            }
            int victim;
            try (Database database = first.openDatabase()) {
                // Holder and run read together, the kill right after: the holder keeps that run 4 s, far longer than
                // this gap.
                String[] held = awaitValue("a host holds a fresh run of the probe", () -> freshRun(database));
                victim = indexOf(configs, held[0]);
                hosts.get(victim).kill();
                long run = Long.parseLong(held[1]);
                awaitTrue(
                        "run " + run + " of the probe finishes on another host",
                        () -> finishedBy(database, run)
                                .filter(h -> !h.equals(held[0]))
                                .isPresent());
                List<Long> twice = database.jdbi()
                        .withHandle(h -> h.createQuery("""
                        SELECT run_no FROM cluster_job_runs WHERE job = 'probe' AND finished_at IS NOT NULL
                        GROUP BY run_no HAVING COUNT(*) > 1""").mapTo(Long.class).list());
                assertThat(twice)
                        .as("probe runs finished by more than one host")
                        .isEmpty();
            }
            TestHttp survivor = hosts.get((victim + 1) % 3).http();
            for (String[] turn : acknowledged.get(victim)) {
                HttpResponse<String> messages = survivor.get("/v1/conversations/" + turn[0] + "/messages?limit=500");
                assertThat(messages.body())
                        .as("turn acknowledged by the killed host")
                        .contains(turn[1])
                        .contains(turn[2]);
            }
        } finally {
            hosts.forEach(ChildHost::close);
            configs.subList(1, 3).forEach(ChildHost.Config::deleteDataDir);
            first.delete();
        }
    }

    private static Map<String, Object> stats(TestHttp http) {
        return Json.readMap(http.get("/v1/memory/stats").body());
    }

    /** The holder and run number of the probe's current run, if it started less than a second ago. */
    private static Optional<String[]> freshRun(Database database) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("""
                SELECT j.holder, j.run_no FROM cluster_jobs j
                JOIN cluster_job_runs r ON r.job = j.name AND r.run_no = j.run_no AND r.holder = j.holder
                WHERE j.name = 'probe' AND j.lease_until > now() AND r.finished_at IS NULL
                  AND r.started_at > now() - INTERVAL '1 second'""")
                        .map((rs, ctx) -> new String[] {rs.getString("holder"), Long.toString(rs.getLong("run_no"))})
                        .findOne());
    }

    private static Optional<String> finishedBy(Database database, long run) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT holder FROM cluster_job_runs WHERE job = 'probe' AND run_no = :run AND finished_at IS NOT NULL")
                        .bind("run", run)
                        .mapTo(String.class)
                        .findOne());
    }

    private static int indexOf(List<ChildHost.Config> configs, String hostId) throws Exception {
        for (int i = 0; i < configs.size(); i++) {
            if (Files.readString(configs.get(i).dataDir().resolve("host-id"))
                    .strip()
                    .equals(hostId)) {
                return i;
            }
        }
        throw new AssertionError("no child host has id " + hostId);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("within a minute: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static <T> T awaitValue(String what, java.util.function.Supplier<Optional<T>> value)
            throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            Optional<T> found = value.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("within a minute: " + what);
            }
            Thread.sleep(50);
        }
    }
}
