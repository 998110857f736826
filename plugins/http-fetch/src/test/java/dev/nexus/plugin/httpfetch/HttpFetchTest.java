package dev.nexus.plugin.httpfetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolContract;
import dev.nexus.api.tool.ToolResult;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpFetchTest extends ToolContract {

    private static LocalServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = new LocalServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected Tool newTool() {
        return new HttpFetch();
    }

    @Override
    protected FakePluginContext newContext() {
        return context(Map.of());
    }

    @Override
    protected Optional<Map<String, Object>> workingArguments() {
        return Optional.of(Map.of("url", server.url("/hello")));
    }

    @Test
    void spec_isTheLowRiskHttpFetchTool() {
        assertThat(new HttpFetch().spec().name()).isEqualTo("http_fetch");
        assertThat(new HttpFetch().spec().risk()).isEqualTo(dev.nexus.api.tool.RiskLevel.LOW);
    }

    @Test
    void fetch_allowedHost_returnsTheTextAndMediaType() {
        assertThat(fetch(server.url("/hello"))).isEqualTo(new ToolResult.Success("Hello, Nexus! ✓", "text/plain"));
        assertThat(fetch(server.url("/json"))).isEqualTo(new ToolResult.Success("{\"answer\":42}", "application/json"));
    }

    @Test
    void fetch_decodesTheDeclaredCharset() {
        assertThat(fetch(server.url("/latin1"))).isEqualTo(new ToolResult.Success("café", "text/plain"));
    }

    @Test
    void fetch_bodyOverTheLimit_isCutAndMarked() {
        ToolResult result = fetch(context(Map.of("max-response-bytes", 1000)), server.url("/big"));

        assertThat(result).isInstanceOfSatisfying(ToolResult.Success.class, success -> {
            assertThat(success.content())
                    .startsWith("0123456789".repeat(100))
                    .endsWith("\n[truncated: the response is longer than 1000 bytes]");
            assertThat(success.content())
                    .hasSize(1000 + "\n[truncated: the response is longer than 1000 bytes]".length());
        });
    }

    @Test
    void fetch_hostNotAllowed_isRefusedWithoutContactingIt() {
        assertThat(fetch("http://example.com/"))
                .isEqualTo(new ToolResult.Failure(
                        "host 'example.com' is not in http-fetch's allowed-hosts; an operator can add it under "
                                + "plugins.config.http-fetch.allowed-hosts",
                        false));
    }

    @Test
    void fetch_schemeNotAllowed_isRefused() {
        assertThat(fetch("file:///etc/passwd"))
                .isEqualTo(new ToolResult.Failure("scheme 'file' is not allowed; http_fetch allows [http]", false));
        assertThat(fetch(context(Map.of("schemes", List.of("https"))), server.url("/hello")))
                .isEqualTo(new ToolResult.Failure("scheme 'http' is not allowed; http_fetch allows [https]", false));
    }

    @Test
    void fetch_trickyUrls_areRefused() {
        assertThat(fetch("http://127.0.0.1@example.com/"))
                .isEqualTo(new ToolResult.Failure("URLs with user info (user@host) are refused", false));
        assertThat(fetch("http://example.com@127.0.0.1:" + server.port() + "/hello"))
                .isEqualTo(new ToolResult.Failure("URLs with user info (user@host) are refused", false));
        assertThat(fetch("/relative/path"))
                .isEqualTo(new ToolResult.Failure(
                        "'/relative/path' is not an absolute URL; give one such as https://example.com/page", false));
        assertThat(fetch("http://[::ffff:127.0.0.1]:" + server.port() + "/hello"))
                .isInstanceOfSatisfying(
                        ToolResult.Failure.class,
                        f -> assertThat(f.message()).startsWith("host '::ffff:127.0.0.1' is not in"));
        assertThat(fetch("http://2130706433/"))
                .isInstanceOfSatisfying(
                        ToolResult.Failure.class,
                        f -> assertThat(f.message()).startsWith("host '2130706433' is not in"));
        assertThat(fetch("http://exa mple.com/"))
                .isEqualTo(new ToolResult.Failure("argument 'url' is not a valid URL: 'http://exa mple.com/'", false));
    }

    @Test
    void fetch_allowlistedNameResolvingToLoopback_isRefusedUnlessPrivateAddressesAreAllowed() {
        String url = "http://localhost:" + server.port() + "/hello";
        FakePluginContext strict = context(Map.of("allowed-hosts", List.of("localhost")));
        FakePluginContext relaxed =
                context(Map.of("allowed-hosts", List.of("localhost"), "allow-private-addresses", true));

        assertThat(fetch(strict, url)).isInstanceOfSatisfying(ToolResult.Failure.class, failure -> {
            assertThat(failure.message())
                    .startsWith("host 'localhost' resolves to a private or local address (")
                    .endsWith("); set allow-private-addresses: true only if http_fetch should reach internal services");
            assertThat(failure.retriable()).isFalse();
        });
        assertThat(fetch(relaxed, url)).isInstanceOf(ToolResult.Success.class);
    }

    @Test
    void fetch_redirectWithinTheAllowlist_isFollowed() {
        String target = URLEncoder.encode(server.url("/json"), StandardCharsets.UTF_8);

        assertThat(fetch(server.url("/redirect/?" + target)))
                .isEqualTo(new ToolResult.Success("{\"answer\":42}", "application/json"));
    }

    @Test
    void fetch_redirectToAnotherHost_isRefused() {
        String target = URLEncoder.encode("http://metadata.internal/latest", StandardCharsets.UTF_8);

        assertThat(fetch(server.url("/redirect/?" + target)))
                .isEqualTo(new ToolResult.Failure(
                        "host 'metadata.internal' is not in http-fetch's allowed-hosts; an operator can add it under "
                                + "plugins.config.http-fetch.allowed-hosts",
                        false));
    }

    @Test
    void fetch_redirectLoop_stopsAtTheLimit() {
        assertThat(fetch(server.url("/loop")))
                .isEqualTo(new ToolResult.Failure("stopped after 3 redirects at " + server.url("/loop"), false));
    }

    @Test
    void fetch_errorStatuses_areFailuresRetriableOnlyWhenTransient() {
        assertThat(fetch(server.url("/status/404")))
                .isEqualTo(new ToolResult.Failure("127.0.0.1 answered HTTP 404", false));
        assertThat(fetch(server.url("/status/503")))
                .isEqualTo(new ToolResult.Failure("127.0.0.1 answered HTTP 503", true));
        assertThat(fetch(server.url("/status/429")))
                .isEqualTo(new ToolResult.Failure("127.0.0.1 answered HTTP 429", true));
    }

    @Test
    void fetch_binaryContent_isRefused() {
        assertThat(fetch(server.url("/image")))
                .isEqualTo(new ToolResult.Failure(
                        "content type image/png is not text; http_fetch returns text only", false));
    }

    @Test
    void fetch_serverThatNeverAnswers_timesOutRetriably() {
        ToolResult result = fetch(context(Map.of("timeout-ms", 300)), server.url("/stall"));

        assertThat(result).isEqualTo(new ToolResult.Failure("no complete answer from 127.0.0.1 within 300 ms", true));
    }

    @Test
    void fetch_bodyThatNeverEnds_timesOutRetriably() {
        ToolResult result = fetch(context(Map.of("timeout-ms", 300)), server.url("/drip"));

        assertThat(result).isEqualTo(new ToolResult.Failure("no complete answer from 127.0.0.1 within 300 ms", true));
    }

    @Test
    void fetch_closedPort_isARetriableConnectionFailure() throws IOException {
        int closed;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        ToolResult result = fetch("http://127.0.0.1:" + closed + "/");

        assertThat(result)
                .isEqualTo(new ToolResult.Failure("could not connect to 127.0.0.1: connection refused", true));
    }

    @Test
    void invoke_withoutConfiguredHosts_explainsWhatToConfigure() {
        ToolResult result = started(FakePluginContext.of("http-fetch")).invoke(call(server.url("/hello")));

        assertThat(result)
                .isEqualTo(new ToolResult.Failure(
                        "http_fetch may not reach any host yet: an operator must list "
                                + "hosts under plugins.config.http-fetch.allowed-hosts",
                        false));
    }

    @Test
    void start_withBadConfiguration_failsNamingTheKey() {
        assertThatThrownBy(() -> started(context(Map.of("timeout-ms", 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("http-fetch config 'timeout-ms' must be between 100 and 120000, got 5");
        assertThatThrownBy(() -> started(context(Map.of("allowed-hosts", List.of("https://example.com/path")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("http-fetch config 'allowed-hosts' entry 'https://example.com/path' must be "
                        + "a host name (docs.example.com), an IP address (203.0.113.7) or a subdomain wildcard "
                        + "(*.example.com), without scheme, port or path");
        assertThatThrownBy(() -> started(context(Map.of("schemes", List.of("ftp")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("http-fetch config 'schemes' may contain only http and https, got 'ftp'");
    }

    @Test
    void invoke_beforeStart_isARetriableFailureNotAnException() {
        assertThat(new HttpFetch().invoke(call(server.url("/hello"))))
                .isEqualTo(new ToolResult.Failure("http_fetch is not started", true));
    }

    @Test
    void invoke_withWrongArguments_saysWhatIsExpected() {
        Tool tool = started(newContext());

        assertThat(tool.invoke(new ToolCall("c", "http_fetch", Map.of("url", 7L), "u", "p")))
                .isEqualTo(new ToolResult.Failure(
                        "argument 'url' is required and must be a string such as \"https://example.com/page\"", false));
        assertThat(tool.invoke(new ToolCall(
                        "c", "http_fetch", Map.of("url", server.url("/hello"), "method", "POST"), "u", "p")))
                .isEqualTo(new ToolResult.Failure("unknown argument 'method'; http_fetch takes only 'url'", false));
        assertThat(fetch("http://127.0.0.1/" + "x".repeat(3000)))
                .isEqualTo(new ToolResult.Failure("argument 'url' is longer than 2048 characters", false));
    }

    private ToolResult fetch(String url) {
        return fetch(newContext(), url);
    }

    private static ToolResult fetch(FakePluginContext context, String url) {
        return started(context).invoke(call(url));
    }

    private static HttpFetch started(FakePluginContext context) {
        HttpFetch tool = new HttpFetch();
        tool.start(context);
        return tool;
    }

    private static ToolCall call(String url) {
        return new ToolCall("call-1", "http_fetch", Map.of("url", url), "ada", "tutor");
    }

    private static FakePluginContext context(Map<String, Object> overrides) {
        return FakePluginContext.builder("http-fetch")
                .config(Map.of("allowed-hosts", List.of("127.0.0.1"), "schemes", List.of("http")))
                .config(overrides)
                .build();
    }
}
