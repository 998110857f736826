package dev.nexus.host.interchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Card uploads may exceed the server's general body limit up to the interchange input limit. */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class ImportBodyLimitHostTest {

    @Parameter
    Database.Kind database;

    private static String card(String description) {
        return "{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"name\":\"Big\",\"description\":\""
                + description + "\",\"personality\":\"\",\"scenario\":\"\",\"first_mes\":\"Hi\",\"mes_example\":\"\","
                + "\"creator_notes\":\"\",\"system_prompt\":\"\",\"post_history_instructions\":\"\","
                + "\"alternate_greetings\":[],\"tags\":[],\"creator\":\"\",\"character_version\":\"\",\"extensions\":{}}}";
    }

    @Test
    void import_cardLargerThanTheServerBodyLimit_isAcceptedUpToTheInterchangeLimit() {
        try (TestHost host = TestHost.builder()
                .database(database)
                .yaml("interchange: {max-input-bytes: 3145728}")
                .start()) {
            byte[] big = card("x".repeat(2 * 1024 * 1024)).getBytes(StandardCharsets.UTF_8);
            byte[] tooBig = card("x".repeat(4 * 1024 * 1024)).getBytes(StandardCharsets.UTF_8);

            assertThat(host.http()
                            .post("/v1/personalities/import?id=big", "application/json", big)
                            .statusCode())
                    .isEqualTo(201);
            var refused = host.http().post("/v1/personalities/import?id=bigger", "application/json", tooBig);
            assertThat(refused.statusCode()).isEqualTo(413);
            assertThat(refused.body()).contains("exceeds the limit of 3145728 bytes");
            assertThat(host.http().get("/v1/personalities/bigger").statusCode()).isEqualTo(404);
        }
    }
}
