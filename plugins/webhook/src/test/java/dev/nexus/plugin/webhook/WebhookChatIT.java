package dev.nexus.plugin.webhook;

import static dev.nexus.plugin.webhook.Requests.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * The whole way round on the real host with the packaged webhook jar: a signed message posted to
 * {@code /hooks/webhook} is answered by the named personality and the reply is POSTed, signed, to a
 * local callback server; when the callback fails once, the reply is delivered on the retry, and
 * exactly once per inbound message id, also when the sender posts the same message again.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class WebhookChatIT {

    @Parameter
    Database.Kind database;

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static HttpResponse<String> post(TestHost host, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long timestamp = Instant.now().getEpochSecond();
        return host.http()
                .withKey("")
                .send(host.http()
                        .withKey("")
                        .request("/hooks/webhook")
                        .header("Content-Type", "application/json")
                        .header("X-Nexus-Timestamp", Long.toString(timestamp))
                        .header(
                                "X-Nexus-Signature",
                                Signatures.sign(KEY.getBytes(StandardCharsets.UTF_8), timestamp, bytes))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    private static String message(String id, String text) {
        return "{\"id\":\"" + id + "\",\"user\":\"ada\",\"personality\":\"zen-engineer\",\"text\":\"" + text + "\"}";
    }

    private static long deliveries(CallbackServer callbacks, String inReplyTo) {
        return callbacks.received().stream()
                .filter(r -> r.text().contains("\"inReplyTo\":\"" + inReplyTo + "\""))
                .count();
    }

    @Test
    void aSignedMessage_isAnsweredAndDeliveredToTheCallback_exactlyOnce_evenWhenTheCallbackFailsFirst(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path personalities = dir.resolve("personalities").resolve("zen-engineer");
        Files.createDirectories(personalities);
        Files.copy(
                Path.of("..", "..", "personalities", "zen-engineer", "persona.yaml"),
                personalities.resolve("persona.yaml"));
        PackagedPlugin.installInto(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("data"));

        try (CallbackServer callbacks = new CallbackServer().thenAnswer(503, Map.of("Retry-After", "0"));
                TestHost host = TestHost.builder()
                        .database(database)
                        .dataDir(dir.resolve("data"))
                        .yaml("plugins: {directory: '" + dir.resolve("plugins")
                                + "', config: {webhook: {callback-url: '"
                                + callbacks.url("/replies") + "'}}}\n"
                                + "platforms: {poll-millis: 20, backoff-millis: 10}")
                        .env("NEXUS_SECRET_WEBHOOK_SIGNING_KEY", KEY)
                        .env(
                                "NEXUS_PERSONALITIES_DIR",
                                dir.resolve("personalities").toString())
                        .start()) {

            HttpResponse<String> accepted = post(host, message("evt-1", "My deploy keeps failing."));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            HttpResponse<String> again = post(host, message("evt-1", "My deploy keeps failing."));
            assertThat(again.statusCode()).as(again.body()).isLessThan(300);

            eventually(
                    "the reply to evt-1 is delivered after the failed attempt",
                    () -> deliveries(callbacks, "evt-1") == 2);
            assertThat(post(host, message("evt-2", "Thank you.")).statusCode()).isEqualTo(202);
            eventually("the reply to evt-2 is delivered", () -> deliveries(callbacks, "evt-2") == 1);

            List<CallbackServer.Received> toFirst = callbacks.received().stream()
                    .filter(r -> r.text().contains("\"inReplyTo\":\"evt-1\""))
                    .toList();
            assertThat(toFirst).hasSize(2);
            assertThat(toFirst.get(0).header("Idempotency-Key"))
                    .isEqualTo(toFirst.get(1).header("Idempotency-Key"));
            CallbackServer.Received delivered = toFirst.get(1);
            assertThat(Signatures.verify(
                            List.of(KEY.getBytes(StandardCharsets.UTF_8)),
                            Long.parseLong(delivered.header("X-Nexus-Timestamp")),
                            delivered.body(),
                            delivered.header("X-Nexus-Signature")))
                    .isTrue();
            Map<String, Object> reply = Json.readMap(delivered.text());
            assertThat(reply).containsEntry("personality", "zen-engineer").containsEntry("attempt", 2);

            String conversation = (String) reply.get("conversation");
            Map<String, Object> stored =
                    TestHttp.json(host.http().get("/v1/conversations/" + conversation + "/messages"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> messages = (List<Map<String, Object>>) stored.get("messages");
            assertThat(messages.get(0).get("metadata"))
                    .isEqualTo(Map.of("greeting", true)); // the conversation opened with it
            assertThat(messages.subList(1, messages.size()))
                    .extracting(m -> m.get("content"))
                    .containsExactly(
                            "My deploy keeps failing.",
                            reply.get("text"),
                            "Thank you.",
                            Json.readMap(callbacks.received().get(2).text()).get("text"));
            assertThat(messages.get(2)).containsEntry("id", reply.get("id")).containsEntry("platform", "webhook");
        }
    }
}
