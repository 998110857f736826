package dev.nexus.plugin.httpfetch;

import dev.nexus.api.PluginContext;
import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolResult;
import dev.nexus.api.tool.ToolSpec;
import org.pf4j.Extension;

/**
 * The {@code http_fetch} tool: an HTTP GET of one URL on an operator-allowlisted host, returning the
 * response text. Refuses other hosts and schemes, user-info URLs, and (unless configured) host names
 * that resolve to private or local addresses; follows a few redirects, checking each like the first
 * URL; reads at most {@code max-response-bytes} and gives up after {@code timeout-ms}. Configuration
 * is in {@link FetchSettings}. Thread-safe: the configuration is read once at start; every call builds its own HTTP client.
 *
 * <p>Known limit: the address check resolves the host before the request and the JDK client resolves
 * it again when connecting, so a DNS server that changes its answer in between (DNS rebinding) is not
 * stopped. Allowlist hosts whose DNS you trust, or IP literals.
 */
@Extension
public final class HttpFetch implements Tool {

    /** The tool name the model calls. */
    public static final String NAME = "http_fetch";

    private static final ToolSpec SPEC = new ToolSpec(
            NAME,
            "Fetches a web page or API response by URL with an HTTP GET and returns its text, cut at a size "
                    + "limit. Only hosts an operator has allowlisted can be reached; other hosts are refused.",
            """
            {"type":"object","properties":{"url":{"type":"string","maxLength":2048,\
            "description":"The absolute http(s) URL to fetch; its host must be on the operator's allowlist."}},\
            "required":["url"],"additionalProperties":false}""",
            RiskLevel.LOW);

    private volatile FetchSettings settings;

    /** Creates the tool; PF4J calls this. */
    public HttpFetch() {}

    /**
     * Reads and checks the configuration once; a bad section fails the plugin at start, naming the key.
     *
     * @throws IllegalArgumentException naming the key, the value and what is expected
     */
    @Override
    public void start(PluginContext context) {
        settings = FetchSettings.from(context.config());
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public ToolResult invoke(ToolCall call) {
        FetchSettings current = settings;
        if (current == null) {
            return new ToolResult.Failure(NAME + " is not started", true);
        }
        for (String key : call.arguments().keySet()) {
            if (!key.equals("url")) {
                return new ToolResult.Failure(
                        "unknown argument '" + Fetch.cap(key) + "'; " + NAME + " takes only 'url'", false);
            }
        }
        if (!(call.arguments().get("url") instanceof String url)) {
            return new ToolResult.Failure(
                    "argument 'url' is required and must be a string such as " + "\"https://example.com/page\"", false);
        }
        if (current.hosts().isEmpty()) {
            return new ToolResult.Failure(
                    NAME + " may not reach any host yet: an operator must list hosts under "
                            + "plugins.config.http-fetch.allowed-hosts",
                    false);
        }
        return new Fetch(current).run(url);
    }
}
