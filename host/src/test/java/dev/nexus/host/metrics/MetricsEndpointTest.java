package dev.nexus.host.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code GET /metrics} after a chat turn shows the turn's stages, tokens, HTTP statuses and the pool. */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class MetricsEndpointTest {

    @Parameter
    Database.Kind database;

    @Test
    void metrics_afterAChat_showStageHistogramsTokensStatusesAndPool(@TempDir Path data) throws Exception {
        Path persona = data.resolve("personalities").resolve("zen-engineer");
        Files.createDirectories(persona);
        Files.copy(Path.of("..", "personalities", "zen-engineer", "persona.yaml"), persona.resolve("persona.yaml"));
        try (TestHost host = TestHost.builder().dataDir(data).database(database).start()) {
            TestHttp http = host.http();
            assertThat(http.post(
                                    "/v1/chat",
                                    Json.write(Map.of(
                                            "personality",
                                            "zen-engineer",
                                            "user",
                                            "ada",
                                            "message",
                                            "How do I keep a service calm under load?")))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(http.get("/v1/personalities/nobody").statusCode()).isEqualTo(404);

            String text = scrapeOnceExtractionRan(http);

            for (String stage : new String[] {"auth", "recall", "knowledge", "model", "store", "extraction"}) {
                assertThat(count(text, "nexus_turn_stage_seconds_count\\{stage=\"" + stage + "\"\\}"))
                        .as("turns timed in stage %s", stage)
                        .isPositive();
            }
            assertThat(text).contains("nexus_turn_stage_seconds_bucket{stage=\"model\",le=");
            assertThat(count(text, "nexus_model_tokens_total\\{direction=\"output\",model=\"offline\"\\}"))
                    .isPositive();
            assertThat(count(
                            text,
                            "nexus_http_requests_seconds_count\\{method=\"POST\",route=\"/v1/chat\",status=\"200\"\\}"))
                    .isEqualTo(1);
            assertThat(text).contains("route=\"/v1/personalities/{id}\",status=\"404\"");
            assertThat(text)
                    .contains("nexus_db_pool_max ")
                    .contains("nexus_outbox_depth{state=\"queued\"}")
                    .contains("nexus_tasks_depth{status=\"pending\"} 0.0")
                    .contains("nexus_tasks_depth{status=\"awaiting-approval\"}")
                    .contains("nexus_cache_hit_ratio{cache=\"embedding\"}");
        }
    }

    @Test
    void metrics_withAUserKey_isForbidden() {
        try (TestHost host = TestHost.builder().database(database).start()) {
            String key = (String) TestHttp.json(host.http()
                            .post(
                                    "/v1/keys",
                                    Json.write(
                                            Map.of("name", "u", "scopes", java.util.List.of("user"), "user", "ada"))))
                    .get("secret");

            HttpResponse<String> response = host.http().withKey(key).get("/metrics");

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("lacks the 'admin' scope");
        }
    }

    /** Fact extraction runs after the answer; scrape until it has been timed once. */
    private static String scrapeOnceExtractionRan(TestHttp http) throws InterruptedException {
        while (true) {
            HttpResponse<String> response = http.get("/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            if (count(response.body(), "nexus_turn_stage_seconds_count\\{stage=\"extraction\"\\}") > 0) {
                return response.body();
            }
            Thread.sleep(20);
        }
    }

    private static double count(String text, String seriesRegex) {
        Matcher m = Pattern.compile("(?m)^" + seriesRegex + " ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
