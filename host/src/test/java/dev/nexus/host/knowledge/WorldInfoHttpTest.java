package dev.nexus.host.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * World Info end to end through HTTP, on both databases: a SillyTavern-style card (every entry
 * {@code use_regex: true}) with an empty key, an invalid regex, a decorator, text booleans and an
 * {@code @depth} position imports with warnings, its other entries activate with their reasons in the
 * reply's metadata, a regenerate-only entry fires on a regeneration, and a sticky entry stays sticky
 * on another host on the same PostgreSQL database and after the host restarts.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class WorldInfoHttpTest {

    @Parameter
    Database.Kind database;

    @TempDir
    Path data;

    @TempDir
    Path otherData;

    @Test
    @SuppressWarnings("unchecked")
    void aSillyTavernCard_activatesItsGoodEntries_explainsWhy_andKeepsStickyAcrossARestart() throws IOException {
        String conversation;
        try (TestHost host = TestHost.builder().database(database).dataDir(data).start()) {
            HttpResponse<String> imported =
                    host.http().post("/v1/personalities/import?id=ilse", "application/json", card());
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
            List<String> warnings = (List<String>) TestHttp.json(imported).get("warnings");
            assertThat(warnings)
                    .anySatisfy(w -> assertThat(w).contains("a key is empty"))
                    .anySatisfy(w -> assertThat(w)
                            .contains("'/([unclosed/' is not a valid regular expression")
                            .contains("matched as plain text"))
                    .anySatisfy(w -> assertThat(w)
                            .contains("constant' is the string \"false\"")
                            .contains("read as false"))
                    .noneSatisfy(w -> assertThat(w).contains("imported disabled"));
            assertThat((List<String>) TestHttp.json(host.http().get("/v1/personalities/ilse"))
                            .get("warnings"))
                    .anySatisfy(w -> assertThat(w).contains("position @depth 2 as user is kept"))
                    .anySatisfy(w -> assertThat(w).contains("decorator @@depth is kept"));

            Map<String, Object> first = TestHttp.json(
                    host.http()
                            .post(
                                    "/v1/chat",
                                    "{\"personality\":\"ilse\",\"user\":\"ada\",\"message\":\"Tell me about the tower and the superhero.\"}"));
            conversation = (String) first.get("conversation");
            Map<String, Object> metadata = (Map<String, Object>) first.get("metadata");
            List<String> knowledge = (List<String>) ((Map<String, Object>) metadata.get("recalled")).get("knowledge");
            assertThat(knowledge)
                    .as("the good entries fire; the regenerate-only one and whole-word 'hero' do not")
                    .contains("ilse/3", "ilse/4", "ilse/7", "ilse/8", "ilse/9")
                    .doesNotContain("ilse/1", "ilse/2", "ilse/6", "ilse/10");
            Map<String, Object> worldInfo = (Map<String, Object>) metadata.get("worldInfo");
            assertThat(worldInfo).containsKey("seed").containsEntry("kind", "normal");
            assertThat((List<Map<String, Object>>) worldInfo.get("fired"))
                    .anySatisfy(f -> assertThat(f)
                            .containsEntry("id", "ilse/3")
                            .containsEntry("reason", "key")
                            .containsEntry("detail", "tower"))
                    .anySatisfy(f -> assertThat(f).containsEntry("id", "ilse/7").containsEntry("reason", "decorator"));
            assertThat((List<Map<String, Object>>) worldInfo.get("skipped"))
                    .anySatisfy(s -> assertThat(s).containsEntry("id", "ilse/6").containsEntry("reason", "trigger"));

            String reply = (String) ((Map<String, Object>) first.get("message")).get("id");
            HttpResponse<String> regenerated = host.http().post("/v1/messages/" + reply + "/regenerate", "");
            assertThat(regenerated.statusCode()).as(regenerated.body()).isEqualTo(201);
            Map<String, Object> again = (Map<String, Object>)
                    ((Map<String, Object>) TestHttp.json(regenerated).get("metadata")).get("worldInfo");
            assertThat(again).containsEntry("kind", "regenerate");
            assertThat(again.get("seed")).as("a regeneration draws anew").isNotEqualTo(worldInfo.get("seed"));
            assertThat((List<Map<String, Object>>) again.get("fired"))
                    .anySatisfy(f -> assertThat(f).containsEntry("id", "ilse/6"));

            Map<String, Object> comet = chat(
                    host,
                    "{\"personality\":\"ilse\",\"user\":\"ada\"," + "\"conversation\":\"" + conversation
                            + "\",\"message\":\"Look, a comet, Ilse of the Tower!\"}");
            assertThat(fired(comet))
                    .anySatisfy(f -> assertThat(f).containsEntry("id", "ilse/5").containsEntry("reason", "key"))
                    .as("{{char}} in a key is the personality's name")
                    .anySatisfy(f -> assertThat(f)
                            .containsEntry("id", "ilse/11")
                            .containsEntry(
                                    "detail",
                                    "ilse of the tower")); // the matched key, lower-cased (not case-sensitive)

            if (database == Database.Kind.POSTGRESQL) {
                // A second host on the same database (a cluster) reads the conversation's timed effects from it.
                // It shares the vault's key, as hosts of one cluster do.
                java.nio.file.Files.copy(data.resolve("vault.key"), otherData.resolve("vault.key"));
                try (TestHost other = TestHost.builder()
                        .database(host.jdbcUrl())
                        .dataDir(otherData)
                        .start()) {
                    Map<String, Object> elsewhere = chat(
                            other,
                            "{\"personality\":\"ilse\",\"user\":\"ada\"," + "\"conversation\":\"" + conversation
                                    + "\",\"message\":\"Anything overhead?\"}");
                    assertThat(fired(elsewhere))
                            .as("sticky on another host")
                            .anySatisfy(f ->
                                    assertThat(f).containsEntry("id", "ilse/5").containsEntry("reason", "sticky"));
                }
            }
        }

        try (TestHost restarted =
                TestHost.builder().database(database).dataDir(data).start()) {
            Map<String, Object> later = chat(
                    restarted,
                    "{\"personality\":\"ilse\",\"user\":\"ada\"," + "\"conversation\":\"" + conversation
                            + "\",\"message\":\"And now?\"}");
            assertThat(fired(later))
                    .as("sticky 5 messages: still active two messages later, after a restart")
                    .anySatisfy(f -> assertThat(f).containsEntry("id", "ilse/5").containsEntry("reason", "sticky"))
                    .as("a keyless @@activate entry loads again after a restart")
                    .anySatisfy(f -> assertThat(f).containsEntry("id", "ilse/7").containsEntry("reason", "decorator"));
        }
    }

    /**
     * Issue 12: one content limit on every path (card, World Info lorebook, native pack, persona
     * document). An entry far above the old thresholds (refused over 20,000 characters by one path,
     * never activated from about 12,000 by another) activates end to end: the model receives its
     * beginning, cut to the budget and marked truncated; one over the limit is refused naming it. Entries
     * without an id each get their own id, the same after a restart.
     */
    @Test
    @SuppressWarnings("unchecked")
    void longLoreEntries_activateOnEveryPath_cutNeverDropped_andEntriesWithoutIdsKeepTheirOwnIds() {
        String head = "The archive opens with the charter. ";
        String tail = "The archive closes with the seal.";
        String longText = head + "Row upon row of ledgers line the archive walls. ".repeat(1_200) + tail;
        assertThat(longText.length()).isBetween(50_000, LOREMAX);
        String tooLong = "x".repeat(LOREMAX + 1);
        List<String> ids;
        try (FakeOpenAiServer model = FakeOpenAiServer.start().defaultReply("Noted.")) {
            TestHost.Builder builder = TestHost.builder()
                    .database(database)
                    .dataDir(data)
                    .env("NEXUS_LLM_BASE_URL", model.baseUrl())
                    .env("NEXUS_LLM_API_KEY", "test")
                    .env("NEXUS_LLM_MODEL", "test-model");
            try (TestHost host = builder.start()) {
                // A SillyTavern V2 card whose entries have no id.
                HttpResponse<String> card = host.http()
                        .post(
                                "/v1/personalities/import?id=archivist",
                                "application/json",
                                Json.write(archivistCard(longText)).getBytes(StandardCharsets.UTF_8));
                assertThat(card.statusCode()).as(card.body()).isEqualTo(201);
                Map<String, Object> turn = chat(
                        host,
                        "{\"personality\":\"archivist\",\"user\":\"ada\","
                                + "\"message\":\"Open the ledger, please.\"}");
                assertLongEntryReachedTheModel(model, fired(turn), "archivist/", head, tail);

                Map<String, Object> quills = chat(
                        host,
                        "{\"personality\":\"archivist\",\"user\":\"ada\"," + "\"message\":\"Where is my quill?\"}");
                ids = fired(quills).stream()
                        .map(f -> (String) f.get("id"))
                        .filter(id -> id.startsWith("archivist/entry-"))
                        .toList();
                assertThat(ids)
                        .as("two entries without an id, one key: each has its own id")
                        .hasSize(2)
                        .doesNotHaveDuplicates();
                assertThat((List<String>)
                                ((Map<String, Object>) ((Map<String, Object>) quills.get("metadata")).get("recalled"))
                                        .get("knowledge"))
                        .containsAll(ids);

                Map<String, Object> tooLongCard = archivistCard(tooLong);
                assertProblem(
                        host.http()
                                .post(
                                        "/v1/personalities/import?id=toolong",
                                        "application/json",
                                        Json.write(tooLongCard).getBytes(StandardCharsets.UTF_8)),
                        "lore entry limit of " + LOREMAX);

                // A World Info file imported as a pack.
                HttpResponse<String> book = host.http()
                        .post(
                                "/v1/knowledge/lorebooks?id=annals&name=annals.json",
                                "application/json",
                                Json.write(worldInfo("annals", longText)).getBytes(StandardCharsets.UTF_8));
                assertThat(book.statusCode()).as(book.body()).isEqualTo(201);
                assertLongEntryReachedTheModel(
                        model,
                        fired(chat(
                                host,
                                "{\"personality\":\"archivist\",\"user\":\"bo\","
                                        + "\"message\":\"Read me the annals.\"}")),
                        "annals/",
                        head,
                        tail);
                assertProblem(
                        host.http()
                                .post(
                                        "/v1/knowledge/lorebooks?id=annals2&name=annals2.json",
                                        "application/json",
                                        Json.write(worldInfo("annals", tooLong)).getBytes(StandardCharsets.UTF_8)),
                        "lore entry limit of " + LOREMAX);

                // A native knowledge pack.
                HttpResponse<String> pack = host.http().post("/v1/knowledge/packs", nativePack("chronicle", longText));
                assertThat(pack.statusCode()).as(pack.body()).isEqualTo(201);
                assertLongEntryReachedTheModel(
                        model,
                        fired(chat(
                                host,
                                "{\"personality\":\"archivist\",\"user\":\"cy\","
                                        + "\"message\":\"And the chronicle?\"}")),
                        "chronicle/",
                        head,
                        tail);
                assertProblem(
                        host.http().post("/v1/knowledge/packs", nativePack("chronicle2", tooLong)),
                        "1-" + LOREMAX + " characters (the lore entry limit)");

                // A persona document.
                HttpResponse<String> persona = host.http()
                        .post(
                                "/v1/personalities",
                                Json.write(Map.of(
                                        "id",
                                        "scribe",
                                        "name",
                                        "Scribe",
                                        "lore",
                                        List.of(Map.of("keys", List.of("scroll"), "content", longText)))));
                assertThat(persona.statusCode()).as(persona.body()).isEqualTo(201);
                assertLongEntryReachedTheModel(
                        model,
                        fired(chat(
                                host,
                                "{\"personality\":\"scribe\",\"user\":\"ada\","
                                        + "\"message\":\"Unroll the scroll.\"}")),
                        "scribe/",
                        head,
                        tail);
                assertProblem(
                        host.http()
                                .post(
                                        "/v1/personalities",
                                        Json.write(Map.of(
                                                "id",
                                                "scribe2",
                                                "name",
                                                "Scribe Two",
                                                "lore",
                                                List.of(Map.of("keys", List.of("scroll"), "content", tooLong))))),
                        String.valueOf(LOREMAX));
            }
            try (TestHost restarted = builder.start()) {
                Map<String, Object> quills = chat(
                        restarted,
                        "{\"personality\":\"archivist\",\"user\":\"ada\"," + "\"message\":\"Where is my quill now?\"}");
                assertThat(fired(quills).stream()
                                .map(f -> (String) f.get("id"))
                                .filter(id -> id.startsWith("archivist/entry-")))
                        .as("the same ids after a restart")
                        .containsExactlyInAnyOrderElementsOf(ids);
            }
        }
    }

    private static final int LOREMAX = dev.nexus.host.persona.LoreCheck.MAX_CONTENT_CHARS;

    private static void assertLongEntryReachedTheModel(
            FakeOpenAiServer model, List<Map<String, Object>> fired, String book, String head, String tail) {
        assertThat(fired)
                .as("the long entry fired, cut to the budget and saying so")
                .anySatisfy(f -> assertThat(f)
                        .containsEntry("truncated", true)
                        .containsEntry("reason", "key")
                        .hasEntrySatisfying("id", id -> assertThat((String) id).startsWith(book)));
        String prompt = model.lastRequest().messages().stream()
                .map(m -> String.valueOf(m.get("content")))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(prompt).contains(head.strip()).doesNotContain(tail);
    }

    private static void assertProblem(HttpResponse<String> response, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains(detail);
    }

    private static Map<String, Object> archivistCard(String ledger) {
        List<Map<String, Object>> entries = List.of(
                Map.of(
                        "keys",
                        List.of("ledger"),
                        "content",
                        ledger,
                        "enabled",
                        true,
                        "insertion_order",
                        100,
                        "extensions",
                        Map.of()),
                Map.of(
                        "keys",
                        List.of("quill"),
                        "content",
                        "A quill scratches in the dark.",
                        "enabled",
                        true,
                        "insertion_order",
                        100,
                        "extensions",
                        Map.of()),
                Map.of(
                        "keys",
                        List.of("quill"),
                        "content",
                        "Ink is precious in the archive.",
                        "enabled",
                        true,
                        "insertion_order",
                        100,
                        "extensions",
                        Map.of()));
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("name", "The Archivist");
        data.put("description", "{{char}} keeps the archive.");
        data.put("personality", "patient");
        data.put("scenario", "a quiet archive");
        data.put("first_mes", "Welcome, {{user}}.");
        data.put("mes_example", "");
        data.put("creator_notes", "");
        data.put("system_prompt", "");
        data.put("post_history_instructions", "");
        data.put("alternate_greetings", List.of());
        data.put("tags", List.of());
        data.put("creator", "test");
        data.put("character_version", "1");
        data.put("extensions", Map.of());
        data.put("character_book", Map.of("name", "Archive", "extensions", Map.of(), "entries", entries));
        return Map.of("spec", "chara_card_v2", "spec_version", "2.0", "data", data);
    }

    /** A World Info file as SillyTavern writes it (entries by uid, {@code key}, {@code disable}, {@code order}). */
    private static Map<String, Object> worldInfo(String key, String content) {
        Map<String, Object> entry = new java.util.LinkedHashMap<>();
        entry.put("uid", 0);
        entry.put("key", List.of(key));
        entry.put("keysecondary", List.of());
        entry.put("comment", "Annals");
        entry.put("content", content);
        entry.put("constant", false);
        entry.put("selective", true);
        entry.put("selectiveLogic", 0);
        entry.put("order", 100);
        entry.put("position", 0);
        entry.put("disable", false);
        entry.put("probability", 100);
        entry.put("useProbability", true);
        entry.put("depth", 4);
        entry.put("group", "");
        entry.put("scanDepth", null); // SillyTavern writes null for "the book's"
        return Map.of("entries", Map.of("0", entry));
    }

    private static String nativePack(String id, String content) {
        return Json.write(Map.of(
                "id",
                id,
                "name",
                "Chronicle",
                "entries",
                List.of(Map.of("keys", List.of("chronicle"), "content", content))));
    }

    private static Map<String, Object> chat(TestHost host, String body) {
        HttpResponse<String> response = host.http().post("/v1/chat", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> fired(Map<String, Object> turn) {
        Map<String, Object> metadata = (Map<String, Object>) turn.get("metadata");
        assertThat(metadata).as("reply metadata").containsKey("worldInfo");
        return (List<Map<String, Object>>) ((Map<String, Object>) metadata.get("worldInfo")).get("fired");
    }

    private static byte[] card() throws IOException {
        try (InputStream in = WorldInfoHttpTest.class.getResourceAsStream("/worldinfo/card-tower.json")) {
            return in.readAllBytes();
        }
    }
}
