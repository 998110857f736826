package dev.nexus.host.interchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** A card PNG dropped into the personalities directory keeps its picture when exported back to PNG. */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class DroppedCardAvatarHostTest {

    @Parameter
    Database.Kind database;

    @TempDir
    Path personalities;

    @Test
    void droppedPngCard_exportedBackToPng_keepsItsImage() throws Exception {
        byte[] card = Fixtures.png(
                Fixtures.textChunk("Software", "DroppedPaint 2.0"),
                Fixtures.cardChunk("chara", Fixtures.resource("chub-v2-nessa.json")));
        Files.write(personalities.resolve("Nessa.png"), card);

        try (TestHost host = TestHost.builder()
                .database(database)
                .env("NEXUS_PERSONALITIES_DIR", personalities.toString())
                .env("NEXUS_PERSONALITIES_POLL_MILLIS", "100")
                .start()) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (host.http().get("/v1/personalities/nessa").statusCode() != 200
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }

            HttpResponse<byte[]> png = host.http()
                    .sendBytes(host.http()
                            .request("/v1/personalities/nessa/export?format=png")
                            .GET());

            assertThat(png.statusCode()).isEqualTo(200);
            assertThat(new String(png.body(), StandardCharsets.ISO_8859_1))
                    .contains("DroppedPaint 2.0")
                    .contains("ccv3")
                    .contains("chara");
        }
    }
}
