package dev.nexus.host.interchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.host.ConflictException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Scope;
import dev.nexus.host.db.Database;
import dev.nexus.host.http.HttpServer;
import dev.nexus.host.http.ServerConfig;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityVersion;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import dev.nexus.host.testing.TestHttp;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The import and export endpoints on a real HTTP server, with a real avatar store and a small in-memory registry. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass
@MethodSource(TestDatabases.KINDS)
class InterchangeRoutesTest {

    @Parameter
    Database.Kind database;

    private static final String ADMIN = "admin-secret";
    private static final String USER = "user-secret";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final Map<PersonalityId, PersonalityVersion> registry = new ConcurrentHashMap<>();
    private final List<KnowledgePack> packs = new CopyOnWriteArrayList<>();
    private TestDatabase db;
    private AvatarStore avatars;
    private HttpServer server;
    private TestHttp http;

    @BeforeEach
    void clear() {
        registry.keySet().forEach(avatars::delete);
        registry.clear();
        packs.clear();
    }

    @BeforeParameterizedClassInvocation
    void start(Database.Kind kind) throws Exception {
        db = TestDatabases.of(kind);
        avatars = new AvatarStore(db.database(), CLOCK);
        InterchangeRoutes routes = new InterchangeRoutes(
                new Interchange(Fixtures.LIMITS),
                id -> Optional.ofNullable(registry.get(id)),
                this::create,
                avatars,
                packs::add);
        server = HttpServer.start(
                new ServerConfig(
                        "127.0.0.1",
                        0,
                        java.nio.file.Files.createTempDirectory("nx").toString(),
                        32L << 20),
                secret -> switch (secret) {
                    case ADMIN -> new Caller("k1", "admin", Set.of(Scope.ADMIN));
                    case USER -> new Caller("k2", "user", Set.of(Scope.USER));
                    default -> throw dev.nexus.host.AccessDeniedException.unauthenticated("unknown key");
                },
                routes.routes());
        http = new TestHttp(server.baseUri(), ADMIN);
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
        db.close();
    }

    private PersonalityVersion create(Personality personality) {
        PersonalityVersion version = new PersonalityVersion(personality, 1, "import", CLOCK.instant());
        if (registry.putIfAbsent(personality.id(), version) != null) {
            throw new ConflictException("personality '" + personality.id() + "' exists");
        }
        return version;
    }

    private HttpResponse<byte[]> export(String id, String format) {
        return http.sendBytes(http.request("/v1/personalities/" + id + "/export?format=" + format)
                .GET());
    }

    @Test
    void importRawPng_creates201WithIdAndStoresTheAvatar() {
        byte[] png = Fixtures.png(
                Fixtures.textChunk("Software", "TestPaint"),
                Fixtures.cardChunk("chara", Fixtures.resource("st-v2-mirela.json")));

        HttpResponse<String> response = http.post("/v1/personalities/import", "image/png", png);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(TestHttp.json(response))
                .containsEntry("id", "mirela-voss")
                .containsEntry("version", 1)
                .containsEntry("format", "png")
                .containsEntry("avatar", true);
        assertThat(response.headers().firstValue("Location")).contains("/v1/personalities/mirela-voss");
        assertThat(avatars.find(PersonalityId.of("mirela-voss"))).isPresent();
    }

    @Test
    void exportPng_ofImportedPng_embedsTheCardInTheOriginalImage() {
        byte[] png = Fixtures.png(
                Fixtures.textChunk("Software", "TestPaint"),
                Fixtures.cardChunk("ccv3", Fixtures.resource("v3-kaito.json")));
        http.post("/v1/personalities/import", "image/png", png);

        HttpResponse<byte[]> response = export("kaito-aranami", "png");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(d -> assertThat(d).startsWith("attachment; filename=\"kaito-aranami.png\""));
        assertThat(new String(response.body(), StandardCharsets.ISO_8859_1)).contains("TestPaint");
        Imported again = new Interchange(Fixtures.LIMITS).importBytes(response.body(), "again.png");
        assertThat(again.personality())
                .isEqualTo(registry.get(PersonalityId.of("kaito-aranami")).personality());
    }

    @Test
    void importMultipart_readsTheFilePart() {
        String boundary = "----nexus-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                        + "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"orin.json\"\r\n"
                        + "Content-Type: application/json\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Fixtures.resource("eliza-v1-orin.json"));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response =
                http.post("/v1/personalities/import", "multipart/form-data; boundary=" + boundary, body.toByteArray());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(TestHttp.json(response))
                .containsEntry("id", "orin")
                .containsEntry("format", "eliza_v1")
                .containsEntry("knowledgePacks", List.of("orin-knowledge"));
        assertThat(packs).extracting(KnowledgePack::id).containsExactly("orin-knowledge");
    }

