package dev.nexus.plugin.httpfetch;

import dev.nexus.api.tool.ToolResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/** One {@code http_fetch} call: check, request, follow redirects, read a limited body. Confined to one thread. */
final class Fetch {

    private static final int MAX_URL_LENGTH = 2048;
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final String ACCEPT =
            "text/*, application/json, application/xml, application/*+json, application/*+xml;q=0.9";

    private final FetchSettings settings;
    private final long deadline;

    Fetch(FetchSettings settings) {
        this.settings = settings;
        this.deadline = System.nanoTime() + settings.timeout().toNanos();
    }

    ToolResult run(String url) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
        try {
            URI uri = check(parse(url));
            for (int redirects = 0; ; redirects++) {
                HttpResponse<LimitedBody.Bytes> response = send(client, uri);
                int status = response.statusCode();
                if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                    if (redirects >= settings.maxRedirects()) {
                        throw new Refusal(
                                "stopped after " + settings.maxRedirects() + " redirects at " + cap(uri.toString()),
                                false);
                    }
                    String location = response.headers()
                            .firstValue("location")
                            .orElseThrow(
                                    () -> new Refusal("HTTP " + status + " redirect without a Location header", false));
                    uri = check(resolve(uri, location));
                    continue;
                }
                return answer(uri, response);
            }
        } catch (Refusal refusal) {
            return new ToolResult.Failure(refusal.getMessage(), refusal.retriable);
        } finally {
            client.shutdownNow();
        }
    }

    private static URI parse(String url) {
        if (url.length() > MAX_URL_LENGTH) {
            throw new Refusal("argument 'url' is longer than " + MAX_URL_LENGTH + " characters", false);
        }
        try {
            return new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Refusal("argument 'url' is not a valid URL: '" + cap(url) + "'", false);
        }
    }

    private static URI resolve(URI base, String location) {
        try {
            return base.resolve(new URI(location.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new Refusal("redirect to an invalid URL: '" + cap(location) + "'", false);
        }
    }

    /** Applies scheme, user-info, allowlist and address rules to {@code uri}; returns it when allowed. */
    private URI check(URI uri) {
        String scheme = Optional.ofNullable(uri.getScheme())
                .map(s -> s.toLowerCase(Locale.ROOT))
                .orElse("");
        if (scheme.isEmpty()) {
            throw new Refusal(
                    "'" + cap(uri.toString()) + "' is not an absolute URL; give one such as https://example.com/page",
                    false);
        }
        if (!settings.schemes().contains(scheme)) {
            throw new Refusal(
                    "scheme '" + cap(scheme) + "' is not allowed; http_fetch allows "
                            + settings.schemes().stream().sorted().toList(),
                    false);
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refusal("URLs with user info (user@host) are refused", false);
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new Refusal("'" + cap(uri.toString()) + "' has no valid host name", false);
        }
        String name = HostAllowlist.normalise(host);
        if (!settings.hosts().allows(name)) {
            throw new Refusal(
                    "host '" + cap(name) + "' is not in http-fetch's allowed-hosts; an operator can add it under "
                            + "plugins.config.http-fetch.allowed-hosts",
                    false);
        }
        boolean explicitLiteral = settings.hosts().listsExactly(name) && isIpLiteral(name);
        if (!settings.allowPrivateAddresses() && !explicitLiteral) {
            for (InetAddress address : resolveAll(name)) {
                if (AddressPolicy.isPrivate(address)) {
                    throw new Refusal(
                            "host '" + name + "' resolves to a private or local address (" + address.getHostAddress()
                                    + "); set allow-private-addresses: true only if http_fetch should reach internal services",
                            false);
                }
            }
        }
        return uri;
    }

    private static InetAddress[] resolveAll(String name) {
        try {
            return InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            throw new Refusal("cannot resolve host '" + name + "'", true);
        }
    }

    private HttpResponse<LimitedBody.Bytes> send(HttpClient client, URI uri) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw timedOut(uri);
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofNanos(left))
                .header("Accept", ACCEPT)
                .header("User-Agent", "nexus-http-fetch/1")
                .GET()
                .build();
        CompletableFuture<HttpResponse<LimitedBody.Bytes>> future = client.sendAsync(request, info -> {
            boolean wanted = info.statusCode() / 100 == 2
                    && isText(contentType(info.headers().firstValue("content-type")));
            return new LimitedBody(wanted ? settings.maxResponseBytes() : 0);
        });
        try {
            return future.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timedOut(uri);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new Refusal("interrupted while fetching " + cap(uri.toString()), true);
        } catch (ExecutionException e) {
            throw failed(uri, e.getCause());
        }
    }

    private ToolResult answer(URI uri, HttpResponse<LimitedBody.Bytes> response) {
        int status = response.statusCode();
        if (status / 100 != 2) {
            boolean retriable = status == 408 || status == 425 || status == 429 || status >= 500;
            return new ToolResult.Failure(uri.getHost() + " answered HTTP " + status, retriable);
        }
        String contentType = contentType(response.headers().firstValue("content-type"));
        if (!isText(contentType)) {
            return new ToolResult.Failure(
                    "content type " + cap(contentType) + " is not text; http_fetch returns text only", false);
        }
        LimitedBody.Bytes body = response.body();
        String text = new String(body.bytes(), charset(response.headers().firstValue("content-type")));
        if (body.truncated()) {
            text += "\n[truncated: the response is longer than " + settings.maxResponseBytes() + " bytes]";
        }
        return new ToolResult.Success(text, contentType);
    }

    private static String contentType(Optional<String> header) {
        return header.map(value -> value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .filter(value -> !value.isEmpty())
                .orElse("text/plain");
    }

    private static boolean isText(String type) {
        return type.startsWith("text/")
                || type.equals("application/json")
                || type.equals("application/xml")
                || type.endsWith("+json")
                || type.endsWith("+xml")
                || type.equals("application/javascript");
    }

    private static Charset charset(Optional<String> header) {
        String value = header.orElse("");
        for (String parameter : value.split(";")) {
            String[] pair = parameter.strip().split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
                try {
                    return Charset.forName(pair[1].strip().replace("\"", ""));
                } catch (IllegalArgumentException unsupported) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static boolean isIpLiteral(String name) {
        return IPV4_LITERAL.matcher(name).matches() || name.contains(":");
    }

    private Refusal timedOut(URI uri) {
        return new Refusal(
                "no complete answer from " + uri.getHost() + " within "
                        + settings.timeout().toMillis() + " ms",
                true);
    }

    private Refusal failed(URI uri, Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
            return timedOut(uri);
        }
        if (cause instanceof ConnectException) {
            return new Refusal("could not connect to " + uri.getHost() + ": connection refused", true);
        }
        if (cause instanceof IOException) {
            return new Refusal(
                    "fetching from " + uri.getHost() + " failed: " + cap(String.valueOf(cause.getMessage())), true);
        }
        return new Refusal("fetching from " + uri.getHost() + " failed: " + cause, false);
    }

    static String cap(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }

    /** Ends a call with a failure; internal control flow only, turned into a {@link ToolResult.Failure}. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean retriable;

        Refusal(String message, boolean retriable) {
            super(message, null, false, false);
            this.retriable = retriable;
        }
    }
}
