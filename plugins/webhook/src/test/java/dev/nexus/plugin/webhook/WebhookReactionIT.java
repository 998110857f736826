package dev.nexus.plugin.webhook;

import static dev.nexus.plugin.webhook.Requests.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.net.URLEncoder;
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
 * Reactions the whole way round on the real host with the packaged webhook jar: a signed message is
 * answered and the reply delivered to a local callback server; a signed reaction naming that reply
 * with {@code "critiques":["too long"]} becomes feedback on it, once, also when posted again; a
 * reaction with an unknown critique is refused and stores nothing.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class WebhookReactionIT {

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

    private static HttpResponse<String> post(TestHost host, String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long timestamp = Instant.now().getEpochSecond();
        return host.http()
                .withKey("")
                .send(host.http()
                        .withKey("")
                        .request(path)
                        .header("Content-Type", "application/json")
                        .header("X-Nexus-Timestamp", Long.toString(timestamp))
                        .header(
                                "X-Nexus-Signature",
                                Signatures.sign(KEY.getBytes(StandardCharsets.UTF_8), timestamp, bytes))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> feedbackOn(TestHost host, String replyId) {
        Map<String, Object> listed = TestHttp.json(
                host.http().get("/v1/feedback?message=" + URLEncoder.encode(replyId, StandardCharsets.UTF_8)));
        return (List<Map<String, Object>>) listed.get("feedback");
    }

    @Test
    void aSignedReactionToADeliveredReply_becomesFeedbackOnThatReply_once(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path personalities = dir.resolve("personalities").resolve("zen-engineer");
        Files.createDirectories(personalities);
        Files.copy(
                Path.of("..", "..", "personalities", "zen-engineer", "persona.yaml"),
                personalities.resolve("persona.yaml"));
        PackagedPlugin.installInto(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("data"));

        try (CallbackServer callbacks = new CallbackServer();
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

            HttpResponse<String> accepted = post(
                    host,
                    "/hooks/webhook",
                    "{\"id\":\"evt-1\",\"user\":\"ada\","
                            + "\"personality\":\"zen-engineer\",\"text\":\"Why does my deploy keep failing?\"}");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            eventually("the reply is delivered", () -> !callbacks.received().isEmpty());
            String replyId =
                    (String) Json.readMap(callbacks.received().get(0).text()).get("id");

            String reaction =
                    "{\"id\":\"rx-1\",\"user\":\"ada\",\"reply\":\"" + replyId + "\",\"critiques\":[\"too long\"]}";
            HttpResponse<String> recorded = post(host, "/hooks/webhook/reactions", reaction);
            HttpResponse<String> again = post(host, "/hooks/webhook/reactions", reaction);
            HttpResponse<String> unknown = post(
                    host,
                    "/hooks/webhook/reactions",
                    "{\"id\":\"rx-2\",\"user\":\"bob\",\"reply\":\"" + replyId + "\",\"critiques\":[\"too purple\"]}");

            assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(202);
            String feedbackId = (String) Json.readMap(recorded.body()).get("feedbackId");
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat(Json.readMap(again.body()))
                    .containsEntry("feedbackId", feedbackId)
                    .containsEntry("duplicate", true);
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(Json.readMap(unknown.body())).containsEntry("title", "Reaction rejected");
            assertThat((String) Json.readMap(unknown.body()).get("detail")).startsWith("unknown critique 'too purple'");
            assertThat(feedbackOn(host, replyId)).singleElement().satisfies(feedback -> {
                assertThat(feedback)
                        .containsEntry("id", feedbackId)
                        .containsEntry("message", replyId)
                        .containsEntry("personality", "zen-engineer")
                        .containsEntry("rater", "webhook:ada")
                        .containsEntry("critiques", List.of("too-long"));
            });
        }
    }
}
