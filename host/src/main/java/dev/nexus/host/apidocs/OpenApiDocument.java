package dev.nexus.host.apidocs;

import dev.nexus.host.http.Access;
import dev.nexus.host.http.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the OpenAPI 3.1 document from the route table (every path, method and scope, as served) and
 * the per-route declarations in {@link RouteDocs} (summaries and schemas). A route without a
 * declaration still appears, marked {@code x-nexus-undocumented}. Stateless.
 */
final class OpenApiDocument {

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}|<([^>]+)>");

    private OpenApiDocument() {}

    /** Returns the routes of {@code routes} that have no declaration, as {@code METHOD path}. */
    static List<String> undocumented(List<Route> routes) {
        return routes.stream()
                .filter(r -> RouteDocs.of(r.method(), r.path()).isEmpty())
                .map(r -> r.method() + " " + r.path())
                .toList();
    }

    static Map<String, Object> build(List<Route> routes, String version) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.1.0");
        document.put(
                "info",
                Map.of(
                        "title",
                        "Nexus API",
                        "version",
                        version,
                        "description",
                        "Every HTTP route of this Nexus server. Send `Authorization: Bearer <api key>`; each operation "
                                + "names the scope it needs (x-nexus-scope: user < approver; admin includes both). Errors are RFC 9457 "
                                + "problem documents, except on the OpenAI-compatible paths. Details: docs/api.md."));
        document.put("servers", List.of(Map.of("url", "/")));
        Map<String, Object> paths = new TreeMap<>();
        for (Route route : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item =
                    (Map<String, Object>) paths.computeIfAbsent(openApiPath(route.path()), p -> new TreeMap<>());
            item.put(route.method().toLowerCase(Locale.ROOT), operation(route));
        }
        document.put("paths", paths);
        Map<String, Object> schemas = new LinkedHashMap<>(RouteDocs.components());
        document.put(
                "components",
                Map.of(
                        "schemas",
                        schemas,
                        "securitySchemes",
                        Map.of(
                                "bearer",
                                Map.of("type", "http", "scheme", "bearer", "description", "a Nexus API key"))));
        return document;
    }

    static String openApiPath(String path) {
        return PARAMETER
                .matcher(path)
                .replaceAll(m -> Matcher.quoteReplacement("{" + (m.group(1) != null ? m.group(1) : m.group(2)) + "}"));
    }

    private static Map<String, Object> operation(Route route) {
        Map<String, Object> op = new LinkedHashMap<>();
        String scope = route.access() == Access.PUBLIC
                ? "public"
                : route.access().scope().orElseThrow().label();
        op.put("operationId", operationId(route));
        op.put("tags", List.of(tag(route.path())));
        op.put("x-nexus-scope", scope);
        op.put("security", route.access() == Access.PUBLIC ? List.of() : List.of(Map.of("bearer", List.of())));
        List<Map<String, Object>> parameters = new ArrayList<>();
        Matcher m = PARAMETER.matcher(route.path());
        while (m.find()) {
            boolean rest = m.group(2) != null;
            parameters.add(Map.of(
                    "name",
                    rest ? m.group(2) : m.group(1),
                    "in",
                    "path",
                    "required",
                    true,
                    "schema",
                    Map.of("type", "string"),
                    "description",
                    rest ? "the rest of the path (may contain '/')" : ""));
        }
        if (!parameters.isEmpty()) {
            op.put("parameters", parameters);
        }
        var declared = RouteDocs.of(route.method(), route.path());
        Map<String, Object> responses = new TreeMap<>();
        if (declared.isPresent()) {
            RouteDocs.Operation operation = declared.get();
            op.put("summary", operation.summary());
            op.put("description", "Scope: " + scope + ". Documented in docs/" + operation.doc() + ".");
            operation
                    .request()
                    .ifPresent(body -> op.put(
                            "requestBody",
                            Map.of(
                                    "required",
                                    true,
                                    "content",
                                    Map.of(body.mediaType(), Map.of("schema", body.schema())))));
            Map<String, Object> success = new LinkedHashMap<>();
            success.put("description", operation.summary());
            if (!operation.response().mediaType().isEmpty()) {
                success.put(
                        "content",
                        Map.of(
                                operation.response().mediaType(),
                                Map.of("schema", operation.response().schema())));
            }
            responses.put(Integer.toString(operation.status()), success);
        } else {
            op.put("summary", "undocumented");
            op.put("x-nexus-undocumented", true);
            responses.put("200", Map.of("description", "undocumented"));
        }
        Map<String, Object> error = Map.of(
                "application/json",
                Map.of(
                        "schema",
                        Map.of(
                                "$ref",
                                "#/components/schemas/"
                                        + (route.errors() == Route.ErrorShape.OPENAI ? "OpenAiError" : "Problem"))));
        if (route.access() != Access.PUBLIC) {
            responses.putIfAbsent(
                    "401", Map.of("description", "no key, or an unknown or revoked key", "content", error));
            responses.putIfAbsent("403", Map.of("description", "the key lacks the scope " + scope, "content", error));
            responses.putIfAbsent(
                    "429",
                    Map.of(
                            "description",
                            "the key is over its request rate or open streams (limits.*); "
                                    + "Retry-After says when to try again",
                            "content",
                            error));
        }
        if (declared.flatMap(RouteDocs.Operation::request).isPresent() || !parameters.isEmpty()) {
            responses.putIfAbsent(
                    "400",
                    Map.of("description", "invalid input; the detail names the field and the fix", "content", error));
        }
        if (!parameters.isEmpty()) {
            responses.putIfAbsent("404", Map.of("description", "unknown resource", "content", error));
        }
        op.put("responses", responses);
        return op;
    }

    private static String operationId(Route route) {
        StringBuilder id = new StringBuilder(route.method().toLowerCase(Locale.ROOT));
        for (String part : route.path().split("[/{}<>._-]+")) {
            if (!part.isEmpty()) {
                id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return id.toString();
    }

    private static String tag(String path) {
        String[] parts = path.split("/");
        if (parts.length > 2 && parts[1].equals("v1")) {
            return parts[2];
        }
        return parts.length > 1 && !parts[1].isEmpty() ? parts[1].replace(".json", "") : "server";
    }
}
