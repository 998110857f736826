package dev.nexus.host.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.approval.MutableClock;
import dev.nexus.host.config.ConfigException;
import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-key limits on a real host. The host runs on a clock the test moves by hand, so buckets refill
 * only when the test says so: no request here depends on how fast the machine is.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class RequestLimitsTest {

    /** The backend this invocation runs on. */
    @Parameter
    Database.Kind database;

    private static final String PERSONA = """
            {"id": "limits", "name": "Limits", "description": "A personality the limits test talks to.", "greetings": ["Hi."]}""";

    private TestHost start(MutableClock clock, String limits) {
        return TestHost.builder()
                .database(database)
                .clock(clock)
                .yaml("limits: " + limits)
                .start();
    }

    private static String key(TestHost host, String body) {
        HttpResponse<String> created = host.http().post("/v1/keys", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) TestHttp.json(created).get("secret");
    }

    private static String userKey(TestHost host, String user) {
        return key(host, "{\"name\":\"" + user + "\",\"scopes\":[\"user\"],\"user\":\"" + user + "\"}");
    }

    @Test
    void requests_pastTheBurst_are429WithRetryAfter_untilTheBucketRefills() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
        try (TestHost host = start(clock, "{user: {requests-per-minute: 6, burst: 3}}")) {
            TestHttp alice = host.http().withKey(userKey(host, "alice"));
            for (int i = 0; i < 3; i++) {
                assertThat(alice.get("/v1/personalities").statusCode()).isEqualTo(200);
            }

            HttpResponse<String> refused = alice.get("/v1/personalities");

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            // 6 per minute: one request every 10 seconds.
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("10");
            Map<String, Object> problem = TestHttp.json(refused);
            assertThat(problem).containsEntry("status", 429).containsEntry("title", "Too many requests");
            assertThat((String) problem.get("detail"))
                    .contains("6 requests per minute (bursts of 3)")
                    .contains("retry in 10 s")
                    .contains("limits.user.requests-per-minute");

            clock.advance(Duration.ofSeconds(9));
            assertThat(alice.get("/v1/personalities").statusCode()).isEqualTo(429);
            clock.advance(Duration.ofSeconds(1));
            assertThat(alice.get("/v1/personalities").statusCode()).isEqualTo(200);
            assertThat(alice.get("/v1/personalities").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void requests_ofOneKey_doNotUseAnotherKeysAllowance() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
        try (TestHost host =
                start(clock, "{user: {requests-per-minute: 1, burst: 1}, admin: {requests-per-minute: 1, burst: 4}}")) {
            TestHttp alice = host.http().withKey(userKey(host, "alice"));
            TestHttp bob = host.http().withKey(userKey(host, "bob"));

            assertThat(alice.get("/v1/personalities").statusCode()).isEqualTo(200);
            assertThat(alice.get("/v1/personalities").statusCode()).isEqualTo(429);
            assertThat(bob.get("/v1/personalities").statusCode()).isEqualTo(200);
            // The admin key made both keys (2 requests) and has 4 in all: its own scope's limits, not the user's.
            assertThat(host.http().get("/v1/personalities").statusCode()).isEqualTo(200);
            assertThat(host.http().get("/v1/personalities").statusCode()).isEqualTo(200);
            assertThat(host.http().get("/v1/personalities").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void requests_withoutKey_areNotCounted_andLimitsCanBeSwitchedOff() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
        try (TestHost host = start(clock, "{enabled: false, user: {requests-per-minute: 1, burst: 1}}")) {
            TestHttp alice = host.http().withKey(userKey(host, "alice"));
            for (int i = 0; i < 5; i++) {
                assertThat(alice.get("/v1/personalities").statusCode()).isEqualTo(200);
                assertThat(host.http().withKey(null).get("/health").statusCode())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void openAiCompletions_pastTheRate_are429InOpenAisShape() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
        try (TestHost host = start(clock, "{user: {requests-per-minute: 60, burst: 1}}")) {
            TestHttp alice = host.http().withKey(userKey(host, "alice"));
            assertThat(alice.get("/v1/models").statusCode()).isEqualTo(200);

            HttpResponse<String> refused = alice.post(
                    "/v1/chat/completions",
                    "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            @SuppressWarnings("unchecked")
            Map<String, Object> error =
                    (Map<String, Object>) TestHttp.json(refused).get("error");
            assertThat(error).containsEntry("type", "rate_limit_error").containsEntry("code", "rate_limit_exceeded");
        }
    }

    @Test
    void streams_pastTheLimit_are429_whileTheOpenOneLasts() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
        try (TestHost host = start(clock, "{approver: {streams: 1}}")) {
            TestHttp reviewer = host.http().withKey(key(host, "{\"name\":\"reviewer\",\"scopes\":[\"approver\"]}"));
            HttpResponse<InputStream> open =
                    reviewer.sendStream(reviewer.request("/v1/proposals/events").GET());
            assertThat(open.statusCode()).isEqualTo(200);
            try (InputStream events = open.body()) {
                // The stream is open once its first comment arrived.
                assertThat(new String(events.readNBytes(": subscribed".length()), StandardCharsets.UTF_8))
                        .isEqualTo(": subscribed");

                HttpResponse<String> second = reviewer.get("/v1/proposals/events");

                assertThat(second.statusCode()).isEqualTo(429);
                assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
                assertThat((String) TestHttp.json(second).get("detail"))
                        .contains("already holds 1 open event streams")
                        .contains("limits.approver.streams");
                // Other requests of the same key go on; so do streams of other keys.
                assertThat(reviewer.get("/v1/proposals").statusCode()).isEqualTo(200);
                HttpResponse<InputStream> admins = host.http()
                        .sendStream(host.http().request("/v1/proposals/events").GET());
                assertThat(admins.statusCode()).isEqualTo(200);
                admins.body().close();
            }
        }
    }

    @Test
    void chatStreams_oneAtATime_eachGetsTheSlotBack() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
        try (TestHost host = start(clock, "{user: {streams: 1}}")) {
            assertThat(host.http().post("/v1/personalities", PERSONA).statusCode())
                    .isEqualTo(201);
            TestHttp alice = host.http().withKey(userKey(host, "alice"));
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> streamed =
                        alice.post("/v1/chat/stream", "{\"personality\":\"limits\",\"message\":\"hello\"}");
                assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
                assertThat(streamed.body()).contains("event: done");
            }
        }
    }

    @Test
    void limits_outOfRange_failStartNamingTheKey() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
        assertThatThrownBy(() -> start(clock, "{user: {burst: 0}}").close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("limits")
                .hasMessageContaining("burst must be between 1 and 1000000, got 0");
    }
}
