package dev.nexus.host.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The OpenAI-compatible wire format over the real host: errors, conversation finding, retries. */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class OpenAiApiTest {

    /** The backend this invocation runs on (also handed to {@code start}). */
    @Parameter
    Database.Kind database;

    static TestHost host;

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
        host = TestHost.builder()
                .database(database)
                .yaml("personalities: {directory: '"
                        + Path.of("..", "personalities").toAbsolutePath().normalize() + "'}")
                .start();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
    }

    private static HttpResponse<String> complete(TestHttp http, String body, String... headers) {
        HttpRequest.Builder request = http.request("/v1/chat/completions")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request);
    }

    private static String body(String user, String... turns) {
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < turns.length; i++) {
            messages.append(i == 0 ? "" : ",")
                    .append("{\"role\":\"")
                    .append(i % 2 == 0 ? "user" : "assistant")
                    .append("\",\"content\":")
                    .append(Json.write(turns[i]))
                    .append('}');
        }
        return "{\"model\":\"zen-engineer\",\"temperature\":0.2,\"user\":\"" + user + "\",\"messages\":[" + messages
                + "]}";
    }

    @SuppressWarnings("unchecked")
    private static String content(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var choice = ((List<Map<String, Object>>) TestHttp.json(response).get("choices")).get(0);
        return (String) ((Map<String, Object>) choice.get("message")).get("content");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return (Map<String, Object>) TestHttp.json(response).get("error");
    }

    private static List<?> stored(String conversation) {
        return (List<?>) TestHttp.json(host.http().get("/v1/conversations/" + conversation + "/messages"))
                .get("messages");
    }

    @Test
    void errors_takeOpenAisShape_namingTheParameter_andStoreNothing() {
        HttpResponse<String> noKey = complete(host.http().withKey(""), body("ann", "hi"));
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(error(noKey)).containsEntry("type", "authentication_error").containsKeys("message", "param", "code");

        HttpResponse<String> noMessages = complete(host.http(), "{\"model\":\"zen-engineer\",\"messages\":[]}");
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(error(noMessages))
                .containsEntry("type", "invalid_request_error")
                .containsEntry("param", "messages");

        HttpResponse<String> lastNotUser = complete(host.http(), body("ann", "hi", "hello"));
        assertThat(lastNotUser.statusCode()).isEqualTo(400);
        assertThat((String) error(lastNotUser).get("message")).contains("last message must have role 'user'");

        HttpResponse<String> twoChoices = complete(
                host.http(),
                "{\"model\":\"zen-engineer\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(error(twoChoices)).containsEntry("param", "n");

        HttpResponse<String> image = complete(
                host.http(),
                "{\"model\":\"zen-engineer\",\"messages\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]}");
        assertThat((String) error(image).get("message")).contains("'image_url' are not supported");

        HttpResponse<String> malformed = complete(host.http(), "{\"model\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(error(malformed)).containsEntry("type", "invalid_request_error");

        HttpResponse<String> unknownModel = host.http().get("/v1/models/nobody");
        assertThat(unknownModel.statusCode()).isEqualTo(404);
        assertThat(error(unknownModel)).containsEntry("code", "model_not_found");

        // Only these paths speak OpenAI: the Nexus API keeps its problem documents.
        assertThat(host.http().withKey("").get("/v1/plugins").headers().firstValue("Content-Type"))
                .hasValue("application/problem+json");
    }

    @Test
    void resentHistory_continuesTheConversation_andARetryIsAnsweredFromTheStoredTurn() {
        HttpResponse<String> first = complete(host.http(), body("bea", "I am learning Rust."));
        String conversation =
                first.headers().firstValue(OpenAiRoutes.CONVERSATION_HEADER).orElseThrow();
        String reply = content(first);

        String second = body("bea", "I am learning Rust.", reply, "What should I read next?");
        HttpResponse<String> answered = complete(host.http(), second);
        assertThat(answered.headers().firstValue(OpenAiRoutes.CONVERSATION_HEADER))
                .hasValue(conversation);
        HttpResponse<String> retried = complete(host.http(), second);
        assertThat(retried.headers().firstValue(OpenAiRoutes.MESSAGE_HEADER))
                .isEqualTo(answered.headers().firstValue(OpenAiRoutes.MESSAGE_HEADER));
        assertThat(content(retried)).isEqualTo(content(answered));
        assertThat(stored(conversation)).hasSize(5); // the greeting, then two turns

        // A history the client edited branches off: a new conversation, the old one untouched.
        HttpResponse<String> edited =
                complete(host.http(), body("bea", "I am learning Rust.", reply, "Something else?"));
        String branch =
                edited.headers().firstValue(OpenAiRoutes.CONVERSATION_HEADER).orElseThrow();
        assertThat(branch).isNotEqualTo(conversation);
        assertThat(stored(branch)).hasSize(3);
        assertThat(stored(conversation)).hasSize(5); // the greeting, then two turns
    }

    @Test
    void explicitConversationHeader_continuesIt_onlyForItsOwnUser() {
        HttpResponse<String> first = complete(host.http(), body("cy", "Remember the number 42."));
        String conversation =
                first.headers().firstValue(OpenAiRoutes.CONVERSATION_HEADER).orElseThrow();

        HttpResponse<String> next =
                complete(host.http(), body("cy", "What number?"), OpenAiRoutes.CONVERSATION_HEADER, conversation);
        content(next);
        assertThat(stored(conversation)).hasSize(5); // the greeting, then two turns

        HttpResponse<String> stranger =
                complete(host.http(), body("dee", "What number?"), OpenAiRoutes.CONVERSATION_HEADER, conversation);
        // Another user's conversation is unknown to them, as if it did not exist (issue 11).
        assertThat(stranger.statusCode()).isEqualTo(404);
        assertThat((String) error(stranger).get("message")).contains("unknown conversation");
        HttpResponse<String> unknown =
                complete(host.http(), body("cy", "hi"), OpenAiRoutes.CONVERSATION_HEADER, "nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(stored(conversation)).hasSize(5); // the greeting, then two turns
    }

    @Test
    void twoKeysWithoutAUserField_areTwoUsers_andCannotContinueEachOthersConversations() {
        String alice = secret("alice");
        String bob = secret("bob");
        String request =
                "{\"model\":\"zen-engineer\",\"messages\":[{\"role\":\"user\",\"content\":\"My secret is tulips.\"}]}";
        HttpResponse<String> mine = complete(host.http().withKey(alice), request);
        String conversation =
                mine.headers().firstValue(OpenAiRoutes.CONVERSATION_HEADER).orElseThrow();

        HttpResponse<String> theirs = complete(
                host.http().withKey(bob),
                request.replace("My secret is tulips.", "What is it?"),
                OpenAiRoutes.CONVERSATION_HEADER,
                conversation);
        assertThat(theirs.statusCode()).isEqualTo(404);
        assertThat(stored(conversation)).hasSize(3); // the greeting, then one turn

        // A user key cannot borrow another principal through the user field (issue 11: naming somebody else is 403).
        HttpResponse<String> borrowed =
                complete(host.http().withKey(bob), request.replace("\"messages\"", "\"user\":\"alice\",\"messages\""));
        assertThat(borrowed.statusCode()).isEqualTo(403);
        assertThat(error(borrowed)).containsEntry("type", "permission_error");
        assertThat(stored(conversation)).hasSize(3);
    }

    private static String secret(String name) {
        HttpResponse<String> created = host.http()
                .post("/v1/keys", "{\"name\":\"" + name + "\",\"scopes\":[\"user\"],\"user\":\"" + name + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) TestHttp.json(created).get("secret");
    }
}
