package dev.nexus.host.interchange;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import dev.nexus.host.persona.PersonalityVersion;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The interchange endpoints:
 * <ul>
 *   <li>{@code POST /v1/personalities/import} (admin): the body is the file itself, or
 *       {@code multipart/form-data} with the file in a part (named {@code file}, or the first with a
 *       file name); {@code ?id=} chooses the id (default: a slug of the name). 201 with the created
 *       personality's id and version, the detected format and the warnings; 400 naming the problem,
 *       with nothing stored.</li>
 *   <li>{@code GET /v1/personalities/{id}/export?format=native|ccv2|ccv3|png|charx} (user): the file,
 *       with its content type and a {@code Content-Disposition} attachment name.</li>
 * </ul>
 * Stateless apart from its collaborators; thread-safe.
 */
public final class InterchangeRoutes {

    private final Interchange interchange;
    private final PersonalityLookup lookup;
    private final Function<Personality, PersonalityVersion> create;
    private final AvatarStore avatars;
    private final Consumer<KnowledgePack> knowledge;

    /**
     * @param create stores a new personality (the registry's {@code create}); throws
     *     {@link dev.nexus.host.ConflictException} when the id is taken
     * @param knowledge registers knowledge packs made from an imported file (ElizaOS knowledge)
     */
    public InterchangeRoutes(
            Interchange interchange,
            PersonalityLookup lookup,
            Function<Personality, PersonalityVersion> create,
            AvatarStore avatars,
            Consumer<KnowledgePack> knowledge) {
        this.interchange = interchange;
        this.lookup = lookup;
        this.create = create;
        this.avatars = avatars;
        this.knowledge = knowledge;
    }

    public List<Route> routes() {
        return List.of(
                Route.post("/v1/personalities/import", Access.ADMIN, this::importFile)
                        .withMaxBodyBytes(interchange.limits().maxInputBytes()),
                Route.get("/v1/personalities/{id}/export", Access.USER_SHARED, this::export));
    }

    private void importFile(Exchange exchange) {
        byte[] body = exchange.bodyBytes();
        String sourceName = exchange.query("name").orElse("upload");
        if (Multipart.isMultipart(exchange.contentType())) {
            Multipart.Part part =
                    Multipart.file(body, exchange.header("Content-Type").orElse(""));
            body = part.content();
            sourceName = part.fileName().filter(n -> !n.isBlank()).orElse(sourceName);
        }
        Imported imported = interchange.importBytes(body, sourceName);
        Personality personality = imported.personality();
        Optional<String> wantedId = exchange.query("id");
        List<String> warnings = new java.util.ArrayList<>(imported.warnings());
        PersonalityVersion version;
        if (wantedId.isPresent()) {
            version = create.apply(Bookkeeping.withId(personality, PersonalityId.of(wantedId.get())));
        } else {
            version = createWithFreeId(personality, warnings);
        }
        imported.avatar().ifPresent(avatar -> avatars.save(version.id(), avatar));
        imported.knowledgePacks().forEach(knowledge);

        Map<String, Object> body201 = new LinkedHashMap<>();
        body201.put("id", version.id().value());
        body201.put("version", version.version());
        body201.put("name", version.personality().name());
        body201.put("format", imported.format().name().toLowerCase(java.util.Locale.ROOT));
        body201.put("avatar", imported.avatar().isPresent());
        body201.put(
                "knowledgePacks",
                imported.knowledgePacks().stream().map(KnowledgePack::id).toList());
        body201.put("warnings", warnings);
        exchange.header("Location", "/v1/personalities/" + version.id().value());
        exchange.respond(201, body201);
    }

    /**
     * Stores a personality under the id the import chose (from the name); when that id is taken, under
     * the first free {@code <id>-2}, {@code <id>-3}, …: a 409 is never caused by an id the caller did
     * not ask for (issue 12).
     */
    private PersonalityVersion createWithFreeId(Personality personality, List<String> warnings) {
        String base = personality.id().value();
        for (int n = 1; n <= 1000; n++) {
            String suffix = n == 1 ? "" : "-" + n;
            String candidate =
                    (base.length() + suffix.length() > 64 ? base.substring(0, 64 - suffix.length()) : base) + suffix;
            PersonalityId id =
                    PersonalityId.of(candidate.replaceAll("-+$", "").isEmpty() ? "personality" + suffix : candidate);
            if (n > 1 && lookup.current(id).isPresent()) {
                continue;
            }
            try {
                PersonalityVersion version = create.apply(n == 1 ? personality : Bookkeeping.withId(personality, id));
                if (n > 1) {
                    warnings.add("the id '" + base + "' is taken; imported as '" + id + "' (use ?id= to choose one)");
                }
                return version;
            } catch (dev.nexus.host.ConflictException taken) {
                if (lookup.current(n == 1 ? personality.id() : id).isEmpty()) {
                    throw taken; // refused for another reason than a taken id
                }
            }
        }
        throw new dev.nexus.host.ConflictException(
                "no free id for '" + base + "' after 1000 tries; choose one with ?id=");
    }

    private void export(Exchange exchange) {
        PersonalityId id = PersonalityId.of(exchange.pathParam("id"));
        ExportFormat format = ExportFormat.parse(exchange.query("format").orElse("native"));
        PersonalityVersion version = lookup.current(id)
                .orElseThrow(
                        () -> new NotFoundException("no personality '" + id + "'; GET /v1/personalities lists them"));
        Exported exported = interchange.export(version.personality(), avatars.find(id), format);
        exchange.header("Content-Disposition", contentDisposition(exported.fileName()));
        if (!exported.warnings().isEmpty()) {
            exchange.header(
                    "Nexus-Export-Warnings",
                    InvalidInputException.cap(
                            String.join(" | ", exported.warnings()).replaceAll("[\\r\\n]", " ")));
        }
        exchange.respondBytes(200, exported.contentType(), exported.bytes());
    }

    static String contentDisposition(String fileName) {
        String ascii = fileName.replaceAll("[^A-Za-z0-9._-]", "_");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
