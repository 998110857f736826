package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A question that names a person by relation ("my sister") is searched as the person the user's
 * memories name (issue 16, the benchmark's last third-person miss), through the real server on H2
 * and PostgreSQL: "Who is my sister engaged to?" shares only "engaged" with the answer and reads
 * closer to a colleague's engagement than to "Kasper got engaged to Astrid"; with "my sister" resolved
 * to Kasper, in full text and in the vector search, the sister's engagement comes first.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class RelationQuestionHttpTest {

    @Parameter
    Database.Kind database;

    @Test
    @SuppressWarnings("unchecked")
    void whoIsMySisterEngagedTo_findsHerEngagement_beforeColleaguesEngagements() {
        try (TestHost host = TestHost.builder().database(database).start()) {
            String user = "sibling-" + database;
            List<Map<String, Object>> facts = new ArrayList<>();
            facts.add(Map.of("fact", "My sister Kasper works as a nurse in Gdansk.", "occurredAt", "2023-02-10"));
            for (String colleague : List.of("Ingrid", "Tomas", "Greta", "Mateo", "Selma", "Bruno")) {
                facts.add(Map.of(
                        "fact", colleague + " from work is engaged, the wedding is next summer.",
                        "occurredAt", "2023-06-1" + facts.size()));
            }
            facts.add(Map.of(
                    "fact", "My sister called, we chatted for an hour about nothing.", "occurredAt", "2023-09-01"));
            facts.add(Map.of("fact", "Kasper got engaged to Astrid over the weekend!", "occurredAt", "2023-10-07"));
            HttpResponse<String> imported =
                    host.http().post("/v1/memory/import", Json.write(Map.of("user", user, "facts", facts)));
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);

            HttpResponse<String> found = host.http()
                    .get("/v1/memory/search?limit=3&user=" + user + "&q="
                            + URLEncoder.encode("Who is my sister engaged to?", StandardCharsets.UTF_8));
            assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
            assertThat((List<Map<String, Object>>) TestHttp.json(found).get("results"))
                    .first()
                    .satisfies(
                            r -> assertThat(r.get("text")).isEqualTo("Kasper got engaged to Astrid over the weekend!"));
        }
    }
}
