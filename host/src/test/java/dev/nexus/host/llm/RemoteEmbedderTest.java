package dev.nexus.host.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.nexus.host.DependencyException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible embedder against a local fake server that speaks the embeddings wire format. */
class RemoteEmbedderTest {

    private HttpServer server;
    private final List<Map<String, Object>> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger dims = new AtomicInteger(3);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/embeddings", exchange -> {
            Map<String, Object> body =
                    Json.readMap(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            requests.add(body);
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            @SuppressWarnings("unchecked")
            List<String> inputs = (List<String>) body.get("input");
            List<Map<String, Object>> data = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                List<Double> vector = new ArrayList<>();
                for (int d = 0; d < dims.get(); d++) {
                    vector.add(d == 0 ? inputs.get(i).length() : 0.0);
                }
                vector.set(Math.min(1, dims.get() - 1), 1.0 * (i + 1));
                data.add(Map.of("object", "embedding", "index", i, "embedding", vector));
            }
            byte[] reply = status.get() == 200
                    ? Json.writeBytes(Map.of(
                            "object",
                            "list",
                            "data",
                            data,
                            "model",
                            body.get("model"),
                            "usage",
                            Map.of("prompt_tokens", 3, "total_tokens", 3)))
                    : "{\"error\": {\"message\": \"overloaded\", \"type\": \"server_error\"}}"
                            .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Embedder embedder() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        return Embedders.create(new EmbeddingSettings("openai", base, "tiny-embed", "sk-test", null, 5), Runnable::run);
    }

    @Test
    void embedAll_sendsModelInputsAndKey_andReturnsUnitVectorsInOrder() {
        Embedder embedder = embedder();

        List<float[]> vectors = embedder.embedAll(List.of("abc", "abcdef"));

        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("model", "tiny-embed").containsEntry("input", List.of("abc", "abcdef"));
        });
        assertThat(authorizations).containsExactly("Bearer sk-test");
        assertThat(vectors).hasSize(2);
        for (float[] v : vectors) {
            assertThat(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])
                    .isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        }
        assertThat(vectors.get(1)[0]).isGreaterThan(0.9f);
        assertThat(embedder.dimensions()).isEqualTo(3);
        assertThat(embedder.name()).isEqualTo("openai:tiny-embed");
    }

    @Test
    void embed_whenTheServerFails_isARetriableDependencyFailure() {
        status.set(503);

        assertThatThrownBy(() -> embedder().embed("hello"))
                .isInstanceOf(DependencyException.class)
                .hasMessageContaining("the embedding model openai:tiny-embed did not answer")
                .satisfies(
                        e -> assertThat(((DependencyException) e).retriable()).isTrue());
    }

    @Test
    void embed_whenTheSizeChanges_isRefused() {
        Embedder embedder = embedder();
        embedder.embed("first");
        dims.set(4);

        assertThatThrownBy(() -> embedder.embed("second"))
                .isInstanceOf(DependencyException.class)
                .hasMessageContaining("returned 4 dimensions, expected 3");
    }

    @Test
    void settings_badProviderOrUrl_areRefusedWithTheFix() {
        assertThatThrownBy(() -> new EmbeddingSettings("cohere", null, null, null, null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must be 'local' or 'openai', got 'cohere'");
        assertThatThrownBy(() -> new EmbeddingSettings("openai", "ftp://x", null, null, null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("embedding.base-url must be an http(s) URL");
        assertThat(new EmbeddingSettings("openai", "http://x/v1", null, "secret-key", null, null).toString())
                .doesNotContain("secret-key");
    }

    @Test
    void cachedEmbedder_answersRepeatedTextsFromTheCache() {
        CachedEmbedder cached = new CachedEmbedder(embedder(), 100);

        float[] first = cached.embed("same text");
        float[] again = cached.embed("same text");
        cached.embedAll(List.of("same text", "other text"));

        assertThat(again).containsExactly(first);
        assertThat(requests).hasSize(2);
        assertThat(cached.stats().hits()).isEqualTo(2);
        assertThat(cached.stats().hitRate()).isEqualTo(0.5);
    }
}