    @Test
    void importWithIdParameter_usesThatId() {
        HttpResponse<String> response =
                http.post("/v1/personalities/import?id=tom", "application/json", Fixtures.resource("v1-old-tom.json"));

        assertThat(TestHttp.json(response)).containsEntry("id", "tom");
        assertThat(registry).containsOnlyKeys(PersonalityId.of("tom"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void importOfNonLatinNames_givesTransliteratedUniqueIds_neverA409ForAnIdWeChose() {
        byte[] first = Fixtures.utf8("{\"name\": \"港語\", \"description\": \"a trader\", \"first_mes\": \"Hello\"}");
        byte[] second = Fixtures.utf8("{\"name\": \"港語\", \"description\": \"another trader\", \"first_mes\": \"Hi\"}");
        byte[] korean = Fixtures.utf8("{\"name\": \"김민수\", \"description\": \"a student\", \"first_mes\": \"Hi\"}");

        HttpResponse<String> a = http.post("/v1/personalities/import", "application/json", first);
        HttpResponse<String> b = http.post("/v1/personalities/import", "application/json", second);
        HttpResponse<String> c = http.post("/v1/personalities/import", "application/json", korean);

        assertThat(List.of(a.statusCode(), b.statusCode(), c.statusCode())).containsOnly(201);
        assertThat(TestHttp.json(a)).containsEntry("id", "gang-yu");
        assertThat(TestHttp.json(b)).containsEntry("id", "gang-yu-2");
        assertThat((List<String>) TestHttp.json(b).get("warnings"))
                .anySatisfy(w -> assertThat(w).contains("the id 'gang-yu' is taken; imported as 'gang-yu-2'"));
        assertThat(TestHttp.json(c)).containsEntry("id", "gimminsu");
        assertThat(PersonalityId.slug("🌊⚓"))
                .isEqualTo(PersonalityId.slug("🌊⚓"))
                .isNotEqualTo(PersonalityId.slug("⚓🌊"));
        assertThat(PersonalityId.slug("🌊⚓").value()).matches("personality-[0-9a-f]{8}");
        assertThat(PersonalityId.slug("Zen Engineer!").value()).isEqualTo("zen-engineer");
        assertThat(PersonalityId.slug("Zoë Ångström").value()).isEqualTo("zoe-angstrom");
    }

    @Test
    void importOfBrokenFile_is400NamingTheProblemAndStoresNothing() {
        byte[] png = Fixtures.png(Fixtures.cardChunk("chara", Fixtures.resource("v1-old-tom.json")));
        png[png.length - 15] ^= 1;

        HttpResponse<String> response = http.post("/v1/personalities/import", "image/png", png);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat((String) TestHttp.json(response).get("detail")).contains("wrong CRC");
        assertThat(registry).isEmpty();
        assertThat(avatars.find(PersonalityId.of("old-tom"))).isEmpty();
    }

    @Test
    void importAgain_getsTheNextFreeId_butAnIdAskedForThatIsTaken_is409AndKeepsTheStoredOne() {
        http.post("/v1/personalities/import", "application/json", Fixtures.resource("v1-old-tom.json"));
        Personality before = registry.get(PersonalityId.of("old-tom")).personality();

        HttpResponse<String> again =
                http.post("/v1/personalities/import", "application/json", Fixtures.resource("v1-old-tom.json"));
        HttpResponse<String> asked = http.post(
                "/v1/personalities/import?id=old-tom", "application/json", Fixtures.resource("v1-old-tom.json"));

        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(TestHttp.json(again)).containsEntry("id", "old-tom-2");
        assertThat(asked.statusCode()).isEqualTo(409);
        assertThat(registry.get(PersonalityId.of("old-tom")).personality()).isSameAs(before);
    }

    @Test
    void importByAUserKey_isForbidden() {
        HttpResponse<String> response = http.withKey(USER)
                .post("/v1/personalities/import", "application/json", Fixtures.resource("v1-old-tom.json"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(registry).isEmpty();
    }

    @Test
    void export_inEveryFormat_hasTheRightContentTypeAndFileName() {
        http.post("/v1/personalities/import", "application/json", Fixtures.resource("v3-kaito.json"));

        Map<String, String> expected = Map.of(
                "native",
                "application/yaml",
                "ccv2",
                "application/json",
                "ccv3",
                "application/json",
                "png",
                "image/png",
                "charx",
                "application/zip");
        Map<String, String> names = Map.of(
                "native",
                "kaito-aranami.persona.yaml",
                "ccv2",
                "kaito-aranami.ccv2.json",
                "ccv3",
                "kaito-aranami.ccv3.json",
                "png",
                "kaito-aranami.png",
                "charx",
                "kaito-aranami.charx");
        expected.forEach((format, type) -> {
            HttpResponse<byte[]> response = export("kaito-aranami", format);
            assertThat(response.statusCode()).as(format).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .as(format)
                    .hasValueSatisfying(t -> assertThat(t).startsWith(type));
            assertThat(response.headers().firstValue("Content-Disposition"))
                    .as(format)
                    .hasValueSatisfying(d -> assertThat(d).contains("filename=\"" + names.get(format) + "\""));
        });
        assertThat(export("kaito-aranami", "ccv2").headers().firstValue("Nexus-Export-Warnings"))
                .hasValueSatisfying(w -> assertThat(w).contains("V2 cards have no"));
    }

    @Test
    void export_ofUnknownIdOrFormat_isANamedError() {
        http.post("/v1/personalities/import", "application/json", Fixtures.resource("v1-old-tom.json"));

        assertThat(export("nobody", "png").statusCode()).isEqualTo(404);
        HttpResponse<String> bad = http.get("/v1/personalities/old-tom/export?format=docx");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat((String) TestHttp.json(bad).get("detail")).contains("'docx' is not known", "ccv3");
    }

    @Test
    void contentDisposition_escapesNonAsciiNames() {
        assertThat(InterchangeRoutes.contentDisposition("café card.png"))
                .isEqualTo("attachment; filename=\"caf__card.png\"; filename*=UTF-8''caf%C3%A9%20card.png");
    }
}
