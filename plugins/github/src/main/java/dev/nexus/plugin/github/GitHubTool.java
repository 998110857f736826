package dev.nexus.plugin.github;

import dev.nexus.api.PluginContext;
import dev.nexus.api.PluginStore;
import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolResult;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What every GitHub action shares: settings and client made once at start, arguments checked,
 * failures returned as values (retriable or not, as GitHub's answer says). A write (high risk) is
 * idempotent by call id: its result is kept in the plugin store for 30 days under the call's id, and a
 * repeated call (the task executor's retry, or a second approval) answers from there instead of
 * writing again. Thread-safe.
 */
abstract class GitHubTool implements Tool {

    private static final Duration REMEMBER = Duration.ofDays(30);

    private volatile GitHubSettings settings;
    private volatile GitHubClient client;
    private volatile PluginStore store;

    @Override
    public void start(PluginContext context) {
        settings = GitHubSettings.from(context);
        client = new GitHubClient(settings);
        store = context.store();
    }

    @Override
    public final ToolResult invoke(ToolCall call) {
        GitHubClient current = client;
        if (current == null) {
            return new ToolResult.Failure(spec().name() + " is not started", true);
        }
        boolean write = spec().risk() == RiskLevel.HIGH;
        String key = "call:" + spec().name() + ":" + (call.id() == null ? "" : call.id());
        try {
            Args args = new Args(spec().name(), call.arguments());
            if (write && call.id() != null && !call.id().isBlank()) {
                Optional<String> done = store.get(key);
                if (done.isPresent()) {
                    return new ToolResult.Success(
                            done.get() + " (done earlier for this call; not repeated)", "text/plain");
                }
            }
            String result = run(current, args, settings);
            if (write && call.id() != null && !call.id().isBlank()) {
                try {
                    store.put(key, result.length() > 4000 ? result.substring(0, 4000) : result, REMEMBER);
                } catch (RuntimeException e) {
                    // The write happened; failing to remember it only weakens the protection against a repeat.
                }
            }
            return new ToolResult.Success(result, "text/plain");
        } catch (GitHubException e) {
            return new ToolResult.Failure(e.getMessage(), e.retriable());
        } catch (PluginStore.Unavailable e) {
            return new ToolResult.Failure(
                    "the plugin store is unavailable, so a repeat of this call could not be ruled out; "
                            + "try again later",
                    true);
        }
    }

    /** Runs the action; returns the text the model reads. */
    abstract String run(GitHubClient github, Args args, GitHubSettings settings);

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new GitHubException("GitHub's answer for " + what + " is not an object", true);
    }

    static String text(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value == null ? "" : String.valueOf(value);
    }

    static String schema(String properties, String... required) {
        return "{\"type\":\"object\",\"properties\":{" + properties + "},\"required\":["
                + String.join(
                        ",",
                        java.util.Arrays.stream(required)
                                .map(r -> "\"" + r + "\"")
                                .toList())
                + "],\"additionalProperties\":false}";
    }

    static final String REPO =
            "\"repo\":{\"type\":\"string\",\"maxLength\":200,\"description\":\"owner/name, e.g. octocat/hello-world\"}";

    static String segment(String path) {
        return java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("%2F", "/");
    }
}
