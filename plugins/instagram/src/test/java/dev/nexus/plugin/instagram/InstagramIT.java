package dev.nexus.plugin.instagram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.testing.MutableClock;
import dev.nexus.host.db.Database;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged Instagram jar in the real host, under a clock the test moves, against a local fake
 * Graph API: the access token is set through the vault API; a scheduled post runs at its jittered time
 * (not a second before), is published once; the next day's run finds the 24-hour cap reached and
 * publishes nothing.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class InstagramIT {

    @Parameter
    Database.Kind database;

    @Test
    @SuppressWarnings("unchecked")
    void aScheduledPost_runsAtItsJitteredTime_underTheTestClock_andRespectsTheCap(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path personalities = dir.resolve("personalities").resolve("zen-engineer");
        Files.createDirectories(personalities);
        Files.copy(
                Path.of("..", "..", "personalities", "zen-engineer", "persona.yaml"),
                personalities.resolve("persona.yaml"));
        PackagedPlugin.installInto(dir.resolve("plugins"));
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));

        try (FakeGraph graph = new FakeGraph();
                TestHost host = TestHost.builder()
                        .database(database)
                        .clock(clock)
                        .yaml("plugins: {directory: '" + dir.resolve("plugins")
                                + "', config: {instagram: {personality: zen-engineer,"
                                + " ig-user-id: '" + FakeGraph.ACCOUNT + "', api-url: '" + graph.url() + "',"
                                + " media-url: 'https://cdn.example.org/morning.jpg', status-poll-millis: 0}}}\n"
                                + "platforms: {poll-millis: 20, backoff-millis: 10}\n"
                                + "schedules: {tick-millis: 100}")
                        .env(
                                "NEXUS_PERSONALITIES_DIR",
                                dir.resolve("personalities").toString())
                        .start()) {
            TestHttp admin = host.http();
            graph.quotaUsage(24);
            expect(admin.put("/v1/secrets/instagram/access-token", "{\"value\":\"" + FakeGraph.TOKEN + "\"}"), 200);
            Map<String, Object> schedule = TestHttp.json(expect(admin.post("/v1/schedules", """
                    {"personality": "zen-engineer", "name": "morning note", "cron": "0 8 * * *", "timeZone": "UTC",
                     "jitterSeconds": 1800, "action": "post", "platform": "instagram", "text": "Good morning. One thing, done well."}"""), 201));
            String id = (String) schedule.get("id");
            Instant due = Instant.parse((String) schedule.get("nextRunAt"));
            assertThat(due).isBetween(Instant.parse("2026-12-07T08:00:00Z"), Instant.parse("2026-12-07T08:30:00Z"));

            clock.advance(Duration.between(clock.instant(), due).minusSeconds(1));
            Thread.sleep(500); // several ticks pass at one second before its time: nothing may run
            assertThat((List<?>) TestHttp.json(expect(admin.get("/v1/schedules/" + id + "/runs"), 200))
                            .get("runs"))
                    .isEmpty();
            assertThat(graph.published()).isZero();

            clock.advance(Duration.ofSeconds(1));
            eventually("the post is published", () -> graph.published() == 1);
            List<Map<String, Object>> runs = (List<Map<String, Object>>)
                    TestHttp.json(admin.get("/v1/schedules/" + id + "/runs")).get("runs");
            assertThat(runs).singleElement().satisfies(run -> {
                assertThat(run).containsEntry("outcome", "queued").containsEntry("dueAt", due.toString());
            });
            assertThat(graph.calls("/" + FakeGraph.ACCOUNT + "/media").getLast().parameters())
                    .containsEntry("caption", "Good morning. One thing, done well.");

            // The next morning: 25 of 25 used, so the run is queued but Instagram is not asked to publish.
            Instant next = Instant.parse(
                    (String) TestHttp.json(admin.get("/v1/schedules/" + id)).get("nextRunAt"));
            int limitChecks = graph.calls("/content_publishing_limit").size();
            clock.advance(Duration.between(clock.instant(), next));
            eventually(
                    "the cap is checked for the second post",
                    () -> graph.calls("/content_publishing_limit").size() > limitChecks);
            assertThat(graph.published()).isEqualTo(1);
            assertThat(graph.calls("/" + FakeGraph.ACCOUNT + "/media")).hasSize(1);
        }
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response;
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
