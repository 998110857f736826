package dev.nexus.host.persona;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import dev.nexus.host.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v1/personalities}: list, read, create, replace, delete and version history. Bodies are the
 * native document as JSON (camelCase or kebab-case keys) or as YAML ({@code Content-Type:
 * application/yaml}); responses carry the document with camelCase keys. Reading needs the
 * {@code user} scope, changing needs {@code admin}.
 */
public final class PersonalityRoutes {

    private static final Set<String> YAML_TYPES =
            Set.of("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml");
    private static final String BODY = "request body";

    private final PersonalityService service;
    private final PersonaCodec codec;

    /** Creates the routes over {@code service}. */
    public PersonalityRoutes(PersonalityService service) {
        this.service = service;
        this.codec = service.codec();
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.get("/v1/personalities", Access.USER_SHARED, this::list),
                Route.post("/v1/personalities", Access.ADMIN, this::create),
                Route.get(
                        "/v1/personalities/{id}",
                        Access.USER_SHARED,
                        exchange -> exchange.respond(200, view(service.get(id(exchange))))),
                Route.put("/v1/personalities/{id}", Access.ADMIN, this::replace),
                Route.delete("/v1/personalities/{id}", Access.ADMIN, exchange -> {
                    service.delete(id(exchange));
                    exchange.respondBytes(204, "application/json", new byte[0]);
                }),
                Route.get("/v1/personalities/{id}/versions", Access.USER_SHARED, this::versions),
                Route.get("/v1/personalities/{id}/versions/{version}", Access.USER_SHARED, exchange -> {
                    PersonalityId id = id(exchange);
                    Registered registered = service.get(id);
                    PersonalityVersion version = service.version(id, versionNumber(exchange.pathParam("version")));
                    exchange.respond(200, view(new Registered(version, registered.owner(), List.of())));
                }));
    }

    /**
     * Lists the personalities; {@code ?trait=directness>0.7} (several separated by commas, or the
     * parameter repeated as one list) keeps those whose traits pass, {@code ?q=} those whose id, name,
     * description, summary, tags or values contain the text (case-insensitive).
     */
    private void list(Exchange exchange) {
        List<TraitFilter> filters =
                exchange.query("trait").map(TraitFilter::parse).orElse(List.of());
        String q = exchange.query("q").map(String::strip).orElse("").toLowerCase(Locale.ROOT);
        List<Map<String, Object>> items = service.list().stream()
                .filter(r -> filters.stream().allMatch(f -> f.test(r.version().personality())))
                .filter(r ->
                        q.isEmpty() || searchable(r.version().personality()).contains(q))
                .map(PersonalityRoutes::summary)
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("personalities", items);
        body.put(
                "problems",
                service.problems().stream().map(BundleProblem::toString).toList());
        exchange.respond(200, body);
    }

    private void create(Exchange exchange) {
        Personality personality = parse(exchange, Optional.empty());
        PersonalityVersion created = service.create(personality);
        exchange.header("Location", "/v1/personalities/" + created.id());
        exchange.respond(201, view(service.get(created.id())));
    }

    private void replace(Exchange exchange) {
        PersonalityId id = id(exchange);
        Personality personality = parse(exchange, Optional.of(id));
        service.replace(personality);
        exchange.respond(200, view(service.get(id)));
    }

    private void versions(Exchange exchange) {
        PersonalityId id = id(exchange);
        Registered registered = service.get(id);
        List<Map<String, Object>> versions = service.versions(id).stream()
                .map(version -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("version", version.version());
                    item.put("source", version.source());
                    item.put("createdAt", version.createdAt());
                    item.put("traits", version.personality().traits().values());
                    return item;
                })
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id.value());
        body.put("current", registered.version().version());
        body.put("versions", versions);
        exchange.respond(200, body);
    }

    private Personality parse(Exchange exchange, Optional<PersonalityId> expectedId) {
        byte[] body = exchange.bodyBytes();
        if (body.length == 0) {
            throw new InvalidInputException("the body must be a personality document: JSON (or YAML with "
                    + "Content-Type: application/yaml) with at least a name; see docs/personality-format.md");
        }
        boolean yaml = exchange.contentType()
                .map(type -> YAML_TYPES.contains(type.toLowerCase(Locale.ROOT)))
                .orElse(false);
        if (yaml) {
            return codec.decode(BODY, body, expectedId, Map.of());
        }
        return codec.decodeTree(BODY, Json.readMap(utf8(body)), expectedId);
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("the body is not valid UTF-8; send the personality as UTF-8 JSON");
        }
    }

    private static PersonalityId id(Exchange exchange) {
        return PersonalityId.of(exchange.pathParam("id"));
    }

    private static int versionNumber(String text) {
        if (!text.matches("[1-9][0-9]{0,8}")) {
            throw new InvalidInputException(
                    "version must be a positive whole number, got '" + InvalidInputException.cap(text) + "'");
        }
        return Integer.parseInt(text);
    }

    private static String searchable(Personality p) {
        return String.join(
                        "\n",
                        p.id().value(),
                        p.name(),
                        p.description(),
                        p.summary(),
                        String.join(" ", p.tags()),
                        String.join(" ", p.values()))
                .toLowerCase(Locale.ROOT);
    }

    private static Map<String, Object> summary(Registered registered) {
        Personality p = registered.version().personality();
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", p.id().value());
        item.put("name", p.name());
        item.put("summary", p.summary().isBlank() ? firstSentence(p.description()) : p.summary());
        item.put("tags", p.tags());
        item.put("version", registered.version().version());
        item.put("source", registered.version().source());
        item.put("owner", owner(registered.owner()));
        item.put("traits", p.traits().values());
        item.put(
                "problems",
                registered.problems().stream().map(BundleProblem::toString).toList());
        return item;
    }

    private Map<String, Object> view(Registered registered) {
        PersonalityVersion version = registered.version();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", version.id().value());
        body.put("version", version.version());
        body.put("source", version.source());
        body.put("createdAt", version.createdAt());
        body.put("owner", owner(registered.owner()));
        body.put("personality", codec.tree(version.personality(), PersonaCodec.KeyStyle.CAMEL));
        body.put(
                "problems",
                registered.problems().stream().map(BundleProblem::toString).toList());
        body.put("warnings", LoreCheck.problems(version.personality().lore()));
        return body;
    }

    private static Map<String, Object> owner(Owner owner) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("kind", owner.kind().label());
        if (!owner.detail().isEmpty()) {
            view.put(owner.kind() == Owner.Kind.PLUGIN ? "plugin" : "file", owner.detail());
        }
        return view;
    }

    private static String firstSentence(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        int end = flat.indexOf(". ");
        String sentence = end < 0 ? flat : flat.substring(0, end + 1);
        return sentence.length() > 200 ? sentence.substring(0, 199) + "…" : sentence;
    }
}
