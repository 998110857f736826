package dev.nexus.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed requests to every POST, PUT and PATCH route of a real host, taken from its route table
 * (a route added later is tried the moment it exists). The bodies come from the route's request
 * schema in {@code /openapi.json}: every declared field gets wrong types, fractions for integers, NUL,
 * lone surrogates, duplicates; every route gets broken JSON, deep nesting, oversized and non-JSON
 * bodies, wrong content types, bad path parameters and broken framing. Every answer must be a 4xx
 * in the route's error shape (problem JSON; OpenAI's shape on the OpenAI paths; JSON-RPC on /mcp)
 * whose message names no Java class or Jackson internals, and no table may gain or lose a row.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class MalformedInputTest {

    @Parameter
    Database.Kind database;

    static TestHost host;
    static Map<String, String> fixtures;

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH");
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}|<([^>]+)>");
    /** What a message to a client must never contain: Java class names, Jackson's vocabulary, stack traces. */
    private static final Pattern LEAK = Pattern.compile(
            "\\b(?:java|javax|jakarta|com|org|dev|io)\\.[a-z0-9_]+\\.|\\bjackson\\b|\\bJson(?:Node|Token|Parser|Mapping)"
                    + "|\\b(?:START|END)_(?:OBJECT|ARRAY)\\b|\\bVALUE_(?:STRING|NUMBER_INT|NUMBER_FLOAT|TRUE|FALSE|NULL)\\b"
                    + "|\\bFIELD_NAME\\b|\\[Source:|reference chain|Exception\\b|\\bat [a-z]+\\.[a-z]+\\.|\\$\\d|\\bclass [a-z]"
                    + "|Cannot (?:deserialize|construct)|\\b(?:Linked)?HashMap\\b|\\bArrayList\\b|\\bString\\[]|`[a-z]+\\.[a-z]",
            Pattern.CASE_INSENSITIVE);

    private static final String HUGE = "x".repeat(1_100_000);
    /**
     * Rows the host's own scheduler writes on a timer (on PostgreSQL, cluster jobs run every minute and
     * record each run), whatever the requests do: not data a request could have stored.
     */
    private static final Set<String> SCHEDULER_BOOKKEEPING = Set.of("cluster_job_runs");

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
        host = TestHost.builder()
                .database(database)
                .yaml("limits: {enabled: false}")
                .start();
        fixtures = Fixtures.create(host);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
    }

    @Test
    void everyMutatingRoute_refusesMalformedRequests_with4xxInItsErrorShape_andStoresNothing() throws Exception {
        Map<String, Long> before = settledRowCounts();
        Map<String, Object> openApi = TestHttp.json(host.http().get("/openapi.json"));
        RawHttp http = new RawHttp(host.baseUrl());
        List<String> failures = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        int requests = 0;
        int routes = 0;
        for (Route route : host.host().routes()) {
            if (!MUTATING.contains(route.method())) {
                continue;
            }
            routes++;
            RequestSchema schema = RequestSchema.of(openApi, route);
            for (Attempt attempt : attempts(route, schema)) {
                requests++;
                RawHttp.Response response = http.send(attempt.head(host.adminKey()), attempt.body());
                statuses.merge(Integer.toString(response.status()), 1, Integer::sum);
                judge(route, attempt, response).ifPresent(failures::add);
            }
        }
        Map<String, Long> after = rowCounts();
        System.out.println("[malformed] " + database + ": " + requests + " requests to " + routes
                + " POST/PUT/PATCH routes; statuses " + statuses);
        assertThat(failures)
                .as(failures.size() + " of " + requests + " malformed requests on " + database
                        + " were answered wrongly")
                .isEmpty();
        assertThat(after)
                .as("row counts after " + requests + " malformed requests")
                .isEqualTo(before);
        assertThat(routes).isGreaterThan(15);
    }

    @Test
    void brokenFramingAndRequestLines_areProblemDocuments_answeredAtOnce() {
        RawHttp http = new RawHttp(host.baseUrl());
        String auth = "\r\nAuthorization: Bearer " + host.adminKey() + "\r\nContent-Type: application/json";
        Map<String, RawHttp.Response> answers = new LinkedHashMap<>();
        answers.put(
                "truncated body",
                http.send("POST /v1/keys HTTP/1.1" + auth + "\r\nContent-Length: 100", bytes("{\"name\":")));
        answers.put(
                "malformed chunk size",
                http.send(
                        "POST /v1/keys HTTP/1.1" + auth + "\r\nTransfer-Encoding: chunked",
                        bytes("zz\r\n{\"name\":\"x\"}\r\n0\r\n\r\n")));
        answers.put(
                "truncated chunk",
                http.send(
                        "POST /v1/keys HTTP/1.1" + auth + "\r\nTransfer-Encoding: chunked",
                        bytes("40\r\n{\"name\":\"x\"")));
        answers.put(
                "chunked without the last chunk",
                http.send(
                        "POST /v1/keys HTTP/1.1" + auth + "\r\nTransfer-Encoding: chunked", bytes("5\r\n{\"a\":\r\n")));
        answers.put(
                "oversized header",
                http.send("GET /v1/keys HTTP/1.1" + auth + "\r\nX-Big: " + "a".repeat(70_000), new byte[0]));
        answers.put("oversized URI", http.send("GET /v1/" + "a".repeat(70_000) + " HTTP/1.1" + auth, new byte[0]));
        answers.put("percent without hex", http.send("GET /v1/personalities/%zz HTTP/1.1" + auth, new byte[0]));
        answers.put("encoded NUL in the path", http.send("GET /v1/personalities/a%00b HTTP/1.1" + auth, new byte[0]));
        answers.put(
                "invalid UTF-8 in the path", http.send("GET /v1/personalities/%C3%28 HTTP/1.1" + auth, new byte[0]));
        answers.put(
                "encoded lone surrogate in the path",
                http.send("GET /v1/personalities/%ED%A0%80 HTTP/1.1" + auth, new byte[0]));
        answers.put("dot segments above the root", http.send("GET /../../etc/passwd HTTP/1.1" + auth, new byte[0]));
        answers.put("encoded dot segments", http.send("GET /v1/%2e%2e/%2e%2e/etc/passwd HTTP/1.1" + auth, new byte[0]));
        answers.put(
                "raw bytes in the path",
                http.send(
                        concat(bytes("GET /v1/personalities/"), new byte[] {(byte) 0xff, 1}, bytes(" HTTP/1.1" + auth)),
                        new byte[0]));
        answers.put("unknown method", http.send("BREW /v1/keys HTTP/1.1" + auth, new byte[0]));
        answers.put("bad version", http.send("GET /v1/keys HTTP/9.9" + auth, new byte[0]));
        answers.put("header without colon", http.send("GET /v1/keys HTTP/1.1" + auth + "\r\nNoColonHere", new byte[0]));
        answers.put(
                "two content lengths",
                http.send("POST /v1/keys HTTP/1.1" + auth + "\r\nContent-Length: 2\r\nContent-Length: 3", bytes("{}")));

        List<String> failures = new ArrayList<>();
        answers.forEach((what, response) -> {
            // 505 is the status HTTP defines for an unsupported version; every other answer is the client's fault.
            int highest = what.equals("bad version") ? 505 : 499;
            boolean problem = response.status() >= 400
                    && response.status() <= highest
                    && response.contentType().startsWith("application/problem+json");
            String detail = problem ? detail(response.text()) : "";
            if (!problem || LEAK.matcher(detail).find()) {
                failures.add(
                        what + ": " + response.status() + " " + response.contentType() + " " + cut(response.text()));
            }
        });
        assertThat(failures).as("broken requests answered wrongly").isEmpty();
        assertThat(answers.get("truncated body").status()).isEqualTo(400);
        assertThat(answers.get("malformed chunk size").status()).isEqualTo(400);
        assertThat(answers.get("truncated chunk").status()).isEqualTo(400);
        assertThat(answers.get("oversized header").status()).isEqualTo(431);
    }

    @Test
    void nulAndLoneSurrogates_areRefusedAlikeOnBothDatabases_inBodiesPathsAndQueries() {
        TestHttp admin = host.http();
        List<HttpResponse<String>> answers = List.of(
                admin.post("/v1/memory/facts", "{\"user\":\"alice\",\"fact\":\"a\\u0000b\"}"),
                admin.post("/v1/memory/facts", "{\"user\":\"alice\",\"fact\":\"x\\ud800y\"}"),
                admin.post("/v1/memory/facts", "{\"user\":\"alice\",\"fact\":\"x\\udc00\"}"),
                admin.post("/v1/memory/facts", "{\"user\":\"a\\u0000lice\",\"fact\":\"tea\"}"),
                admin.put("/v1/memory/profile/alice", "{\"attributes\":{\"k\\u0000\":\"v\"}}"),
                admin.get("/v1/memory/facts?user=alice&personality=a%00b"),
                admin.get("/v1/memory/search?user=alice&q=%ED%A0%80"));
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode())
                    .as(answer.request().uri() + " " + answer.body())
                    .isEqualTo(400);
            assertThat(TestHttp.json(answer).get("detail").toString())
                    .containsAnyOf("NUL", "surrogate", "UTF-8", "malformed");
        }
    }

    @Test
    void search_withBlankOrInvisibleQueries_answersWithoutServerError() {
        for (String q : new String[] {"", "%20%20", "%09", "%E3%80%80"}) {
            HttpResponse<String> answer = host.http().get("/v1/memory/search?user=alice&q=" + q);
            assertThat(answer.statusCode()).as("q=" + q + ": " + answer.body()).isEqualTo(400);
        }
        // Once answered 500: the embedding model refuses text it sees as blank.
        for (String q : new String[] {"%EF%BF%BD", "%E2%80%8B", "%C2%A0"}) {
            HttpResponse<String> answer = host.http().get("/v1/memory/search?user=alice&q=" + q);
            assertThat(answer.statusCode()).as("q=" + q + ": " + answer.body()).isEqualTo(200);
        }
    }

    private static java.util.Optional<String> judge(Route route, Attempt attempt, RawHttp.Response response) {
        String what = route.method() + " " + attempt.path() + " [" + attempt.name() + "]: ";
        if (response.status() < 400 || response.status() >= 500) {
            return java.util.Optional.of(what + "status " + response.status() + " " + cut(response.text()));
        }
        String message;
        try {
            if (route.path().equals("/mcp") && response.contentType().startsWith("application/json")) {
                Map<String, Object> rpc = Json.readMap(response.text());
                message = String.valueOf(((Map<?, ?>) rpc.get("error")).get("message"));
            } else if (route.errors() == Route.ErrorShape.OPENAI
                    && response.contentType().startsWith("application/json")) {
                message = String.valueOf(
                        ((Map<?, ?>) Json.readMap(response.text()).get("error")).get("message"));
            } else if (response.contentType().startsWith("application/problem+json")) {
                message = detail(response.text());
            } else {
                return java.util.Optional.of(what + "not in the route's error shape: " + response.status() + " "
                        + response.contentType() + " " + cut(response.text()));
            }
        } catch (RuntimeException e) {
            return java.util.Optional.of(
                    what + "unreadable error body (" + e.getMessage() + "): " + cut(response.text()));
        }
        Matcher leak = LEAK.matcher(message);
        if (leak.find()) {
            return java.util.Optional.of(what + "message leaks '" + leak.group() + "': " + cut(message));
        }
        return java.util.Optional.empty();
    }

    private static String detail(String problem) {
        Object detail = Json.readMap(problem).get("detail");
        return detail == null ? "" : detail.toString();
    }

    private static String cut(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** Every malformed request for one route. */
    private static List<Attempt> attempts(Route route, RequestSchema schema) {
        String path = fill(route, Map.of());
        List<Attempt> attempts = new ArrayList<>();
        String json = "application/json";
        if (schema.requiresSomething()) {
            attempts.add(new Attempt("empty body", route.method(), path, json, new byte[0], Framing.LENGTH));
        }
        String[] broken = {
            "{",
            "{\"a\":",
            "{\"a\":1",
            "nul",
            "tru",
            "[]",
            "\"text\"",
            "null",
            "123",
            "{\"a\":1}{\"b\":2}",
            "{'a':1}",
            "{\"a\":1,}",
            "{\"a\":NaN}",
            "/* c */ {}",
            "{a:1}",
            "{\"a\" 1}",
            "]",
            "{\"a\":01}",
            "{\"a\":.5}",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12\"}",
            "{\"zz-unknown\":1}",
            "{\"\":1}"
        };
        for (String body : broken) {
            attempts.add(new Attempt("json " + body, route.method(), path, json, bytes(body), Framing.LENGTH));
        }
        attempts.add(new Attempt(
                "deep nesting",
                route.method(),
                path,
                json,
                bytes("{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}"),
                Framing.LENGTH));
        attempts.add(new Attempt(
                "deep objects",
                route.method(),
                path,
                json,
                bytes("{\"a\":".repeat(300) + "1" + "}".repeat(300)),
                Framing.LENGTH));
        attempts.add(new Attempt(
                "raw control character",
                route.method(),
                path,
                json,
                bytes("{\"" + schema.firstField() + "\":\"a\u0001\u001fb\"}"),
                Framing.LENGTH));
        attempts.add(new Attempt(
                "invalid UTF-8",
                route.method(),
                path,
                json,
                concat(
                        bytes("{\"" + schema.firstField() + "\":\""),
                        new byte[] {(byte) 0xc3, 0x28, (byte) 0xff},
                        bytes("\"}")),
                Framing.LENGTH));
        attempts.add(new Attempt(
                "UTF-16 body",
                route.method(),
                path,
                json,
                ("{\"" + schema.firstField() + "\":\"x\"}").getBytes(StandardCharsets.UTF_16),
                Framing.LENGTH));
        attempts.add(new Attempt(
                "body over every limit",
                route.method(),
                path,
                json,
                bytes("{\"" + schema.firstField() + "\":\"" + HUGE + "\"}"),
                Framing.LENGTH));
        attempts.add(new Attempt(
                "text/plain", route.method(), path, "text/plain", bytes("{\"zz-unknown\":1}"), Framing.LENGTH));
        attempts.add(new Attempt(
                "form", route.method(), path, "application/x-www-form-urlencoded", bytes("a=b&c=d"), Framing.LENGTH));
        attempts.add(new Attempt("xml", route.method(), path, "application/xml", bytes("<a><b/></a>"), Framing.LENGTH));
        attempts.add(new Attempt(
                "multipart",
                route.method(),
                path,
                "multipart/form-data; boundary=zz",
                bytes(
                        "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.json\"\r\n\r\n{\"zz\":1}\r\n--zz--\r\n"),
                Framing.LENGTH));
        attempts.add(new Attempt(
                "binary",
                route.method(),
                path,
                "application/octet-stream",
                new byte[] {0, 1, 2, (byte) 0x89, 'P', 'N', 'G', 0},
                Framing.LENGTH));
        attempts.add(new Attempt("truncated body", route.method(), path, json, bytes("{\"a\":\"b"), Framing.TRUNCATED));
        attempts.add(new Attempt(
                "malformed chunk", route.method(), path, json, bytes("zz\r\n{}\r\n0\r\n\r\n"), Framing.RAW_CHUNKED));
        attempts.add(new Attempt(
                "truncated chunk", route.method(), path, json, bytes("40\r\n{\"a\":"), Framing.RAW_CHUNKED));
        for (Map.Entry<String, String> field : schema.fields().entrySet()) {
            String name = field.getKey();
            for (String value : wrongValues(field.getValue())) {
                attempts.add(new Attempt(
                        name + "=" + cut(value),
                        route.method(),
                        path,
                        json,
                        bytes("{\"" + name + "\":" + value + "}"),
                        Framing.LENGTH));
            }
            String plausible = plausible(field.getValue());
            attempts.add(new Attempt(
                    "duplicate " + name,
                    route.method(),
                    path,
                    json,
                    bytes("{\"" + name + "\":" + plausible + ",\"" + name + "\":" + plausible + "}"),
                    Framing.LENGTH));
        }
        if (schema.fields().isEmpty()) {
            for (String value : wrongValues("string")) {
                attempts.add(new Attempt(
                        "zz=" + cut(value),
                        route.method(),
                        path,
                        json,
                        bytes("{\"zz\":" + value + "}"),
                        Framing.LENGTH));
            }
        }
        Matcher m = PARAM.matcher(route.path());
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            for (String bad : new String[] {
                "a%00b", "%ED%A0%80", "x%ED%B0%80y", "%C3%28", "%FF%FE", "a%0Ab", "a%01b", "x".repeat(3_000)
            }) {
                attempts.add(new Attempt(
                        "path " + name + "=" + cut(bad),
                        route.method(),
                        fill(route, Map.of(name, bad)),
                        json,
                        bytes("{}"),
                        Framing.LENGTH));
            }
        }
        return attempts;
    }

    /** Values that are wrong for a field of JSON schema type {@code type}, whatever the rest of the body. */
    private static List<String> wrongValues(String type) {
        List<String> values = new ArrayList<>(List.of("\"a\\u0000b\"", "\"x\\ud800y\"", "\"\\udc00\"", "\"a\\udbff\""));
        values.addAll(
                switch (type) {
                    case "string" -> List.of("42", "1.5", "true", "{}", "[\"x\"]");
                    case "integer" ->
                        List.of(
                                "\"1\"",
                                "1.5",
                                "-0.5",
                                "1e2",
                                "true",
                                "[1]",
                                "123456789012345678901234567890",
                                "1" + "0".repeat(120));
                    case "number" -> List.of("\"0.5\"", "true", "{}", "[0.5]", "1e999");
                    case "boolean" -> List.of("\"true\"", "1", "0", "{}");
                    case "array" -> List.of("\"x\"", "{}", "1", "true", "[[[[1]]]]");
                    case "object" -> List.of("\"x\"", "[]", "1", "true");
                    default -> List.of();
                });
        return values;
    }

    private static String plausible(String type) {
        return switch (type) {
            case "integer", "number" -> "1";
            case "boolean" -> "true";
            case "array" -> "[]";
            case "object" -> "{}";
            default -> "\"x\"";
        };
    }

    /** Fills the route's path parameters: a resource that exists (so the body is read), or {@code overrides}. */
    private static String fill(Route route, Map<String, String> overrides) {
        Matcher m = PARAM.matcher(route.path());
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value =
                    overrides.containsKey(name) ? overrides.get(name) : Fixtures.valueFor(route, name, host, fixtures);
            m.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        m.appendTail(path);
        return path.toString();
    }

    /** Row counts once the fixtures' after-turn work (fact extraction) has stored what it stores. */
    private static Map<String, Long> settledRowCounts() throws SQLException, InterruptedException {
        Map<String, Long> last = rowCounts();
        for (int i = 0; i < 100; i++) {
            Thread.sleep(100);
            Map<String, Long> now = rowCounts();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static Map<String, Long> rowCounts() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(host.jdbcUrl())) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = connection.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (String table : tables) {
                    if (SCHEDULER_BOOKKEEPING.contains(table.toLowerCase(Locale.ROOT))) {
                        continue;
                    }
                    try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM \"" + table + "\"")) {
                        rs.next();
                        counts.put(table.toLowerCase(Locale.ROOT), rs.getLong(1));
                    }
                }
            }
        }
        assertThat(counts).as("tables found in " + host.jdbcUrl()).hasSizeGreaterThan(10);
        return counts;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** How the body is framed on the wire. */
    enum Framing {
        /** A correct Content-Length. */
        LENGTH,
        /** A Content-Length larger than what is sent (then the client stops sending). */
        TRUNCATED,
        /** {@code Transfer-Encoding: chunked} with the body sent as is (broken chunks). */
        RAW_CHUNKED
    }

    /** One request. */
    record Attempt(String name, String method, String path, String contentType, byte[] body, Framing framing) {
        String head(String key) {
            String length = switch (framing) {
                case LENGTH -> "Content-Length: " + body.length;
                case TRUNCATED -> "Content-Length: " + (body.length + 100);
                case RAW_CHUNKED -> "Transfer-Encoding: chunked";
            };
            return method + " " + path + " HTTP/1.1\r\nAuthorization: Bearer " + key + "\r\nContent-Type: "
                    + contentType + "\r\n" + length;
        }
    }

    /** A route's request body as its OpenAPI schema declares it: top-level fields and their JSON types. */
    record RequestSchema(Map<String, String> fields, boolean requiresSomething) {

        @SuppressWarnings("unchecked")
        static RequestSchema of(Map<String, Object> openApi, Route route) {
            String path = PARAM.matcher(route.path())
                    .replaceAll(
                            m -> Matcher.quoteReplacement("{" + (m.group(1) != null ? m.group(1) : m.group(2)) + "}"));
            Map<String, Object> item = (Map<String, Object>) ((Map<String, Object>) openApi.get("paths")).get(path);
            Map<String, Object> operation = item == null
                    ? null
                    : (Map<String, Object>) item.get(route.method().toLowerCase(Locale.ROOT));
            Map<String, Object> body = operation == null ? null : (Map<String, Object>) operation.get("requestBody");
            if (body == null) {
                return new RequestSchema(Map.of(), false);
            }
            Map<String, Object> content = (Map<String, Object>) body.get("content");
            Map<String, Object> schema = (Map<String, Object>)
                    ((Map<String, Object>) content.values().iterator().next()).get("schema");
            schema = resolve(openApi, schema);
            Map<String, String> fields = new LinkedHashMap<>();
            Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
            properties.forEach((name, property) -> fields.put(
                    name,
                    String.valueOf(
                            resolve(openApi, (Map<String, Object>) property).getOrDefault("type", "any"))));
            boolean requires =
                    !((List<Object>) schema.getOrDefault("required", List.of())).isEmpty() || properties.isEmpty();
            return new RequestSchema(fields, requires);
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> resolve(Map<String, Object> openApi, Map<String, Object> schema) {
            Object ref = schema.get("$ref");
            if (ref == null) {
                return schema;
            }
            String name = ref.toString().substring("#/components/schemas/".length());
            return (Map<String, Object>)
                    ((Map<String, Object>) ((Map<String, Object>) openApi.get("components")).get("schemas")).get(name);
        }

        String firstField() {
            return fields.isEmpty() ? "zz" : fields.keySet().iterator().next();
        }
    }
}
