package dev.nexus.plugin.webhook;

import static dev.nexus.plugin.webhook.Requests.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database outage on the real host with the packaged webhook jar: while PostgreSQL refuses
 * connections, a signed message is answered 503 with {@code Retry-After} (the host's sink returns
 * {@code RetryLater}, which the webhook turns into "retry"), {@code /health} is 503, and once the
 * database is back the very same signed request is accepted and stored once. PostgreSQL only: an
 * embedded H2 cannot be taken away from under the host.
 */
class WebhookOutageIT {

    private static HttpRequest.Builder signed(TestHost host, byte[] body, long timestamp) {
        return host.http()
                .withKey("")
                .request("/hooks/webhook")
                .header("Content-Type", "application/json")
                .header("X-Nexus-Timestamp", Long.toString(timestamp))
                .header("X-Nexus-Signature", Signatures.sign(KEY.getBytes(StandardCharsets.UTF_8), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    @Test
    void databaseDown_aSignedMessageIs503WithRetryAfter_andTheSameRequestIsAcceptedAfterRecovery(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path personalities = dir.resolve("personalities").resolve("zen-engineer");
        Files.createDirectories(personalities);
        Files.copy(
                Path.of("..", "..", "personalities", "zen-engineer", "persona.yaml"),
                personalities.resolve("persona.yaml"));
        PackagedPlugin.installInto(dir.resolve("plugins"));

        try (TestHost host = TestHost.builder()
                .database(Database.Kind.POSTGRESQL)
                .yaml("plugins: {directory: '" + dir.resolve("plugins") + "'}\n"
                        + "database: {connect-timeout-millis: 1000}")
                .env("NEXUS_SECRET_WEBHOOK_SIGNING_KEY", KEY)
                .env("NEXUS_PERSONALITIES_DIR", dir.resolve("personalities").toString())
                .start()) {
            byte[] body =
                    "{\"id\":\"outage-1\",\"user\":\"ada\",\"personality\":\"zen-engineer\",\"text\":\"Still there?\"}"
                            .getBytes(StandardCharsets.UTF_8);
            long timestamp = Instant.now().getEpochSecond();

            HttpResponse<String> during;
            HttpResponse<String> healthDuring;
            host.databaseDown();
            try {
                during = host.http().send(signed(host, body, timestamp));
                healthDuring = host.http()
                        .withKey("")
                        .send(host.http().withKey("").request("/health").GET());
            } finally {
                host.databaseUp();
            }
            // A sender retries while told to: the pool needs a moment to replace the connections the outage ended.
            HttpResponse<String> after = host.http().send(signed(host, body, timestamp));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (after.statusCode() == 503 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                after = host.http().send(signed(host, body, timestamp));
            }
            HttpResponse<String> again = host.http().send(signed(host, body, timestamp));

            assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
            assertThat(during.headers().firstValue("Retry-After"))
                    .hasValueSatisfying(
                            seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
            assertThat(Json.readMap(during.body()))
                    .containsEntry("title", "Not stored")
                    .hasEntrySatisfying(
                            "detail",
                            detail -> assertThat((String) detail)
                                    .contains("cannot store messages right now")
                                    .contains("retry later with the same id")
                                    .doesNotContain("Exception"));
            assertThat(healthDuring.statusCode()).as(healthDuring.body()).isEqualTo(503);
            assertThat(Json.readMap(healthDuring.body()))
                    .hasEntrySatisfying(
                            "database",
                            database ->
                                    assertThat(((Map<?, ?>) database).get("up")).isEqualTo(false));
            assertThat(after.statusCode()).as(after.body()).isEqualTo(202);
            assertThat(Json.readMap(after.body())).containsEntry("duplicate", false);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat(Json.readMap(again.body()))
                    .containsEntry("duplicate", true)
                    .containsEntry("messageId", Json.readMap(after.body()).get("messageId"));
        }
    }
}
