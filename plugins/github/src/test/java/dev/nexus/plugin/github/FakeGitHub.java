package dev.nexus.plugin.github;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nexus.api.JsonReader;
import dev.nexus.api.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local server speaking the parts of GitHub's REST API v3 the plugin uses, with GitHub's shapes:
 * repositories, issues (paginated with {@code Link} headers, {@code per_page}/{@code page}), comments,
 * git refs, the contents API (base64 content, blob shas, 409 on a stale sha, 422 without one),
 * pull requests (422 "No commits between"), 401 "Bad credentials", 404 "Not Found", 422 "Validation
 * Failed" with field errors, and scripted secondary rate limits (403 with {@code Retry-After}).
 * Records every request. Thread-safe.
 */
public final class FakeGitHub implements AutoCloseable {

    /** One recorded request. */
    public record Request(String method, String path, String body) {}

    private static final Pattern REPO = Pattern.compile("/repos/([^/]+)/([^/]+)(/.*)?");

    private final HttpServer server;
    private final String token;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger throttled = new AtomicInteger();
    private volatile int throttleStatus = 403;
    private volatile int retryAfter = 1;

    private static final class Repo {
        final String name;
        final String defaultBranch = "main";
        final Map<String, String> refs = new LinkedHashMap<>();
        final Map<String, Map<String, String>> files = new LinkedHashMap<>();
        final List<Map<String, Object>> issues = new ArrayList<>();
        final List<Map<String, Object>> comments = new ArrayList<>();
        int next = 1;

        Repo(String name) {
            this.name = name;
            refs.put("main", sha("main of " + name));
            files.put("main", new LinkedHashMap<>());
        }
    }

