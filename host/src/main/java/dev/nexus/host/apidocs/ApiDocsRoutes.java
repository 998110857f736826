package dev.nexus.host.apidocs;

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
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The API reference: {@code GET /openapi.json} (OpenAPI 3.1, built from the route table) and
 * {@code GET /docs/api}, an interactive page (Swagger UI from its webjar, served from the class path:
 * no internet needed). Both are public: they describe the API, not data. Stateless.
 */
public final class ApiDocsRoutes {

    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    /** The assets the page loads; nothing else of the webjar is served. */
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css",
            "swagger-ui-bundle.js", "text/javascript",
            "swagger-ui-standalone-preset.js", "text/javascript",
            "favicon-32x32.png", "image/png");

    private final Supplier<List<Route>> routes;
    private final String version;

    /** Creates the routes; {@code routes} supplies the whole route table (read on each request). */
    public ApiDocsRoutes(Supplier<List<Route>> routes, String version) {
        this.routes = routes;
        this.version = version;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.get(
                        "/openapi.json",
                        Access.PUBLIC,
                        exchange -> exchange.respond(200, OpenApiDocument.build(routes.get(), version))),
                Route.get("/docs/api", Access.PUBLIC, ApiDocsRoutes::page),
                Route.get("/docs/api/{file}", Access.PUBLIC, ApiDocsRoutes::asset));
    }

    /** Returns the routes of {@code all} that have no declaration in the reference, as {@code METHOD path}. */
    public static List<String> undocumented(List<Route> all) {
        return OpenApiDocument.undocumented(all);
    }

    private static void page(Exchange exchange) {
        String html = """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>Nexus API reference</title>
                  <link rel="stylesheet" href="/docs/api/swagger-ui.css">
                  <link rel="icon" type="image/png" href="/docs/api/favicon-32x32.png">
                </head>
                <body>
                  <div id="swagger-ui"></div>
                  <script src="/docs/api/swagger-ui-bundle.js"></script>
                  <script src="/docs/api/swagger-ui-standalone-preset.js"></script>
                  <script>
                    window.ui = SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true,
                      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout',
                      persistAuthorization: true});
                  </script>
                </body>
                </html>
                """;
        exchange.respondBytes(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static void asset(Exchange exchange) {
        String file = exchange.pathParam("file");
        String type = ASSETS.get(file);
        if (type == null) {
            throw new NotFoundException(
                    "no asset '" + dev.nexus.host.InvalidInputException.cap(file) + "' in the API reference page");
        }
        try (InputStream in =
                ApiDocsRoutes.class.getClassLoader().getResourceAsStream(WEBJAR + swaggerVersion() + "/" + file)) {
            if (in == null) {
                throw new NotFoundException("the swagger-ui webjar lacks '" + file + "'");
            }
            exchange.header("Cache-Control", "public, max-age=86400");
            exchange.respondBytes(200, type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String swaggerVersion() throws IOException {
        try (InputStream in = ApiDocsRoutes.class
                .getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new NotFoundException("the swagger-ui webjar is not on the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
    }
}
