package dev.nexus.host.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact request a real model receives, for every bundled personality and a corpus of imported
 * characters (Character Card V1, V2 with a lorebook, V3 as JSON, PNG and CHARX, ElizaOS 0.x, 1.x, 2.x),
 * captured by the fake OpenAI server on a real host and compared with golden files in
 * {@code src/test/resources/golden/prompts/}. Every request must be free of unexpanded macros, open
 * with the personality's greeting and carry its example dialogue. The same corpus then chats one turn
 * with the offline model.
 *
 * <p>After an intended change to prompt assembly, regenerate the golden files and review the diff:
 * <pre>
 * ./mvnw -o -pl host -am verify -Dtest=PromptGoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Dnexus.golden.update=true
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class PromptGoldenTest {

    /** The backend this invocation runs on (both hosts use it). */
    @Parameter
    Database.Kind database;

    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "prompts");
    private static final Path CORPUS = Path.of("src", "test", "resources", "interchange");
    private static final boolean UPDATE = Boolean.getBoolean("nexus.golden.update");
    private static final Pattern LEFTOVER = Pattern.compile("\\{\\{|<bot>|<user>", Pattern.CASE_INSENSITIVE);

    /** One personality to talk to and what to say to it. */
    record Case(String name, String file, String type, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private FakeOpenAiServer fake;
    private TestHost remote;
    private TestHost offline;
    private Path personalities;

    @BeforeParameterizedClassInvocation
    void start(Database.Kind database) throws IOException {
        personalities = Files.createTempDirectory("nexus-golden-personalities-");
        try (Stream<Path> dirs = Files.list(Path.of("..", "personalities"))) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Files.createDirectories(personalities.resolve(dir.getFileName()));
                Files.copy(
                        dir.resolve("persona.yaml"),
                        personalities.resolve(dir.getFileName()).resolve("persona.yaml"));
            }
        }
        fake = FakeOpenAiServer.start().defaultReply("I hear you.");
        // A fixed World Info seed: lore with a probability below 100 draws the same in every run.
        remote = TestHost.builder()
                .database(database)
                .env("NEXUS_PERSONALITIES_DIR", personalities.toString())
                .env("NEXUS_KNOWLEDGE_WORLD_INFO_SEED", "1")
                .env("NEXUS_LLM_BASE_URL", fake.baseUrl())
                .env("NEXUS_LLM_API_KEY", "golden")
                .env("NEXUS_LLM_MODEL", "golden-model")
                .start();
        offline = TestHost.builder()
                .database(database)
                .env("NEXUS_PERSONALITIES_DIR", personalities.toString())
                .start();
        awaitEmbeddingModel(remote);
    }

    /**
     * Knowledge is injected only when it is similar enough to the message, and similarity needs the
     * embedding model, which loads on first use: wait for it, so the golden requests do not depend on
     * how fast it loaded.
     */
    private static void awaitEmbeddingModel(TestHost host) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            // A search asks for a vector, which starts the load; the stats say when it is done.
            host.http().get("/v1/memory/search?q=warm+up&user=nobody");
            if (Boolean.TRUE.equals(
                    TestHttp.json(host.http().get("/v1/memory/stats")).get("embeddingModelReady"))) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the embedding model did not load within 120 s");
    }

    @AfterParameterizedClassInvocation
    void stop() throws IOException {
        remote.close();
        offline.close();
        fake.close();
        try (Stream<Path> files = Files.walk(personalities)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    static List<Case> bundled() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of("..", "personalities"))) {
            return dirs.filter(Files::isDirectory)
                    .map(dir -> dir.getFileName().toString())
                    .sorted()
                    .map(id -> new Case(id, "", "", "Hello! What would you do about my deploy that keeps failing?"))
                    .toList();
        }
    }

    static List<Case> corpus() {
        return List.of(
                new Case("card-v1-old-tom", "v1-old-tom.json", "json", "Tell me a story about the sea."),
                new Case(
                        "card-v2-mirela",
                        "st-v2-mirela.json",
                        "json",
                        "Can you take me up the Lantern Steps to the lighthouse?"),
                new Case("card-v2-nessa-chub", "chub-v2-nessa.json", "json", "What are you carrying in that bag?"),
                new Case(
                        "card-v2-bram-empty-lore-keys",
                        "v2-bram-empty-keys.json",
                        "json",
                        "Is that lantern magic? And where is the glade?"),
                new Case("card-v3-kaito", "v3-kaito.json", "json", "Shall we go to the teahouse by the river?"),
                new Case("card-v3-kaito-png", "v3-kaito.json", "png", "Shall we go to the teahouse by the river?"),
                new Case("card-v3-kaito-charx", "v3-kaito.json", "charx", "Shall we go to the teahouse by the river?"),
                new Case("eliza-v0-quill", "eliza-v0-quill.json", "json", "Can you find a letter from 1893?"),
                new Case("eliza-v0-tessel", "eliza-v0-tessel.json", "json", "Tessel, what are our chances?"),
                new Case("eliza-v1-orin", "eliza-v1-orin.json", "json", "What do you know about the old roads?"),
                new Case("eliza-v2-vesper", "eliza-v2-vesper.json", "json", "What should I do tonight?"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundled")
    void bundledPersonality_sendsTheGoldenPrompt(Case c) {
        checkPrompt(c, c.name(), "ada");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void importedCharacter_sendsTheGoldenPrompt(Case c) {
        String id = importInto(remote, c);
        checkPrompt(c, id, "ada");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @SuppressWarnings("unchecked")
    void importedCharacter_chatsOneTurnWithTheOfflineModel(Case c) {
        String id = importInto(offline, c);

        HttpResponse<String> response = offline.http()
                .post("/v1/chat", Json.write(Map.of("personality", id, "user", "ada", "message", c.message())));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String reply = (String) ((Map<String, Object>) TestHttp.json(response).get("message")).get("content");
        assertThat(reply).isNotBlank();
        assertThat(LEFTOVER.matcher(reply).find())
                .as("macro left in the offline reply: " + reply)
                .isFalse();
    }

    @org.junit.jupiter.api.Test
    @SuppressWarnings("unchecked")
    void aCardWithEmptyAndInvalidLoreKeys_warnsAtImport_andStillRecallsItsValidLoreAndTheUsersMemories()
            throws IOException {
        HttpResponse<String> imported = remote.http()
                .post(
                        "/v1/personalities/import?id=bram-memories",
                        "application/json",
                        Files.readAllBytes(CORPUS.resolve("v2-bram-empty-keys.json")));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        assertThat((List<String>) TestHttp.json(imported).get("warnings"))
                .anySatisfy(w -> assertThat(w).contains("lore[0] 'glade'").contains("a key is empty"))
                .anySatisfy(w -> assertThat(w).contains("lore[1] 'orphan'").contains("never activates"))
                .anySatisfy(w -> assertThat(w).contains("'/([unclosed/' is not a valid regular expression"));
        assertThat((List<String>) TestHttp.json(remote.http().get("/v1/personalities/bram-memories"))
                        .get("warnings"))
                .anySatisfy(w -> assertThat(w).contains("lore[1] 'orphan'"));
        HttpResponse<String> fact = remote.http()
                .post(
                        "/v1/memory/facts",
                        "{\"user\":\"bea\",\"fact\":\"Bea is afraid of the dark and hates storms.\"}");
        assertThat(fact.statusCode()).as(fact.body()).isEqualTo(201);

        Map<String, Object> turn = TestHttp.json(
                remote.http()
                        .post(
                                "/v1/chat",
                                "{\"personality\":\"bram-memories\",\"user\":\"bea\",\"message\":\"Will the lantern keep the dark away during storms?\"}"));

        Map<String, Object> recalled =
                (Map<String, Object>) ((Map<String, Object>) turn.get("metadata")).get("recalled");
        assertThat((List<String>) recalled.get("memories")).isNotEmpty();
        assertThat((List<String>) recalled.get("knowledge")).contains("bram-memories/3");
        String system = (String) fake.lastRequest().messages().getFirst().get("content");
        assertThat(system)
                .contains("- Bram Ashgrove's lantern burns without oil")
                .contains("Bea is afraid of the dark")
                .doesNotContain("can never activate");
    }

    @SuppressWarnings("unchecked")
    private void checkPrompt(Case c, String id, String user) {
        int before = fake.requests().size();
        HttpResponse<String> response = remote.http()
                .post("/v1/chat", Json.write(Map.of("personality", id, "user", user, "message", c.message())));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<FakeOpenAiServer.Recorded> sent = fake.requests();
        assertThat(sent).hasSize(before + 1);
        FakeOpenAiServer.Recorded request = fake.lastRequest();
        String rendered = render(request);

        assertThat(LEFTOVER.matcher(rendered).find())
                .as("unexpanded macro in the request for " + c.name() + ":\n" + rendered)
                .isFalse();
        Map<String, Object> personality = (Map<String, Object>)
                TestHttp.json(remote.http().get("/v1/personalities/" + id)).get("personality");
        List<Map<String, Object>> messages = request.messages();
        if (!((List<?>) personality.getOrDefault("greetings", List.of())).isEmpty()) {
            int greeting = indexOf(messages, m -> "assistant".equals(m.get("role")) && !isExample(messages, m));
            int asked = indexOf(
                    messages, m -> "user".equals(m.get("role")) && c.message().equals(m.get("content")));
            assertThat(greeting)
                    .as("the greeting opens the conversation for " + c.name())
                    .isBetween(0, asked - 1);
        }
        if (!((List<?>) personality.getOrDefault("examples", List.of())).isEmpty()) {
            assertThat(messages)
                    .as("the example dialogue of " + c.name())
                    .anySatisfy(m ->
                            assertThat(String.valueOf(m.get("content"))).startsWith("Example dialogue showing how"));
        }
        compareWithGolden(c.name(), rendered);
    }

    private static boolean isExample(List<Map<String, Object>> messages, Map<String, Object> message) {
        int at = messages.indexOf(message);
        for (int i = at; i >= 0; i--) {
            String content = String.valueOf(messages.get(i).get("content"));
            if (content.equals(PromptComposer.EXAMPLES_END)) {
                return false;
            }
            if (content.startsWith("Example dialogue showing how")) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(
            List<Map<String, Object>> messages, java.util.function.Predicate<Map<String, Object>> test) {
        for (int i = 0; i < messages.size(); i++) {
            if (test.test(messages.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The request as reviewable text: the body's other fields sorted, then each message under its role. */
    private static String render(FakeOpenAiServer.Recorded request) {
        StringBuilder out = new StringBuilder("POST ").append(request.path()).append('\n');
        new TreeMap<>(request.body()).forEach((key, value) -> {
            if (!key.equals("messages")) {
                out.append(key).append(": ").append(Json.write(value)).append('\n');
            }
        });
        for (Map<String, Object> message : request.messages()) {
            out.append("\n--- ")
                    .append(message.get("role"))
                    .append('\n')
                    .append(message.get("content"))
                    .append('\n');
        }
        return out.toString();
    }

    private static void compareWithGolden(String name, String rendered) {
        Path file = GOLDEN.resolve(name + ".txt");
        try {
            if (UPDATE) {
                Files.createDirectories(GOLDEN);
                Files.writeString(file, rendered);
                return;
            }
            assertThat(file)
                    .as("golden file " + file + " is missing; regenerate with -Dnexus.golden.update=true")
                    .exists();
            assertThat(rendered)
                    .as(
                            "the request for " + name + " differs from " + file
                                    + "; if the change is intended, regenerate with -Dnexus.golden.update=true and review the diff")
                    .isEqualTo(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static String importInto(TestHost host, Case c) {
        byte[] json;
        try {
            json = Files.readAllBytes(CORPUS.resolve(c.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String id = c.name();
        HttpResponse<String> response = switch (c.type()) {
            case "png" -> host.http().post("/v1/personalities/import?id=" + id, "image/png", png(json));
            case "charx" -> host.http().post("/v1/personalities/import?id=" + id, "application/zip", charx(json));
            default -> host.http().post("/v1/personalities/import?id=" + id, "application/json", json);
        };
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return (String) TestHttp.json(response).get("id");
    }

    /** A 1×1 PNG carrying {@code json} in a {@code ccv3} chunk. */
    private static byte[] png(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", new byte[] {0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0});
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01});
        byte[] text = ("ccv3\0" + Base64.getEncoder().encodeToString(json)).getBytes(StandardCharsets.ISO_8859_1);
        chunk(out, "tEXt", text);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(
                java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] charx(byte[] json) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("card.json"));
            zip.write(json);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
