package dev.nexus.host.ops;

import dev.nexus.host.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./nexus memory list|search|forget|stats}: a running host's memory over its HTTP API, with an
 * API key ({@code NEXUS_KEY}, else {@code NEXUS_ADMIN_KEY}) at {@code NEXUS_URL} (default
 * {@code http://127.0.0.1:8080}). A {@code user} key sees its own user only; an admin key names any
 * user with {@code --user}. Prints one line per memory (tab-separated), or the API's problem and
 * exits 1. Stateless.
 */
public final class MemoryCli {

    static final String USAGE = """
            usage: ./nexus memory <command> [options]    (NEXUS_URL, default http://127.0.0.1:8080; NEXUS_KEY: an API key)
              list   [--user U] [--personality P] [--limit N]   the user's facts: id, category, text
              search [--user U] [--limit N] <words...>          memories best first: id, kind, score, text
              forget <fact-id>                                  forget one fact
              forget --user U                                   forget every fact of a user (admin key)
              stats                                             index and embedding figures (admin key)""";

    private MemoryCli() {}

    /** Runs the command in {@code args}; returns the exit status (0 done, 1 refused or failed, 2 usage). */
    public static int run(List<String> args, String baseUrl, String key, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        if (key.isBlank()) {
            err.println("nexus memory: set NEXUS_KEY to an API key (admin, or a user key for that user's memory)");
            return 2;
        }
        Map<String, String> options = new LinkedHashMap<>();
        List<String> words = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--") && i + 1 < args.size()) {
                options.put(arg.substring(2), args.get(++i));
            } else {
                words.add(arg);
            }
        }
        Api api = new Api(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl, key);
        try {
            return switch (args.get(0)) {
                case "list" -> list(api, options, out, err);
                case "search" -> search(api, options, String.join(" ", words), out, err);
                case "forget" -> forget(api, options, words, out, err);
                case "stats" ->
                    print(
                            api.send("GET", "/v1/memory/stats"),
                            err,
                            body -> body.forEach((k, v) -> out.println(k + ": " + v)));
                default -> {
                    err.println("nexus memory: unknown command '" + args.get(0) + "'\n" + USAGE);
                    yield 2;
                }
            };
        } catch (IOException e) {
            err.println("nexus memory: no answer from " + baseUrl + " (" + e.getMessage()
                    + "); is the host running? Set NEXUS_URL");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    @SuppressWarnings("unchecked")
    private static int list(Api api, Map<String, String> options, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        String query = query(options, "user", "personality", "limit");
        return print(
                api.send("GET", "/v1/memory/facts" + query),
                err,
                body -> ((List<Map<String, Object>>) body.get("facts"))
                        .forEach(fact ->
                                out.println(fact.get("id") + "\t" + fact.get("category") + "\t" + fact.get("fact"))));
    }

    @SuppressWarnings("unchecked")
    private static int search(Api api, Map<String, String> options, String words, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        if (words.isBlank()) {
            err.println("nexus memory search: give the words to search for\n" + USAGE);
            return 2;
        }
        Map<String, String> all = new LinkedHashMap<>(options);
        all.put("q", words);
        return print(
                api.send("GET", "/v1/memory/search" + query(all, "user", "limit", "q")),
                err,
                body -> ((List<Map<String, Object>>) body.get("results"))
                        .forEach(hit -> out.println(hit.get("id") + "\t"
                                + hit.get("kind") + "\t"
                                + String.format(
                                        java.util.Locale.ROOT, "%.3f", ((Number) hit.get("score")).doubleValue())
                                + "\t" + hit.get("text"))));
    }

    private static int forget(
            Api api, Map<String, String> options, List<String> words, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        if (options.containsKey("user") && words.isEmpty()) {
            return print(
                    api.send("DELETE", "/v1/memory/facts" + query(options, "user")),
                    err,
                    body -> out.println("forgot " + body.get("deleted") + " fact(s) of " + options.get("user")));
        }
        if (words.size() != 1) {
            err.println("nexus memory forget: give one fact id, or --user U\n" + USAGE);
            return 2;
        }
        return print(
                api.send("DELETE", "/v1/memory/facts/" + encode(words.get(0))),
                err,
                body -> out.println("forgot " + words.get(0)));
    }

    private static int print(
            HttpResponse<String> response, PrintStream err, java.util.function.Consumer<Map<String, Object>> shown) {
        if (response.statusCode() >= 300) {
            String detail = response.body();
            try {
                Object said = Json.readMap(response.body()).get("detail");
                detail = said == null ? detail : said.toString();
            } catch (RuntimeException notJson) {
                // shown as it came
            }
            if (response.statusCode() == 400 && detail.contains("'user' is required")) {
                // An admin key reads any user's memory, so the API asks which; say it in this command's terms.
                detail += "; with an admin key, name the user: --user U";
            }
            err.println("nexus memory: HTTP " + response.statusCode() + ": " + detail);
            return 1;
        }
        shown.accept(response.body().isBlank() ? Map.of() : Json.readMap(response.body()));
        return 0;
    }

    private static String query(Map<String, String> options, String... names) {
        StringBuilder query = new StringBuilder();
        for (String name : names) {
            String value = options.get(name);
            if (value != null) {
                query.append(query.isEmpty() ? '?' : '&')
                        .append(name)
                        .append('=')
                        .append(encode(value));
            }
        }
        return query.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The host's API with the key. */
    private record Api(String base, String key) {
        private static final HttpClient CLIENT =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + key)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .build();
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