    private FakeGitHub(String token) {
        this.token = token;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake that accepts only {@code token}, with repository {@code acme/site}. */
    public static FakeGitHub start(String token) {
        FakeGitHub fake = new FakeGitHub(token);
        fake.repo("acme/site");
        return fake;
    }

    /** Returns the API base URL, e.g. {@code http://127.0.0.1:12345}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds an empty repository. */
    public FakeGitHub repo(String fullName) {
        repos.put(fullName, new Repo(fullName));
        return this;
    }

    /** Adds an issue directly (as someone else opened it). */
    public synchronized void seedIssue(String repo, String title) {
        Repo r = repos.get(repo);
        r.issues.add(issue(r, title, ""));
    }

    /** Makes the next {@code count} requests answer a secondary rate limit with {@code status} and {@code seconds} of Retry-After. */
    public void throttleNext(int count, int status, int seconds) {
        throttleStatus = status;
        retryAfter = seconds;
        throttled.set(count);
    }

    /** Returns the requests so far. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Returns how many requests had {@code method} and {@code path}. */
    public long count(String method, String path) {
        return requests().stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path))
                .count();
    }

    /** Returns the issues of {@code repo}, oldest first. */
    public synchronized List<Map<String, Object>> issues(String repo) {
        return List.copyOf(repos.get(repo).issues);
    }

    /** Returns the content of {@code path} on {@code branch}, or null. */
    public synchronized String file(String repo, String branch, String path) {
        Map<String, String> files = repos.get(repo).files.get(branch);
        String encoded = files == null ? null : files.get(path);
        return encoded == null ? null : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath();
        requests.add(new Request(exchange.getRequestMethod(), path, body));
        try {
            if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.getResponseHeaders().add("Retry-After", Integer.toString(retryAfter));
                send(
                        exchange,
                        throttleStatus,
                        Map.of(
                                "message",
                                "You have exceeded a secondary rate limit. Please wait a few minutes "
                                        + "before you try again.",
                                "documentation_url",
                                "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"));
                return;
            }
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(
                        exchange,
                        401,
                        Map.of("message", "Bad credentials", "documentation_url", "https://docs.github.com/rest"));
                return;
            }
            Matcher m = REPO.matcher(path);
            Repo repo = m.matches() ? repos.get(m.group(1) + "/" + m.group(2)) : null;
            if (repo == null) {
                notFound(exchange);
                return;
            }
            synchronized (this) {
                route(exchange, repo, m.group(3) == null ? "" : m.group(3), body);
            }
        } catch (RuntimeException e) {
            send(exchange, 500, Map.of("message", "fake failed: " + e));
        }
    }

    private void route(HttpExchange exchange, Repo repo, String rest, String body) throws IOException {
        String method = exchange.getRequestMethod();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        if (rest.isEmpty() && method.equals("GET")) {
            send(
                    exchange,
                    200,
                    Map.of(
                            "full_name",
                            repo.name,
                            "description",
                            "The " + repo.name + " repository",
                            "default_branch",
                            repo.defaultBranch,
                            "private",
                            false,
                            "stargazers_count",
                            3,
                            "open_issues_count",
                            repo.issues.size(),
                            "html_url",
                            "https://github.com/" + repo.name));
        } else if (rest.equals("/issues") && method.equals("GET")) {
            listIssues(exchange, repo, query);
        } else if (rest.equals("/issues") && method.equals("POST")) {
            Map<String, Object> in = json(body);
            if (!(in.get("title") instanceof String title) || title.isBlank()) {
                send(
                        exchange,
                        422,
                        Map.of(
                                "message",
                                "Validation Failed",
                                "errors",
                                List.of(Map.of("resource", "Issue", "code", "missing_field", "field", "title")),
                                "documentation_url",
                                "https://docs.github.com/rest/issues/issues#create-an-issue"));
                return;
            }
            Map<String, Object> issue = issue(repo, title, in.get("body") instanceof String b ? b : "");
            repo.issues.add(issue);
            send(exchange, 201, issue);
        } else if (rest.matches("/issues/\\d+/comments") && method.equals("POST")) {
            int number = Integer.parseInt(rest.split("/")[2]);
            if (repo.issues.stream().noneMatch(i -> ((Number) i.get("number")).intValue() == number)) {
                notFound(exchange);
                return;
            }
            Map<String, Object> comment = Map.of(
                    "id",
                    repo.comments.size() + 1,
                    "body",
                    json(body).get("body"),
                    "html_url",
                    "https://github.com/" + repo.name + "/issues/" + number + "#issuecomment-"
                            + (repo.comments.size() + 1));
            repo.comments.add(comment);
            send(exchange, 201, comment);
        } else if (rest.startsWith("/git/ref/heads/") && method.equals("GET")) {
            String branch = URLDecoder.decode(rest.substring("/git/ref/heads/".length()), StandardCharsets.UTF_8);
            String sha = repo.refs.get(branch);
            if (sha == null) {
                notFound(exchange);
                return;
            }
            send(exchange, 200, Map.of("ref", "refs/heads/" + branch, "object", Map.of("type", "commit", "sha", sha)));
        } else if (rest.equals("/git/refs") && method.equals("POST")) {
            Map<String, Object> in = json(body);
            String branch = String.valueOf(in.get("ref")).replaceFirst("^refs/heads/", "");
            if (repo.refs.containsKey(branch)) {
                send(
                        exchange,
                        422,
                        Map.of(
                                "message",
                                "Reference already exists",
                                "documentation_url",
                                "https://docs.github.com/rest"));
                return;
            }
            repo.refs.put(branch, String.valueOf(in.get("sha")));
            repo.files.put(branch, new LinkedHashMap<>(repo.files.get(repo.defaultBranch)));
            send(exchange, 201, Map.of("ref", "refs/heads/" + branch, "object", Map.of("sha", in.get("sha"))));
        } else if (rest.startsWith("/contents/")) {
            contents(
                    exchange,
                    repo,
                    URLDecoder.decode(rest.substring("/contents/".length()), StandardCharsets.UTF_8),
                    query,
                    body);
        } else if (rest.equals("/pulls") && method.equals("POST")) {
            Map<String, Object> in = json(body);
            String head = String.valueOf(in.get("head"));
            String base = String.valueOf(in.get("base"));
            if (!repo.refs.containsKey(head) || repo.refs.get(head).equals(repo.refs.get(base))) {
                send(
                        exchange,
                        422,
                        Map.of(
                                "message",
                                "Validation Failed",
                                "errors",
                                List.of(Map.of(
                                        "resource",
                                        "PullRequest",
                                        "code",
                                        "custom",
                                        "message",
                                        "No commits between " + base + " and " + head))));
                return;
            }
            // A pull request is an issue too (GitHub lists it among the issues, marked with "pull_request").
            Map<String, Object> pull = issue(repo, String.valueOf(in.get("title")), "");
            int number = (Integer) pull.get("number");
            pull.put("html_url", "https://github.com/" + repo.name + "/pull/" + number);
            pull.put("pull_request", Map.of("url", url() + "/repos/" + repo.name + "/pulls/" + number));
            repo.issues.add(pull);
            send(exchange, 201, Map.of("number", number, "title", in.get("title"), "html_url", pull.get("html_url")));
        } else {
            notFound(exchange);
        }
    }

    private void listIssues(HttpExchange exchange, Repo repo, Map<String, String> query) throws IOException {
        String state = query.getOrDefault("state", "open");
        int perPage = Math.min(100, Integer.parseInt(query.getOrDefault("per_page", "30")));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        List<Map<String, Object>> matching = new ArrayList<>();
        for (int i = repo.issues.size() - 1; i >= 0; i--) {
            Map<String, Object> issue = repo.issues.get(i);
            if (state.equals("all") || state.equals(issue.get("state"))) {
                matching.add(issue);
            }
        }
        int from = Math.min(matching.size(), (page - 1) * perPage);
        int to = Math.min(matching.size(), from + perPage);
        int last = Math.max(1, (matching.size() + perPage - 1) / perPage);
        if (page < last) {
            String base = url() + "/repos/" + repo.name + "/issues?state=" + state + "&per_page=" + perPage + "&page=";
            exchange.getResponseHeaders()
                    .add("Link", "<" + base + (page + 1) + ">; rel=\"next\", <" + base + last + ">; rel=\"last\"");
        }
        send(exchange, 200, matching.subList(from, to));
    }

    private void contents(HttpExchange exchange, Repo repo, String path, Map<String, String> query, String body)
            throws IOException {
        if (exchange.getRequestMethod().equals("GET")) {
            String branch = query.getOrDefault("ref", repo.defaultBranch);
            Map<String, String> files = repo.files.get(branch);
            String content = files == null ? null : files.get(path);
            if (content == null) {
                notFound(exchange);
                return;
            }
            send(
                    exchange,
                    200,
                    Map.of(
                            "type",
                            "file",
                            "path",
                            path,
                            "sha",
                            sha(content),
                            "content",
                            content,
                            "encoding",
                            "base64"));
            return;
        }
        Map<String, Object> in = json(body);
        String branch = in.get("branch") instanceof String b ? b : repo.defaultBranch;
        Map<String, String> files = repo.files.get(branch);
        if (files == null) {
            notFound(exchange);
            return;
        }
        String existing = files.get(path);
        if (existing != null && !(in.get("sha") instanceof String)) {
            send(exchange, 422, Map.of("message", "Invalid request.\n\n\"sha\" wasn't supplied."));
            return;
        }
        if (existing != null && !sha(existing).equals(in.get("sha"))) {
            send(exchange, 409, Map.of("message", path + " does not match " + in.get("sha")));
            return;
        }
        String content = String.valueOf(in.get("content"));
        files.put(path, content);
        String commit = sha("commit " + branch + " " + path + " " + content);
        repo.refs.put(branch, commit);
        send(
                exchange,
                existing == null ? 201 : 200,
                Map.of(
                        "content",
                        Map.of("path", path, "sha", sha(content)),
                        "commit",
                        Map.of("sha", commit, "message", String.valueOf(in.get("message")))));
    }

    private Map<String, Object> issue(Repo repo, String title, String body) {
        int number = repo.next++;
        Map<String, Object> issue = new LinkedHashMap<>();
        issue.put("number", number);
        issue.put("title", title);
        issue.put("body", body);
        issue.put("state", "open");
        issue.put("html_url", "https://github.com/" + repo.name + "/issues/" + number);
        return issue;
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        send(exchange, 404, Map.of("message", "Not Found", "documentation_url", "https://docs.github.com/rest"));
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JsonWriter.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String body) {
        return body.isBlank() ? Map.of() : JsonReader.readObject(body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(
                            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static String sha(String text) {
        try {
            return HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-1")
                            .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
