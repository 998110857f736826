package dev.nexus.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resources that exist before the malformed requests are sent, so a route's path names something
 * real and its body is what gets judged: a personality with two versions, a pending rollback
 * proposal, a knowledge pack, and alice's conversation, message and fact.
 */
final class Fixtures {

    private static final String PERSONA = """
            {"id": "fuzz", "name": "Fuzz", "description": "A personality malformed requests are aimed at.",
             "greetings": ["Hello."]}""";

    private Fixtures() {}

    @SuppressWarnings("unchecked")
    static Map<String, String> create(TestHost host) {
        TestHttp admin = host.http();
        Map<String, String> ids = new LinkedHashMap<>();
        expect(admin.post("/v1/personalities", PERSONA), 201);
        expect(admin.put("/v1/personalities/fuzz", PERSONA.replace("A personality", "Still a personality")), 200);
        ids.put("personality", "fuzz");
        Map<String, Object> proposal = TestHttp.json(expect(
                admin.post(
                        "/v1/proposals",
                        "{\"kind\":\"rollback\",\"personality\":\"fuzz\",\"version\":1,\"reason\":\"a target for malformed approvals\"}"),
                201));
        ids.put("proposal", (String) proposal.get("id"));
        expect(admin.post("/v1/knowledge/packs", "{\"id\":\"fuzz-pack\",\"name\":\"Fuzz pack\"}"), 201);
        ids.put("pack", "fuzz-pack");
        Map<String, Object> turn = TestHttp.json(expect(
                admin.post("/v1/chat", "{\"personality\":\"fuzz\",\"user\":\"alice\",\"message\":\"hello\"}"), 200));
        ids.put("conversation", (String) turn.get("conversation"));
        ids.put("message", (String) ((Map<String, Object>) turn.get("message")).get("id"));
        ids.put("fact", (String) TestHttp.json(expect(
                        admin.post("/v1/memory/facts", "{\"user\":\"alice\",\"fact\":\"alice likes tea\"}"), 201))
                .get("id"));
        ids.put("user", "alice");
        ids.put("task", dev.nexus.host.testing.TaskRows.completed(host, "alice"));
        ids.put("goal", (String) TestHttp.json(expect(
                        admin.post(
                                "/v1/goals",
                                "{\"user\":\"alice\",\"title\":\"Write a novel\",\"milestones\":[{\"title\":\"First chapter\"}]}"),
                        201))
                .get("id"));
        ids.put("room", (String) TestHttp.json(expect(
                        admin.post(
                                "/v1/rooms",
                                "{\"user\":\"alice\",\"title\":\"Fuzz room\",\"personalities\":[\"fuzz\"]}"),
                        201))
                .get("id"));
        return ids;
    }

    /** The value of path parameter {@code name} of {@code route}: an existing resource where one is known. */
    static String valueFor(Route route, String name, TestHost host, Map<String, String> ids) {
        if (route.access().parameter().filter(name::equals).isPresent()) {
            String kind = route.access().resource();
            if (!ids.containsKey(kind)) {
                throw new AssertionError("no fixture for owned resource '" + kind + "' of " + route.method() + " "
                        + route.path() + ": add one to Fixtures.create so malformed bodies reach its handler");
            }
            return ids.get(kind);
        }
        String path = route.path();
        if (path.startsWith("/v1/personalities/{")) {
            return ids.get("personality");
        }
        if (path.startsWith("/v1/proposals/{")) {
            return ids.get("proposal");
        }
        if (path.startsWith("/v1/knowledge/packs/{")) {
            return ids.get("pack");
        }
        if (path.startsWith("/v1/users/{")) {
            return ids.get("user");
        }
        return "fuzz-probe";
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode())
                .as(response.request().uri() + ": " + response.body())
                .isEqualTo(status);
        return response;
    }
}
