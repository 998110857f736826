package dev.nexus.host.http;

import dev.nexus.host.AccessDeniedException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.TooManyRequestsException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Scope;
import dev.nexus.host.json.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP server: Javalin behind our own {@link Route}/{@link Exchange} types. Authenticates every
 * non-public route with {@code Authorization: Bearer <key>}, checks the route's scope, and maps every
 * failure to an RFC 9457 problem document (unknown routes and methods included). Requests run on
 * virtual threads. Thread-safe; {@link #close()} stops it.
 */
public final class HttpServer implements AutoCloseable {

    static final String STREAMED = "nexus.streamed";
    private static final String ANSWERED = "nexus.answered";
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final Javalin app;
    private final String host;
    private final List<Route> routes;
    private final Drain drain;

    private HttpServer(Javalin app, String host, List<Route> routes, Drain drain) {
        this.app = app;
        this.host = host;
        this.routes = List.copyOf(routes);
        this.drain = drain;
    }

    /** Returns the routes served. */
    public List<Route> routes() {
        return routes;
    }

    /**
     * Starts a server on the configured host and port with {@code routes}, without per-key limits.
     *
     * @throws IllegalStateException if the port cannot be bound; the message names it
     */
    public static HttpServer start(ServerConfig config, Authenticator authenticator, List<Route> routes) {
        return start(config, authenticator, routes, Actions.NONE);
    }

    /**
     * Starts a server as {@link #start(ServerConfig, Authenticator, List)} does, reporting the actions of
     * authorized requests to {@code actions} (the audit trail), without per-key limits.
     */
    public static HttpServer start(
            ServerConfig config, Authenticator authenticator, List<Route> routes, Actions actions) {
        return start(
                config, new LimitsConfig(false, null, null, null), Clock.systemUTC(), authenticator, routes, actions);
    }

    /**
     * Starts a server on the configured host and port with {@code routes}, holding every key to
     * {@code limits} (request rate and open streams, measured with {@code clock}) and reporting the
     * actions of authorized requests to {@code actions} (the audit trail).
     *
     * @throws IllegalStateException if the port cannot be bound; the message names it
     */
    public static HttpServer start(
            ServerConfig config,
            LimitsConfig limits,
            Clock clock,
            Authenticator authenticator,
            List<Route> routes,
            Actions actions) {
        return start(config, limits, clock, authenticator, routes, actions, RequestObserver.NONE);
    }

    /**
     * Starts a server as {@link #start(ServerConfig, LimitsConfig, Clock, Authenticator, List, Actions)} does,
     * telling {@code observer} about every answer (for metrics).
     */
    public static HttpServer start(
            ServerConfig config,
            LimitsConfig limits,
            Clock clock,
            Authenticator authenticator,
            List<Route> routes,
            Actions actions,
            RequestObserver observer) {
        RequestLimits requestLimits = new RequestLimits(limits, clock);
        Drain drain = new Drain();
        Javalin app = Javalin.create(javalin -> {
            // Every answer, errors and finished event streams included, with the route's template (never the raw path).
            javalin.requestLogger.http((ctx, millis) -> observer.answered(
                    ctx.method().name(), routeOf(ctx), ctx.statusCode(), (long) (millis * 1_000_000)));
            javalin.showJavalinBanner = false;
            javalin.useVirtualThreads = true;
            javalin.startupWatcherEnabled = false;
            // Bodies are read and limited per route by JavalinExchange; this only guards Javalin's own readers.
            javalin.http.maxRequestSize = Math.max(
                    config.maxBodyBytes(),
                    routes.stream().mapToLong(Route::maxBodyBytes).max().orElse(0));
            javalin.http.prefer405over404 = true;
            javalin.router.ignoreTrailingSlashes = true;
            javalin.jetty.defaultHost = config.host();
            javalin.jetty.defaultPort = config.port();
            // Requests Jetty refuses itself (oversized headers, bad paths) get problem JSON too, never HTML.
            javalin.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
            javalin.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new ProblemErrorHandler()));
        });
        for (Route route : routes) {
            app.addHttpHandler(
                    HandlerType.valueOf(route.method()),
                    route.path(),
                    ctx -> handle(ctx, route, authenticator, actions, requestLimits, config.maxBodyBytes(), drain));
        }
        app.exception(Exception.class, (error, ctx) -> problem(ctx, error));
        app.error(
                404,
                ctx -> unanswered(
                        ctx,
                        404,
                        "Not found",
                        "no route " + ctx.method().name() + " " + ctx.path() + "; see docs/api.md for the paths"));
        app.error(
                405,
                ctx -> unanswered(
                        ctx, 405, "Method not allowed", ctx.method().name() + " is not supported on " + ctx.path()));
        try {
            app.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot listen on " + config.host() + ":" + config.port() + " (" + e.getMessage()
                            + "); choose another port with NEXUS_PORT",
                    e);
        }
        return new HttpServer(app, config.host(), routes, drain);
    }

    /** The matched route's template; {@code unmatched} when no route matched (Javalin throws then). */
    private static String routeOf(Context ctx) {
        try {
            String path = ctx.endpointHandlerPath();
            return path.isEmpty() || path.equals("*") ? "unmatched" : path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    private static void handle(
            Context ctx,
            Route route,
            Authenticator authenticator,
            Actions actions,
            RequestLimits limits,
            long serverLimit,
            Drain drain)
            throws Exception {
        // Every log line of this request carries its id (structured logs show it as a field); the client sees it too.
        String requestId = Long.toHexString(System.nanoTime())
                + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        ctx.header("X-Request-Id", requestId);
        drain.enter();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("request", requestId)) {
            handleInContext(ctx, route, authenticator, actions, limits, serverLimit, drain);
        } finally {
            drain.leave();
        }
    }

    private static void handleInContext(
            Context ctx,
            Route route,
            Authenticator authenticator,
            Actions actions,
            RequestLimits limits,
            long serverLimit,
            Drain drain)
            throws Exception {
        if (route.errors() == Route.ErrorShape.PROBLEM) {
            serve(ctx, route, authenticator, actions, limits, serverLimit, drain);
            return;
        }
        try {
            serve(ctx, route, authenticator, actions, limits, serverLimit, drain);
        } catch (Exception e) {
            if (ctx.req().getAttribute(STREAMED) != null) {
                throw e;
            }
            Problems.Problem problem = Problems.openAi(e, ctx.path());
            retryAfter(ctx, e);
            ctx.attribute(ANSWERED, Boolean.TRUE);
            retryAfter(ctx, problem.status());
            ctx.status(problem.status());
            ctx.contentType("application/json");
            ctx.result(Json.writeBytes(problem.body()));
        }
    }

    private static void serve(
            Context ctx,
            Route route,
            Authenticator authenticator,
            Actions actions,
            RequestLimits limits,
            long serverLimit,
            Drain drain)
            throws Exception {
        if (drain.draining() && !route.path().startsWith("/health")) {
            // Stopping: nothing new starts (nothing is stored); the client retries, on another instance if there is
            // one.
            ctx.header("Connection", "close");
            throw new dev.nexus.host.DependencyException(
                    "the server is shutting down; send the request again"
                            + " (to another instance, or to this one once it is back)",
                    true,
                    null);
        }
        requireUtf8Target(ctx);
        JavalinExchange exchange = (route.maxBodyBytes() > 0
                        ? new JavalinExchange(
                                ctx,
                                route.maxBodyBytes(),
                                "the limit of " + route.method() + " " + route.path(),
                                limits)
                        : new JavalinExchange(ctx, serverLimit, "server.max-body-bytes", limits))
                .drain(drain);
        if (route.access().scope().isPresent()) {
            Caller caller = authenticator.authenticate(bearer(ctx));
            // Every authenticated request counts, refused ones included: a key cannot probe faster than its rate.
            limits.admit(caller);
            var scope = route.access().scope().get();
            if (!caller.has(scope)) {
                throw AccessDeniedException.forbidden("this key lacks the '" + scope.label() + "' scope needed for "
                        + route.method() + " " + route.path() + "; its scopes are "
                        + caller.scopes().stream().map(s -> s.label()).sorted().toList()
                        + (scope == Scope.USER ? " (approver does not include user: give the key both scopes)" : ""));
            }
            requireOwner(ctx, route.access(), caller);
            exchange.caller(caller);
        }
        var action = actions.begin(route, exchange);
        try {
            route.handler().handle(exchange);
        } catch (InterruptedException e) {
            if (!drain.draining()) {
                throw e;
            }
            return; // a watcher ended by a graceful stop
        } finally {
            exchange.releaseStream(); // a stream lasts as long as its handler runs
            exchange.unwatch();
        }
        if (action.isPresent()
                && ctx.req().getAttribute(STREAMED) == null
                && exchange.responded()
                && ctx.statusCode() < 400) {
            action.get()
                    .completed(ctx.statusCode(), Optional.ofNullable(ctx.res().getHeader("Location")));
        }
        if (ctx.req().getAttribute(STREAMED) == null) {
            ctx.attribute(ANSWERED, Boolean.TRUE);
            if (!exchange.responded()) {
                throw new IllegalStateException(
                        "handler for " + route.method() + " " + route.path() + " did not respond");
            }
        }
    }

    /**
     * The path and query, percent-decoded, must be UTF-8: the servlet container would otherwise turn
     * broken sequences (and encoded surrogates) into U+FFFD, storing text the client never sent.
     */
    private static void requireUtf8Target(Context ctx) {
        String query = ctx.req().getQueryString();
        requireUtf8Encoded(ctx.req().getRequestURI(), "the path");
        if (query != null) {
            requireUtf8Encoded(query, "the query string");
        }
    }

    private static void requireUtf8Encoded(String encoded, String what) {
        if (encoded.indexOf('%') < 0) {
            return;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%'
                    && i + 2 < encoded.length()
                    && Character.digit(encoded.charAt(i + 1), 16) >= 0
                    && Character.digit(encoded.charAt(i + 2), 16) >= 0) {
                bytes.write(
                        Character.digit(encoded.charAt(i + 1), 16) * 16 + Character.digit(encoded.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        Json.requireUtf8(bytes.toByteArray(), what + " (percent-decoded)");
    }

    /** Another user's resource (or an unknown one) is 404 alike, so ids reveal nothing; admins see everything. */
    private static void requireOwner(Context ctx, Access access, Caller caller) {
        if (access.kind() != Access.Kind.USER_OWNS && access.kind() != Access.Kind.USER_MEMBER || caller.admin()) {
            return;
        }
        String id = ctx.pathParam(access.parameter().orElseThrow());
        if (!access.reaches(id, caller.principal())) {
            throw NotFoundException.of(access.resource(), id);
        }
    }

    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"nexus\"");
            throw AccessDeniedException.unauthenticated(
                    "missing Authorization header; send 'Authorization: Bearer <api key>'");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"nexus\"");
            throw AccessDeniedException.unauthenticated("the Authorization header must be 'Bearer <api key>'");
        }
        return header.substring(7).strip();
    }

    private static void problem(Context ctx, Exception error) {
        if (ctx.req().getAttribute(STREAMED) != null) {
            LOG.warn("{} {} failed after its event stream started: {}", ctx.method(), ctx.path(), error.toString());
            return;
        }
        if (error instanceof HttpResponseException javalin) {
            write(
                    ctx,
                    javalin.getStatus(),
                    Problems.document(
                            javalin.getStatus(),
                            title(javalin.getStatus()),
                            javalin.getStatus() == 413
                                    ? "request body exceeds the configured limit (server.max-body-bytes)"
                                    : javalin.getMessage(),
                            ctx.path()));
            return;
        }
        Problems.Problem problem = Problems.of(error, ctx.path());
        retryAfter(ctx, error);
        write(ctx, problem.status(), problem.body());
    }

    /** A 429 says when to come back. */
    private static void retryAfter(Context ctx, Exception error) {
        if (error instanceof TooManyRequestsException tooMany) {
            ctx.header("Retry-After", Long.toString(tooMany.retryAfterSeconds()));
        }
    }

    private static void unanswered(Context ctx, int status, String title, String detail) {
        if (ctx.attribute(ANSWERED) == null && ctx.req().getAttribute(STREAMED) == null) {
            write(ctx, status, Problems.document(status, title, detail, ctx.path()));
        }
    }

    /** A 503 says when to try again: the conditions behind it (database, model, pool) are short-lived. */
    private static void retryAfter(Context ctx, int status) {
        if (status == 503) {
            ctx.header("Retry-After", Integer.toString(Problems.RETRY_AFTER_SECONDS));
        }
    }

    private static void write(Context ctx, int status, Object body) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        retryAfter(ctx, status);
        ctx.status(status);
        ctx.contentType(Problems.MEDIA_TYPE);
        ctx.result(Json.writeBytes(body));
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Invalid input";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 413 -> "Payload too large";
            case 429 -> "Too many requests";
            default -> "HTTP " + status;
        };
    }

    /** Returns the port actually bound (useful with port 0). */
    public int port() {
        return app.port();
    }

    /** Returns the base URI, e.g. {@code http://127.0.0.1:8080}. */
    public URI baseUri() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        if (shown.contains(":") && !shown.startsWith("[")) {
            shown = "[" + shown + "]";
        }
        return URI.create("http://" + shown.toLowerCase(Locale.ROOT) + ":" + port());
    }

    /**
     * Stops gracefully: refuses new requests (503 with {@code Retry-After}; {@code /health} still
     * answers, saying the host is stopping), ends watching event streams, and waits at most
     * {@code limit} for the requests in flight (turns and their streams) to finish. Returns how many
     * were still running when the limit passed (0 when everything finished).
     */
    public int drain(java.time.Duration limit) {
        drain.begin();
        int left = drain.await(limit);
        if (left > 0) {
            LOG.warn(
                    "{} request(s) still running after the shutdown limit of {} s; they are cut off",
                    left,
                    limit.toSeconds());
        }
        return left;
    }

    @Override
    public void close() {
        drain.begin();
        app.stop();
    }
}
