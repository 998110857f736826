package dev.nexus.host.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
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
 * after the host restarts.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class WorldInfoHttpTest {

    @Parameter
    Database.Kind database;

    @TempDir
    Path data;

    @Test
    @SuppressWarnings("unchecked")
    void aSillyTavernCard_activatesItsGoodEntries_explainsWhy_andKeepsStickyAcrossARestart() throws IOException {
        String conversation;
        try (TestHost host = TestHost.builder().database(database).dataDir(data).start()) {
            HttpResponse<String> imported = host.http().post("/v1/personalities/import?id=ilse", "application/json", card());
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
            List<String> warnings = (List<String>) TestHttp.json(imported).get("warnings");
            assertThat(warnings)
                    .anySatisfy(w -> assertThat(w).contains("a key is empty"))
                    .anySatisfy(w -> assertThat(w).contains("'/([unclosed/' is not a valid regular expression")
                            .contains("matched as plain text"))
                    .anySatisfy(w -> assertThat(w).contains("constant' is the string \"false\"").contains("read as false"))
                    .noneSatisfy(w -> assertThat(w).contains("imported disabled"));
            assertThat((List<String>) TestHttp.json(host.http().get("/v1/personalities/ilse")).get("warnings"))
                    .anySatisfy(w -> assertThat(w).contains("position @depth 2 as user is kept"))
                    .anySatisfy(w -> assertThat(w).contains("decorator @@depth is kept"));

            Map<String, Object> first = TestHttp.json(host.http().post("/v1/chat",
                    "{\"personality\":\"ilse\",\"user\":\"ada\",\"message\":\"Tell me about the tower and the superhero.\"}"));
            conversation = (String) first.get("conversation");
            Map<String, Object> metadata = (Map<String, Object>) first.get("metadata");
            List<String> knowledge = (List<String>) ((Map<String, Object>) metadata.get("recalled")).get("knowledge");
            assertThat(knowledge).as("the good entries fire; the regenerate-only one and whole-word 'hero' do not")
                    .contains("ilse/3", "ilse/4", "ilse/7", "ilse/8", "ilse/9")
                    .doesNotContain("ilse/1", "ilse/2", "ilse/6", "ilse/10");
            Map<String, Object> worldInfo = (Map<String, Object>) metadata.get("worldInfo");
            assertThat(worldInfo).containsKey("seed").containsEntry("kind", "normal");
            assertThat((List<Map<String, Object>>) worldInfo.get("fired"))
                    .anySatisfy(f -> assertThat(f).containsEntry("id", "ilse/3").containsEntry("reason", "key")
                            .containsEntry("detail", "tower"))
                    .anySatisfy(f -> assertThat(f).containsEntry("id", "ilse/7").containsEntry("reason", "decorator"));
            assertThat((List<Map<String, Object>>) worldInfo.get("skipped"))
                    .anySatisfy(s -> assertThat(s).containsEntry("id", "ilse/6").containsEntry("reason", "trigger"));

            String reply = (String) ((Map<String, Object>) first.get("message")).get("id");
            HttpResponse<String> regenerated = host.http().post("/v1/messages/" + reply + "/regenerate", "");
            assertThat(regenerated.statusCode()).as(regenerated.body()).isEqualTo(201);
            Map<String, Object> again = (Map<String, Object>) ((Map<String, Object>) TestHttp.json(regenerated).get("metadata"))
                    .get("worldInfo");
            assertThat(again).containsEntry("kind", "regenerate");
            assertThat(again.get("seed")).as("a regeneration draws anew").isNotEqualTo(worldInfo.get("seed"));
            assertThat((List<Map<String, Object>>) again.get("fired"))
                    .anySatisfy(f -> assertThat(f).containsEntry("id", "ilse/6"));

            Map<String, Object> comet = chat(host, "{\"personality\":\"ilse\",\"user\":\"ada\","
                    + "\"conversation\":\"" + conversation + "\",\"message\":\"Look, a comet, Ilse of the Tower!\"}");
            assertThat(fired(comet)).anySatisfy(f -> assertThat(f).containsEntry("id", "ilse/5").containsEntry("reason", "key"))
                    .as("{{char}} in a key is the personality's name")
                    .anySatisfy(f -> assertThat(f).containsEntry("id", "ilse/11").containsEntry("detail", "ilse of the tower")); // the matched key, lower-cased (not case-sensitive)
        }

        try (TestHost restarted = TestHost.builder().database(database).dataDir(data).start()) {
            Map<String, Object> later = chat(restarted, "{\"personality\":\"ilse\",\"user\":\"ada\","
                    + "\"conversation\":\"" + conversation + "\",\"message\":\"And now?\"}");
            assertThat(fired(later)).as("sticky 5 messages: still active two messages later, after a restart")
                    .anySatisfy(f -> assertThat(f).containsEntry("id", "ilse/5").containsEntry("reason", "sticky"));
        }
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
