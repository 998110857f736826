package dev.nexus.host.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.auth.AuthorizationMatrix.Expect;
import dev.nexus.host.auth.AuthorizationMatrix.Who;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Route;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route of a real host × every kind of caller, with the status its declared {@link Access}
 * rule demands ({@link AuthorizationMatrix#expected}). Nothing is listed by hand: a route added to
 * the host is tried the moment it exists, and an owned resource without a fixture here fails.
 */
class AuthorizationMatrixTest {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}|<([^>]+)>");
    static final String PERSONA = """
            {"id": "matrix", "name": "Matrix", "description": "A personality the authorization matrix talks to.",
             "greetings": ["Hello."]}""";

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void everyRoute_answersEveryCaller_asItsRuleDeclares(TestDatabase db) {
        try (TestHost host = TrustHosts.start(db)) {
            Callers callers = Callers.create(host);
            assertThat(host.http().post("/v1/personalities", PERSONA).statusCode())
                    .isEqualTo(201);
            List<String> failures = new ArrayList<>();
            List<Route> routes = AuthorizationMatrix.ordered(host.host().routes());
            for (Route route : routes) {
                for (Who who : Who.values()) {
                    String path = path(route, host);
                    int status = send(host.baseUrl(), route.method(), path, callers.key(who));
                    Expect expect = AuthorizationMatrix.expected(route.access(), who);
                    if (!expect.accepts(status)) {
                        failures.add(
                                route.method() + " " + path + " as " + who.label + ": got " + status + ", expected "
                                        + expect.cell() + " (" + route.access().describe() + ")");
                    }
                }
                if (route.method().equals("DELETE")) {
                    // An erasure (DELETE /v1/users/alice) revokes alice's keys: later routes get a fresh one.
                    callers.renewOwnerIfRevoked(host);
                }
                if (route.access().kind() == Access.Kind.PUBLIC) {
                    List<Integer> statuses = new ArrayList<>();
                    for (Who who : Who.values()) {
                        statuses.add(send(host.baseUrl(), route.method(), path(route, host), callers.key(who)));
                    }
                    if (statuses.stream().distinct().count() != 1) {
                        failures.add(route.method() + " " + route.path() + " is public but answered keys differently: "
                                + statuses);
                    }
                }
            }
            System.out.println("[matrix] " + db.backend() + ": " + routes.size() + " routes x " + Who.values().length
                    + " callers = " + routes.size() * Who.values().length + " requests");
            assertThat(failures).as("authorization matrix on " + db.backend()).isEmpty();
            assertThat(routes).hasSizeGreaterThan(40);
        }
    }

    /** Fills the path's parameters: alice's own resource for owned routes (made fresh: the request may delete it). */
    private static String path(Route route, TestHost host) {
        Matcher m = PARAM.matcher(route.path());
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = route.access().parameter().filter(name::equals).isPresent()
                    ? fixture(route.access().resource(), host)
                    : "matrix-probe";
            m.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        m.appendTail(path);
        return path.toString();
    }

    /** Creates a resource of {@code kind} owned by alice and returns its id. A new kind of owned resource needs a line here. */
    static String fixture(String kind, TestHost host) {
        TestHttp admin = host.http();
        return switch (kind) {
            case "user" -> "alice";
            case "conversation" ->
                (String) TestHttp.json(admin.post(
                                "/v1/chat", "{\"personality\":\"matrix\",\"user\":\"alice\",\"message\":\"hello\"}"))
                        .get("conversation");
            case "message" ->
                (String) ((java.util.Map<?, ?>) TestHttp.json(admin.post(
                                        "/v1/chat",
                                        "{\"personality\":\"matrix\",\"user\":\"alice\",\"message\":\"hello\"}"))
                                .get("message"))
                        .get("id");
            case "fact" ->
                (String) TestHttp.json(
                                admin.post("/v1/memory/facts", "{\"user\":\"alice\",\"fact\":\"alice likes tea\"}"))
                        .get("id");
            case "task" -> dev.nexus.host.testing.TaskRows.completed(host, "alice");
            case "goal" ->
                (String) TestHttp.json(admin.post("/v1/goals", "{\"user\":\"alice\",\"title\":\"Read more\"}"))
                        .get("id");
            // A room alice is in (created by carol, so membership, not creation, is what lets alice in); bob is not.
            case "room" ->
                (String) TestHttp.json(
                                admin.post(
                                        "/v1/rooms",
                                        "{\"user\":\"carol\",\"title\":\"Matrix room\",\"users\":[\"alice\"],\"personalities\":[\"matrix\"]}"))
                        .get("id");
            default ->
                throw new AssertionError(
                        "no fixture for owned resource '" + kind + "': add one to "
                                + "AuthorizationMatrixTest.fixture so the matrix can try the route as its owner and as another user");
        };
    }

    static int send(URI base, String method, String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString("{}"));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            // Headers only: event streams stay open, the status is all the matrix needs.
            HttpResponse<InputStream> response =
                    CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return response.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The keys of the matrix: alice (owner), bob (other user), an approver, a revoked and a bogus key, the admin. */
    record Callers(Map<Who, String> keys) {

        static Callers create(TestHost host) {
            Map<Who, String> keys = new EnumMap<>(Who.class);
            keys.put(Who.BOGUS, "nxk_bogus-key-that-nobody-issued-0000000000");
            keys.put(Who.OWNER, TrustHosts.userKey(host, "alice"));
            keys.put(Who.OTHER, TrustHosts.userKey(host, "bob"));
            keys.put(Who.APPROVER, TrustHosts.key(host, "{\"name\":\"reviewer\",\"scopes\":[\"approver\"]}"));
            String revoked = TrustHosts.userKey(host, "alice");
            Map<String, Object> listed = TestHttp.json(host.http().get("/v1/keys"));
            @SuppressWarnings("unchecked")
            String revokedId = ((List<Map<String, Object>>) listed.get("keys"))
                    .stream()
                            .filter(k -> revoked.startsWith((String) k.get("prefix")))
                            .map(k -> (String) k.get("id"))
                            .reduce((a, b) -> b)
                            .orElseThrow();
            assertThat(host.http().delete("/v1/keys/" + revokedId).statusCode()).isEqualTo(204);
            keys.put(Who.REVOKED, revoked);
            keys.put(Who.ADMIN, host.adminKey());
            return new Callers(keys);
        }

        String key(Who who) {
            return keys.get(who);
        }

        void renewOwnerIfRevoked(TestHost host) {
            if (send(host.baseUrl(), "GET", "/v1/memory/facts", key(Who.OWNER)) == 401) {
                keys.put(Who.OWNER, TrustHosts.userKey(host, "alice"));
            }
        }
    }
}
