package dev.nexus.plugin.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole way round on the real host with the packaged Slack jar: signed events POSTed to
 * {@code /hooks/slack} are answered through a local fake {@code chat.postMessage}, once each, although the
 * fake first answers 429, the host restarts while the reply waits, and Slack retries an event
 * ({@code X-Slack-Retry-Num}); two people in one thread share one conversation, each as their own user.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class SlackIT {

    @Parameter
    Database.Kind database;

    private TestHost host(Path dir, FakeSlack slack) {
        return TestHost.builder()
                .database(database)
                .dataDir(dir.resolve("data"))
                .yaml("plugins: {directory: '" + dir.resolve("plugins")
                        + "', config: {slack: {personality: zen-engineer,"
                        + " api-url: '" + slack.apiUrl() + "'}}}\n"
                        + "platforms: {poll-millis: 20, backoff-millis: 10}")
                .env("NEXUS_SECRET_SLACK_BOT_TOKEN", FakeSlack.TOKEN)
                .env("NEXUS_SECRET_SLACK_SIGNING_SECRET", FakeSlack.SIGNING_SECRET)
                .env("NEXUS_PERSONALITIES_DIR", dir.resolve("personalities").toString())
                .start();
    }

    private static HttpResponse<String> post(TestHost host, String body, Map<String, String> extra) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest.Builder request = host.http()
                .withKey("")
                .request("/hooks/slack")
                .header("Content-Type", "application/json")
                .header("X-Slack-Request-Timestamp", Long.toString(timestamp))
                .header("X-Slack-Signature", FakeSlack.sign(timestamp, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        extra.forEach(request::header);
        return host.http().withKey("").send(request);
    }

    private static long postedTo(FakeSlack slack, String channel) {
        return slack.posted().stream()
                .filter(c -> channel.equals(c.body().get("channel")))
                .count();
    }

    @Test
    void events_areAnsweredOnce_throughA429ARestartAndASlackRetry_andAThreadIsOneConversation(@TempDir Path dir)
            throws IOException, InterruptedException, SQLException {
        Path personalities = dir.resolve("personalities").resolve("zen-engineer");
        Files.createDirectories(personalities);
        Files.copy(
                Path.of("..", "..", "personalities", "zen-engineer", "persona.yaml"),
                personalities.resolve("persona.yaml"));
        PackagedPlugin.installInto(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("data"));

        try (FakeSlack slack = new FakeSlack()) {
            slack.rateLimitNext(5);
            String dm = FakeSlack.envelope(
                    "Ev01", FakeSlack.message("D0042", "im", "U42", "100.1", null, "My deploy keeps failing."));
            String jdbcUrl;
            try (TestHost first = host(dir, slack)) {
                assertThat(post(first, dm, Map.of()).statusCode()).isEqualTo(200);
                slack.await(
                        "the reply was refused with 429", () -> !slack.calls().isEmpty());
                jdbcUrl = first.jdbcUrl();
            }
            try (TestHost second = host(dir, slack)) {
                HttpResponse<String> retried =
                        post(second, dm, Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"));
                assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
                assertThat(post(
                                        second,
                                        FakeSlack.envelope(
                                                "Ev02",
                                                FakeSlack.message(
                                                        "C01",
                                                        "channel",
                                                        "U1",
                                                        "200.1",
                                                        null,
                                                        "<@" + FakeSlack.BOT_USER + "> what do you think?")),
                                        Map.of())
                                .statusCode())
                        .isEqualTo(200);
                // (The follow-up mentions the bot too: the thread policy learns of the bot's reply only once Slack
                // answered it, a moment after the fake recorded it; SlackConnectorTest covers that policy.)
                slack.await("the thread is answered", () -> postedTo(slack, "C01") >= 1);
                assertThat(post(
                                        second,
                                        FakeSlack.envelope(
                                                "Ev03",
                                                FakeSlack.message(
                                                        "C01",
                                                        "channel",
                                                        "U2",
                                                        "200.2",
                                                        "200.1",
                                                        "<@" + FakeSlack.BOT_USER + "> and about me?")),
                                        Map.of())
                                .statusCode())
                        .isEqualTo(200);
                slack.await(
                        "every reply is delivered", () -> postedTo(slack, "D0042") >= 1 && postedTo(slack, "C01") >= 2);
            }

            assertThat(postedTo(slack, "D0042")).as("replies to the DM").isEqualTo(1);
            assertThat(postedTo(slack, "C01")).as("replies in the thread").isEqualTo(2);
            assertThat(slack.posted().stream().filter(c -> "C01".equals(c.body().get("channel"))))
                    .allSatisfy(c -> assertThat(c.body()).containsEntry("thread_ts", "200.1"));
            List<List<String>> rows = new ArrayList<>();
            try (Connection connection = DriverManager.getConnection(jdbcUrl);
                    ResultSet rs = connection
                            .createStatement()
                            .executeQuery("SELECT external_id, conversation_id, user_id"
                                    + " FROM messages WHERE platform = 'slack' AND role = 'user' ORDER BY seq")) {
                while (rs.next()) {
                    rows.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            assertThat(rows).extracting(row -> row.get(0)).containsExactly("D0042:100.1", "C01:200.1", "C01:200.2");
            assertThat(rows.get(1).get(1))
                    .isEqualTo(rows.get(2).get(1))
                    .isNotEqualTo(rows.get(0).get(1));
            assertThat(rows).extracting(row -> row.get(2)).containsExactly("slack:U42", "slack:U1", "slack:U2");
        }
    }
}
