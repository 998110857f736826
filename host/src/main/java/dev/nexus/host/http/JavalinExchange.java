package dev.nexus.host.http;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.PayloadTooLargeException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link Exchange} over a Javalin context. Confined to the request thread. */
final class JavalinExchange implements Exchange {

    private final Context ctx;
    private final long maxBodyBytes;
    private final String limitName;
    private final RequestLimits limits;
    private boolean holdsStream;
    private Caller caller = Caller.anonymous();
    private byte[] body;
    private SseStream stream;
    private boolean responded;
    private Drain drain;

    JavalinExchange(Context ctx, long maxBodyBytes, String limitName, RequestLimits limits) {
        this.ctx = ctx;
        this.maxBodyBytes = maxBodyBytes;
        this.limitName = limitName;
        this.limits = limits;
    }

    /** Event streams of GET routes (watchers, which never end by themselves) are ended by a graceful stop. */
    JavalinExchange drain(Drain value) {
        this.drain = value;
        return this;
    }

    /** Forgets the watcher this exchange registered, once its handler returned. */
    void unwatch() {
        if (drain != null && stream != null) {
            drain.unwatch(stream);
        }
    }

    void caller(Caller authenticated) {
        this.caller = authenticated;
    }

    boolean responded() {
        return responded || stream != null;
    }

    @Override
    public String method() {
        return ctx.method().name();
    }

    @Override
    public String path() {
        return ctx.path();
    }

    @Override
    public String pathParam(String name) {
        return checked("path parameter", name, ctx.pathParam(name));
    }

    @Override
    public Optional<String> query(String name) {
        return Optional.ofNullable(ctx.queryParam(name)).map(value -> checked("query parameter", name, value));
    }

    /** Query and path text obeys the same rules as JSON text (no NUL, no unpaired surrogates) on every database. */
    private static String checked(String what, String name, String value) {
        Json.textProblem(value).ifPresent(problem -> {
            throw new InvalidInputException(what + " '" + name + "': " + problem);
        });
        return value;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(ctx.header(name));
    }

    @Override
    public Map<String, List<String>> headers() {
        TreeMap<String, List<String>> headers = new TreeMap<>();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            headers.put(
                    name.toLowerCase(Locale.ROOT), Collections.list(ctx.req().getHeaders(name)));
        }
        return Collections.unmodifiableMap(headers);
    }

    @Override
    public Optional<String> contentType() {
        String type = ctx.contentType();
        if (type == null || type.isBlank()) {
            return Optional.empty();
        }
        int semicolon = type.indexOf(';');
        return Optional.of(
                (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT));
    }

    @Override
    public byte[] bodyBytes() {
        if (body == null) {
            body = readBody();
        }
        return body;
    }

    private byte[] readBody() {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge(declared);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (bytes.length > maxBodyBytes) {
                throw tooLarge(-1);
            }
            return bytes;
        } catch (IOException | RuntimeException e) {
            if (e instanceof PayloadTooLargeException tooLarge) {
                throw tooLarge;
            }
            // A truncated body, a malformed chunk or a client gone mid-body: the client's fault, answered at once.
            throw new InvalidInputException(
                    "the request body could not be read completely (truncated, or malformed "
                            + "chunked encoding); send the whole body with a correct Content-Length or chunked framing",
                    e);
        }
    }

    private PayloadTooLargeException tooLarge(long declared) {
        return new PayloadTooLargeException("request body " + (declared >= 0 ? "of " + declared + " bytes " : "")
                + "exceeds the limit of " + maxBodyBytes + " bytes (" + limitName + ")");
    }

    @Override
    public <T> T json(Class<T> type) {
        byte[] bytes = bodyBytes();
        if (bytes.length == 0) {
            throw new InvalidInputException("the request body is empty; send a JSON object");
        }
        Optional<String> contentType = contentType();
        if (contentType.isPresent()
                && !contentType.get().equals("application/json")
                && !contentType.get().endsWith("+json")) {
            throw new InvalidInputException("expected Content-Type application/json, got '"
                    + InvalidInputException.cap(contentType.get()) + "'");
        }
        return Json.read(bytes, type);
    }

    @Override
    public void requireNoBody() {
        if (bodyBytes().length > 0) {
            throw new InvalidInputException(method() + " " + path() + " takes no request body, but " + body.length
                    + " bytes came; send the request without one");
        }
    }

    @Override
    public Caller caller() {
        return caller;
    }

    @Override
    public void respond(int status, Object body) {
        respondBytes(status, "application/json", Json.writeBytes(body));
    }

    @Override
    public void respondBytes(int status, String contentType, byte[] bytes) {
        if (stream != null) {
            throw new IllegalStateException("the response is an event stream already");
        }
        responded = true;
        ctx.status(status);
        if (status == 503) {
            ctx.header("Retry-After", Integer.toString(Problems.RETRY_AFTER_SECONDS));
        }
        if (status == 204) {
            ctx.result(new byte[0]);
            return;
        }
        ctx.contentType(contentType);
        ctx.result(bytes);
    }

    @Override
    public void header(String name, String value) {
        ctx.header(name, value);
    }

    @Override
    public void reserveStream() {
        if (!holdsStream) {
            limits.openStream(caller);
            holdsStream = true;
        }
    }

    /** Gives back the stream this exchange reserved, if any; called when the handler returns. */
    void releaseStream() {
        if (holdsStream) {
            holdsStream = false;
            limits.closeStream(caller);
        }
    }

    @Override
    public EventStream events() {
        if (stream == null) {
            if (responded) {
                throw new IllegalStateException("a response was already written");
            }
            reserveStream();
            try {
                ctx.req().setAttribute(HttpServer.STREAMED, Boolean.TRUE);
                stream = new SseStream(ctx.res());
                if (drain != null && method().equals("GET")) {
                    drain.watch(stream);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("opening the event stream failed", e);
            }
        }
        return stream;
    }
}
