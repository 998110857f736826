package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pinned facts through the real server on H2 and PostgreSQL (issue 16, item 3): {@code POST
 * /v1/memory/facts/{id}/pin} keeps a fact whatever consolidation's per-user cap would drop, and
 * {@code …/unpin} gives it back to the cap.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class PinnedFactsHttpTest {

    @Parameter
    Database.Kind database;

    static TestHost host;
    static MutableClock clock;

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
        clock = new MutableClock(Instant.parse("2024-03-01T12:00:00Z"));
        host = TestHost.builder()
                .database(database)
                .clock(clock)
                .yaml("memory: {max-facts-per-user: 2, consolidation-interval-minutes: 0}")
                .start();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
    }

    private static String remember(String user, String fact) {
        clock.advance(Duration.ofMinutes(1));
        HttpResponse<String> response =
                host.http().post("/v1/memory/facts", Json.write(Map.of("user", user, "fact", fact)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return (String) TestHttp.json(response).get("id");
    }

    @SuppressWarnings("unchecked")
    private static List<String> facts(String user) {
        HttpResponse<String> response = host.http().get("/v1/memory/facts?user=" + user);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ((List<Map<String, Object>>) TestHttp.json(response).get("facts"))
                .stream().map(f -> (String) f.get("fact")).toList();
    }

    private static Map<String, Object> consolidate() {
        HttpResponse<String> response = host.http().post("/v1/memory/consolidate", "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    @Test
    void aPinnedFact_survivesTheCapThatDropsOlderFacts_andUnpinnedIsDroppedAgain() {
        String user = "pinner-" + database;
        String oldest = remember(user, "The user's grandmother taught them to knit");
        remember(user, "The user once saw a moose on the road");
        remember(user, "The user keeps a jar of buttons");
        remember(user, "The user collects postcards");

        HttpResponse<String> pinned = host.http().post("/v1/memory/facts/" + oldest + "/pin", "");
        assertThat(pinned.statusCode()).as(pinned.body()).isEqualTo(200);
        assertThat(TestHttp.json(pinned)).containsEntry("pinned", true).containsEntry("id", oldest);

        assertThat(consolidate()).containsEntry("factsDropped", 2);
        assertThat(facts(user))
                .containsExactlyInAnyOrder("The user's grandmother taught them to knit", "The user collects postcards");

        HttpResponse<String> unpinned = host.http().post("/v1/memory/facts/" + oldest + "/unpin", "");
        assertThat(unpinned.statusCode()).as(unpinned.body()).isEqualTo(200);
        assertThat(TestHttp.json(unpinned)).containsEntry("pinned", false);
        remember(user, "The user sings in a choir");

        assertThat(consolidate()).containsEntry("factsDropped", 1);
        assertThat(facts(user)).containsExactlyInAnyOrder("The user collects postcards", "The user sings in a choir");
    }

    @Test
    void pinningAFactThatDoesNotExist_is404() {
        HttpResponse<String> response = host.http().post("/v1/memory/facts/no-such-fact/pin", "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
    }
}
