package dev.nexus.host.console;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The web console: {@code GET /} (a redirect), {@code GET /console} (the page) and
 * {@code GET /console/{file}} (its scripts, styles and icon), plain files from the class path written
 * for Nexus (no build step, no third-party code). They are public because they hold no data: the page
 * asks for an API key and calls the {@code /v1} API with it, so every answer it shows passed the same
 * authorization as any other client. Every response carries a strict Content-Security-Policy (own
 * scripts and styles only, no inline code, connections to this origin only, no framing). Stateless.
 */
public final class ConsoleRoutes {

    private static final String BASE = "dev/nexus/host/console/";
    /** The files served, with their media types; nothing else on the class path is reachable. */
    private static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("console.css", "text/css; charset=utf-8"),
            Map.entry("console.js", "text/javascript; charset=utf-8"),
            Map.entry("api.js", "text/javascript; charset=utf-8"),
            Map.entry("chat.js", "text/javascript; charset=utf-8"),
            Map.entry("memory.js", "text/javascript; charset=utf-8"),
            Map.entry("admin.js", "text/javascript; charset=utf-8"),
            Map.entry("evolution.js", "text/javascript; charset=utf-8"),
            Map.entry("knowledge.js", "text/javascript; charset=utf-8"),
            Map.entry("rooms.js", "text/javascript; charset=utf-8"),
            Map.entry("dom.js", "text/javascript; charset=utf-8"),
            Map.entry("icon.svg", "image/svg+xml"));

    /** The page's policy: only this origin's files and API; blob: and data: images for exports and avatars. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; form-action 'none'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.get("/", Access.PUBLIC, exchange -> {
                    exchange.header("Location", "/console");
                    exchange.respondBytes(
                            302,
                            "text/plain; charset=utf-8",
                            "The Nexus web console is at /console\n".getBytes(StandardCharsets.UTF_8));
                }),
                Route.get(
                        "/console",
                        Access.PUBLIC,
                        exchange -> serve(exchange, "index.html", "text/html; charset=utf-8")),
                Route.get("/console/{file}", Access.PUBLIC, exchange -> {
                    String file = exchange.pathParam("file");
                    String type = FILES.get(file);
                    if (type == null) {
                        throw new NotFoundException(
                                "no file '" + InvalidInputException.cap(file) + "' in the web console; it serves "
                                        + FILES.keySet().stream().sorted().toList());
                    }
                    serve(exchange, file, type);
                }));
    }

    private static void serve(Exchange exchange, String file, String type) {
        try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(BASE + file)) {
            if (in == null) {
                throw new NotFoundException(
                        "the web console's '" + file + "' is missing from the class path; rebuild the host");
            }
            exchange.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            exchange.header("X-Content-Type-Options", "nosniff");
            exchange.header("X-Frame-Options", "DENY");
            exchange.header("Referrer-Policy", "no-referrer");
            // Revalidate every time: the files change with the host, and they are small.
            exchange.header("Cache-Control", "no-cache");
            exchange.respondBytes(200, type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
