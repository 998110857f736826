package dev.nexus.host.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code /v1/personalities} through the real host. */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class PersonalityApiTest {

    /** The backend this invocation runs on (also handed to {@code start}). */
    @Parameter
    Database.Kind database;

    @TempDir
    static Path root;

    /** This invocation's drop-in folder: one per database, so the two runs do not see each other's files. */
    static Path personalities;

    static TestHost host;
    static List<String> BUNDLED;

    static {
        try (var dirs = Files.list(Path.of("..", "personalities"))) {
            BUNDLED = dirs.filter(Files::isDirectory)
                    .map(dir -> dir.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) throws IOException {
        personalities = root.resolve(database.name());
        for (String id : BUNDLED) {
            Files.createDirectories(personalities.resolve(id));
            Files.copy(
                    Path.of("..", "personalities", id, "persona.yaml"),
                    personalities.resolve(id).resolve("persona.yaml"));
        }
        host = TestHost.builder()
                .database(database)
                .yaml("personalities: {directory: '" + personalities + "', poll-millis: 100}")
                .yaml("server: {max-body-bytes: 65536}")
                .start();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
    }

    private static final String SAGE = """
            {"id": "sage", "name": "Sage", "description": "A wise friend.",
             "traits": {"warmth": {"value": 0.7, "evolvable": true, "min": 0.5}, "verbosity": 0.3},
             "systemPrompt": "You are {{char}}.", "greetings": ["Hello, {{user}}."],
             "examples": [[{"role": "user", "text": "Hi"}, {"role": "assistant", "text": "Hello."}]],
             "extensions": {"acme/colour": "teal", "nested": [1, {"a": null}]}}
            """;

    @Test
    void list_showsEveryBundledPersonality_withOwnerVersionAndTraits() {
        HttpResponse<String> response = host.http().get("/v1/personalities");

        assertThat(response.statusCode()).isEqualTo(200);
        List<Map<String, Object>> items = items(TestHttp.json(response));
        Map<String, Object> zen = items.stream()
                .filter(i -> i.get("id").equals("zen-engineer"))
                .findFirst()
                .orElseThrow();
        assertThat(zen)
                .containsEntry("name", "Zen Engineer")
                .containsEntry("version", 1)
                .containsEntry("source", "bundle");
        assertThat(zen.get("owner"))
                .isEqualTo(
                        Map.of("kind", "bundle", "file", personalities.getFileName() + "/zen-engineer/persona.yaml"));
        assertThat(zen.get("traits"))
                .isEqualTo(new PersonaCodec()
                        .load(personalities.resolve("zen-engineer"), "x")
                        .traits()
                        .values());
        assertThat(items)
                .extracting(i -> (String) i.get("id"))
                .containsAll(BUNDLED)
                .hasSizeGreaterThanOrEqualTo(12);
        assertThat(items)
                .filteredOn(item -> BUNDLED.contains(item.get("id")))
                .isNotEmpty()
                .allSatisfy(item -> assertThat((String) item.get("summary")).isNotBlank());
    }

    @Test
    void createGetReplaceVersionsDelete_roundTrip() {
        HttpResponse<String> created = host.http().post("/v1/personalities", SAGE);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/v1/personalities/sage");
        Map<String, Object> body = TestHttp.json(created);
        assertThat(body).containsEntry("id", "sage").containsEntry("version", 1).containsEntry("source", "api");
        assertThat(body.get("owner")).isEqualTo(Map.of("kind", "api"));
        @SuppressWarnings("unchecked")
        Map<String, Object> document = (Map<String, Object>) body.get("personality");
        assertThat(document)
                .containsEntry("systemPrompt", "You are {{char}}.")
                .containsEntry(
                        "extensions",
                        Map.of(
                                "acme/colour",
                                "teal",
                                "nested",
                                List.of(1, java.util.Collections.singletonMap("a", null))));

        assertThat(host.http().get("/v1/personalities/sage").body()).isEqualTo(created.body());

        HttpResponse<String> replaced =
                host.http().put("/v1/personalities/sage", SAGE.replace("A wise friend.", "Wiser."));
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(TestHttp.json(replaced)).containsEntry("version", 2);
        assertThat(TestHttp.json(host.http().put("/v1/personalities/sage", SAGE.replace("A wise friend.", "Wiser."))))
                .as("identical content makes no version")
                .containsEntry("version", 2);

        Map<String, Object> versions = TestHttp.json(host.http().get("/v1/personalities/sage/versions"));
        assertThat(versions).containsEntry("id", "sage").containsEntry("current", 2);
        assertThat(items(versions, "versions"))
                .extracting(v -> v.get("version"))
                .containsExactly(2, 1);
        assertThat(items(versions, "versions").get(0).get("traits")).isEqualTo(Map.of("warmth", 0.7, "verbosity", 0.3));
        assertThat(TestHttp.json(host.http().get("/v1/personalities/sage/versions/1")))
                .containsEntry("version", 1);

        assertThat(host.http().delete("/v1/personalities/sage").statusCode()).isEqualTo(204);
        assertProblem(host.http().get("/v1/personalities/sage"), 404, "personality 'sage'");
        assertProblem(host.http().delete("/v1/personalities/sage"), 404, "personality 'sage'");
    }

    @Test
    void create_fromYaml_isAccepted() {
        HttpResponse<String> created = host.http()
                .send(host.http()
                        .request("/v1/personalities")
                        .header("Content-Type", "application/yaml")
                        .POST(HttpRequest.BodyPublishers.ofString("name: Yaml Owl\nsystem-prompt: |\n  Hoot.\n")));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(TestHttp.json(created)).containsEntry("id", "yaml-owl");
    }

    @Test
    void create_withManyBadFields_is400ListingEveryOne_andStoresNothing() {
        int before = count();
        HttpResponse<String> response = host.http().post("/v1/personalities", """
                {"id": "bad", "name": "", "traits": {"warmth": 1.4, "humor": "lots"},
                 "examples": [[{"role": "bot", "text": "hi"}]], "colour": "red"}
                """);

        assertProblem(response, 400, "personality document has 5 problems");
        assertThat(problems(response))
                .containsExactly(
                        "request body: colour: is not a known field (known: "
                                + String.join(", ", PersonaReader.TOP_LEVEL) + "); put custom data under 'extensions'",
                        "request body: name: must not be blank",
                        "request body: traits.warmth: must be within [0, 1], got 1.4",
                        "request body: traits.humor: must be a number in [0, 1] or a mapping {value, evolvable, min, max}, "
                                + "got text 'lots'",
                        "request body: examples[0][0].role: must be 'user' or 'assistant', got 'bot'");
        assertThat(count()).isEqualTo(before);
        assertProblem(host.http().get("/v1/personalities/bad"), 404, "personality 'bad'");
    }

    @Test
    void create_withHostileOrBrokenBodies_is4xxAndStoresNothing() {
        int before = count();

        assertProblem(host.http().post("/v1/personalities", ""), 400, "the body must be a personality document");
        assertProblem(host.http().post("/v1/personalities", "{\"name\": \"Trunc"), 400, "malformed JSON");
        assertProblem(host.http().post("/v1/personalities", "[1, 2]"), 400, "");
        assertProblem(
                host.http().post("/v1/personalities", "{\"name\": 42}"), 400, "name: must be text, got the number 42");
        assertProblem(
                host.http()
                        .post(
                                "/v1/personalities",
                                "{\"name\": \"Deep\", \"extensions\": {\"x\": " + "[".repeat(500) + "]".repeat(500)
                                        + "}}"),
                400,
                "");
        assertProblem(host.http().post("/v1/personalities", "{\"name\": \"" + "x".repeat(70_000) + "\"}"), 413, "");
        assertProblem(
                host.http().post("/v1/personalities", "{\"name\": \"Pic\", \"avatar\": \"a.png\"}"),
                400,
                "avatar: names 'a.png' but no such file is beside the document");
        assertProblem(
                host.http().post("/v1/personalities", "{\"id\": \"../etc\", \"name\": \"X\"}"),
                400,
                "id: must be 1-64 lower-case letters");
        assertProblem(
                host.http().post("/v1/personalities", "application/json", new byte[] {
                    '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'
                }),
                400,
                "UTF-8");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void create_withAnIdABundleHolds_is409() {
        assertProblem(
                host.http().post("/v1/personalities", "{\"id\": \"zen-engineer\", \"name\": \"Impostor\"}"),
                409,
                "personality 'zen-engineer' already exists (owned by the bundle");
    }

    @Test
    void replaceOrDelete_aBundlePersonality_is409SayingWhatToDoInstead() {
        String file = personalities.getFileName() + "/zen-engineer/persona.yaml";

        assertProblem(
                host.http().put("/v1/personalities/zen-engineer", "{\"name\": \"Changed\"}"),
                409,
                "cannot replace personality 'zen-engineer': it comes from the bundle " + file + ", not the API; edit "
                        + file + " in the personalities directory instead");
        assertProblem(
                host.http().delete("/v1/personalities/zen-engineer"),
                409,
                "cannot delete personality 'zen-engineer': it comes from the bundle " + file + ", not the API; remove "
                        + file + " in the personalities directory instead");
        assertThat(TestHttp.json(host.http().get("/v1/personalities/zen-engineer")))
                .containsEntry("version", 1);
    }

    @Test
    void put_withAnotherIdInTheBody_is400() {
        host.http().post("/v1/personalities", "{\"id\": \"kestrel\", \"name\": \"Kestrel\"}");

        assertProblem(
                host.http().put("/v1/personalities/kestrel", "{\"id\": \"falcon\", \"name\": \"Falcon\"}"),
                400,
                "id: must match the id 'kestrel'");
        assertProblem(
                host.http().put("/v1/personalities/nobody", "{\"name\": \"Nobody\"}"), 404, "personality 'nobody'");
    }

    @Test
    void badPathValues_are400() {
        assertProblem(host.http().get("/v1/personalities/Not_An_Id"), 400, "personality id must be");
        assertProblem(host.http().get("/v1/personalities/zen-engineer/versions/0"), 400, "version must be a positive");
        assertProblem(host.http().get("/v1/personalities/zen-engineer/versions/99"), 404, "has no version 99");
    }

    @Test
    void userKey_canRead_butNotChange() {
        Map<String, Object> key = TestHttp.json(
                host.http().post("/v1/keys", "{\"name\":\"reader\",\"scopes\":[\"user\"],\"user\":\"reader\"}"));
        TestHttp reader = host.http().withKey((String) key.get("secret"));

        assertThat(reader.get("/v1/personalities").statusCode()).isEqualTo(200);
        assertProblem(reader.post("/v1/personalities", "{\"name\": \"Sneaky\"}"), 403, "admin");
        assertProblem(host.http().withKey(null).get("/v1/personalities"), 401, "");
    }

    @Test
    void bundleEditedWhileRunning_isPickedUp_andAnInvalidEditShowsItsProblems() throws Exception {
        Path file = personalities.resolve("security-guardian").resolve("persona.yaml");
        String original = Files.readString(file);
        try {
            Files.writeString(file, original.replace("name: Security Guardian", "name: Security Sentinel"));
            eventually(() -> TestHttp.json(host.http().get("/v1/personalities/security-guardian"))
                    .get("version")
                    .equals(2));

            Files.writeString(file, original.replace("  humor: 0.05", "  humor: 1.5"));
            eventually(() -> !((List<?>) TestHttp.json(host.http().get("/v1/personalities/security-guardian"))
                            .get("problems"))
                    .isEmpty());
            Map<String, Object> body = TestHttp.json(host.http().get("/v1/personalities/security-guardian"));
            assertThat(body).containsEntry("version", 2);
            assertThat(body.get("problems"))
                    .isEqualTo(List.of(personalities.getFileName()
                            + "/security-guardian/persona.yaml: traits.humor: must be within [0, 1], got 1.5"));
            assertThat((List<?>)
                            TestHttp.json(host.http().get("/v1/personalities")).get("problems"))
                    .hasSize(1);
        } finally {
            Files.writeString(file, original);
            eventually(() -> ((List<?>)
                            TestHttp.json(host.http().get("/v1/personalities")).get("problems"))
                    .isEmpty());
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detailPart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat((String) TestHttp.json(response).get("detail")).contains(detailPart);
    }

    @SuppressWarnings("unchecked")
    private static List<String> problems(HttpResponse<String> response) {
        return (List<String>) TestHttp.json(response).get("problems");
    }

    private static int count() {
        return items(TestHttp.json(host.http().get("/v1/personalities"))).size();
    }

    private static List<Map<String, Object>> items(Map<String, Object> body) {
        return items(body, "personalities");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> body, String key) {
        return (List<Map<String, Object>>) body.get(key);
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
