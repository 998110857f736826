package dev.nexus.host.interchange;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.PayloadTooLargeException;
import dev.nexus.host.json.JsonTree;
import dev.nexus.host.persona.PersonaCodec;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Personality interchange: imports Character Cards (V1/V2/V3 JSON, PNG/APNG, CHARX), ElizaOS
 * characters (0.x, 1.x, 2.x) and standalone lorebooks (V3 {@code lorebook_v3}, SillyTavern World
 * Info) into the native model, and exports personalities as native, ccv2, ccv3, PNG or CHARX.
 *
 * <p>The format is recognised from the content, never from the file name. Every problem with the
 * input is an {@link InvalidInputException} naming it (input over
 * {@link InterchangeLimits#maxInputBytes()}: {@link PayloadTooLargeException}); nothing is stored
 * here, so a refused file leaves no trace. Fields the native model does not have are kept in the
 * personality's extensions and written back on export (see {@code docs/interchange.md}).
 *
 * <p>Immutable and thread-safe.
 */
public final class Interchange {

    private final InterchangeLimits limits;
    private final JsonTree json;
    private final CardReader cards;
    private final ElizaReader eliza;

    private final PersonaCodec codec;

    public Interchange(InterchangeLimits limits) {
        this.limits = limits;
        this.codec = new PersonaCodec();
        this.json = new JsonTree(limits.maxJsonDepth(), limits.maxCardBytes());
        this.cards = new CardReader(limits);
        this.eliza = new ElizaReader(limits);
    }

    /** Returns the limits in force. */
    public InterchangeLimits limits() {
        return limits;
    }

    /**
     * Reads a personality from a file's bytes.
     *
     * @param content the whole file
     * @param sourceName the file's name, used only in messages and as a fallback name
     * @throws InvalidInputException naming the problem (also for lorebook files: those are knowledge,
     *     see {@link #importLorebook})
     * @throws PayloadTooLargeException when the file is over {@link InterchangeLimits#maxInputBytes()}
     */
    public Imported importBytes(byte[] content, String sourceName) {
        Imported read = read(content, sourceName);
        List<String> warnings = new ArrayList<>(read.warnings());
        Personality personality = withinLimits(read.personality(), warnings);
        warnings.addAll(dev.nexus.host.persona.LoreCheck.problems(personality.lore()));
        if (warnings.size() == read.warnings().size() && personality == read.personality()) {
            return read;
        }
        return new Imported(personality, read.avatar(), read.knowledgePacks(), read.format(), warnings);
    }

    /**
     * Applies the limits {@code PUT /v1/personalities/{id}} applies, so an imported personality can be
     * edited and saved again: a name longer than {@link Personality#MAX_NAME_CHARS} is cut, with a
     * warning naming the field (issue 12).
     */
    private static Personality withinLimits(Personality p, List<String> warnings) {
        if (p.name().length() <= Personality.MAX_NAME_CHARS) {
            return p;
        }
        warnings.add("name: " + p.name().length() + " characters is over the limit of " + Personality.MAX_NAME_CHARS
                + " that editing applies; it was cut to the first " + Personality.MAX_NAME_CHARS);
        String name = p.name().substring(0, Personality.MAX_NAME_CHARS).strip();
        return new Personality(
                p.id(),
                name,
                p.description(),
                p.summary(),
                p.scenario(),
                p.voice(),
                p.style(),
                p.values(),
                p.traits(),
                p.systemPrompt(),
                p.postHistoryInstructions(),
                p.greetings(),
                p.examples(),
                p.knowledge(),
                p.lore(),
                p.creatorNotes(),
                p.tags(),
                p.creator(),
                p.characterVersion(),
                p.model(),
                p.avatar(),
                p.extensions());
    }

    private Imported read(byte[] content, String sourceName) {
        checkSize(content, sourceName);
        if (PngContainer.isPng(content)) {
            return fromPng(content);
        }
        if (CharxContainer.isZip(content)) {
            return fromCharx(content);
        }
        if (!looksLikeJson(content)) {
            return fromNative(content, sourceName);
        }
        JsonObject root = JsonObject.root(json.read(stripBom(content), describe(sourceName)), describe(sourceName));
        SourceFormat format = detect(root, sourceName);
        List<String> warnings = new ArrayList<>();
        return switch (format) {
            case NATIVE -> fromNative(content, sourceName);
            case CHARACTER_CARD_V1, CHARACTER_CARD_V2, CHARACTER_CARD_V3 ->
                new Imported(cards.read(root, format, warnings), Optional.empty(), List.of(), format, warnings);
            case ELIZA_V0, ELIZA_V1, ELIZA_V2 -> {
                ElizaReader.Read read = eliza.read(root, format, warnings);
                yield new Imported(
                        read.personality(),
                        Optional.empty(),
                        read.knowledge().stream().toList(),
                        format,
                        warnings);
            }
            case LOREBOOK_V3, WORLD_INFO ->
                throw new InvalidInputException("'" + InvalidInputException.cap(sourceName)
                        + "' is a lorebook ("
                        + format.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + "), not a character; import it as a knowledge pack instead");
            default -> throw new IllegalStateException("unexpected format " + format);
        };
    }

    /**
     * Reads a personality file dropped into the personalities directory, giving it {@code id} (the
     * registry derives it from the file name). Matches the persona registry's card-importer port, so
     * it can be wired as {@code interchange::importFile}. The avatar and any knowledge packs are not
     * returned here; use {@link #importBytes} to get them.
     *
     * @throws InvalidInputException naming what is wrong with the file
     */
    public Personality importFile(PersonalityId id, String fileName, byte[] content) {
        return Bookkeeping.withId(importBytes(content, fileName).personality(), id);
    }

    /**
     * Returns the importer for files dropped into the personalities directory: like
     * {@link #importFile}, and a card PNG's image is saved as the personality's avatar, so exporting
     * it back to PNG keeps the picture.
     */
    public dev.nexus.host.persona.CardImporter dropInImporter(AvatarStore avatars) {
        return (id, fileName, content) -> {
            Imported imported = importBytes(content, fileName);
            imported.avatar().ifPresent(avatar -> avatars.save(id, avatar));
            return Bookkeeping.withId(imported.personality(), id);
        };
    }

    /**
     * Reads a standalone lorebook (V3 {@code lorebook_v3} or SillyTavern World Info JSON), to be
     * registered as a knowledge pack with {@link ImportedLorebook#asKnowledgePack(String)}.
     *
     * @throws InvalidInputException when the file is not a lorebook or is invalid
     */
    public ImportedLorebook importLorebook(byte[] content, String sourceName) {
        checkSize(content, sourceName);
        JsonObject root = JsonObject.root(json.read(stripBom(content), describe(sourceName)), describe(sourceName));
        SourceFormat format = detect(root, sourceName);
        return switch (format) {
            case LOREBOOK_V3 -> LorebookReader.lorebookV3(root, limits);
            case WORLD_INFO -> LorebookReader.worldInfo(root, baseName(sourceName), limits);
            default ->
                throw new InvalidInputException("'" + InvalidInputException.cap(sourceName) + "' is "
                        + format.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + ", not a lorebook; import it as a personality instead");
        };
    }

    /**
     * Recognises the format of a file from its content without importing it.
     *
     * @throws InvalidInputException when it is none of the supported formats
     */
    public SourceFormat detect(byte[] content, String sourceName) {
        checkSize(content, sourceName);
        if (PngContainer.isPng(content)) {
            return SourceFormat.PNG;
        }
        if (CharxContainer.isZip(content)) {
            return SourceFormat.CHARX;
        }
        if (!looksLikeJson(content)) {
            return SourceFormat.NATIVE;
        }
        return detect(
                JsonObject.root(json.read(stripBom(content), describe(sourceName)), describe(sourceName)), sourceName);
    }

    /**
     * Writes {@code personality} in {@code format}.
     *
     * @param avatar the personality's avatar image, if it has one; PNG export embeds the card in it
     *     (converting JPEG/GIF/BMP to PNG) or, without one, in a generated placeholder image
     */
    public Exported export(Personality personality, Optional<Avatar> avatar, ExportFormat format) {
        List<String> warnings = new ArrayList<>();
        String base = personality.id().value();
        return switch (format) {
            case NATIVE ->
                new Exported(
                        codec.encode(personality).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "application/yaml",
                        base + ".persona.yaml",
                        warnings);
            case CCV2 ->
                new Exported(
                        json.write(CardWriter.write(personality, false, warnings), true),
                        "application/json",
                        base + ".ccv2.json",
                        warnings);
            case CCV3 ->
                new Exported(
                        json.write(CardWriter.write(personality, true, warnings), true),
                        "application/json",
                        base + ".ccv3.json",
                        warnings);
            case PNG -> new Exported(png(personality, avatar, warnings), "image/png", base + ".png", warnings);
            case CHARX ->
                new Exported(charx(personality, avatar, warnings), "application/zip", base + ".charx", warnings);
        };
    }

    /** A native persona document (YAML, or JSON with native field names), read by the persona codec. */
    private Imported fromNative(byte[] content, String sourceName) {
        Personality personality;
        try {
            personality = codec.decode(describe(sourceName), stripBom(content), Optional.empty(), Map.of());
        } catch (InvalidInputException e) {
            if (e.problems().stream().anyMatch(problem -> problem.contains("(document)"))) {
                throw new InvalidInputException(
                        "'" + InvalidInputException.cap(sourceName) + "' is not valid JSON, a PNG"
                                + " or CHARX card, or a native persona document (YAML mapping of name, description, traits, ...)",
                        e.problems());
            }
            throw e;
        }
        return new Imported(personality, Optional.empty(), List.of(), SourceFormat.NATIVE, List.of());
    }

    /** JSON documents start with an object or array; anything else that is text is taken as native YAML. */
    private static boolean looksLikeJson(byte[] content) {
        for (byte b : stripBom(content)) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            return b == '{' || b == '[';
        }
        return true;
    }

    private Imported fromPng(byte[] content) {
        PngContainer.Read read = PngContainer.read(content, limits);
        List<String> warnings = new ArrayList<>();
        JsonObject card = null;
        InvalidInputException v3Problem = null;
        if (read.ccv3().isPresent()) {
            try {
                card = cardIn(PngContainer.decode(read.ccv3().get(), "ccv3", limits), "the PNG's 'ccv3' chunk");
                // A 'ccv3' chunk that decodes but holds no card also falls back to 'chara' (issue 12).
                cardFormat(card, "the PNG's 'ccv3' chunk");
            } catch (InvalidInputException e) {
                card = null;
                if (read.chara().isEmpty()) {
                    throw e;
                }
                v3Problem = e;
            }
        }
        if (card == null) {
            card = cardIn(PngContainer.decode(read.chara().orElseThrow(), "chara", limits), "the PNG's 'chara' chunk");
            if (v3Problem != null) {
                warnings.add(
                        "the 'ccv3' chunk could not be read (" + v3Problem.getMessage() + "); used the 'chara' chunk");
            }
        }
        SourceFormat cardFormat = cardFormat(card, "the PNG's card");
        Personality personality = cards.read(card, cardFormat, warnings);
        return new Imported(
                personality,
                Optional.of(new Avatar(read.avatar(), "image/png")),
                List.of(),
                SourceFormat.PNG,
                warnings);
    }

    private Imported fromCharx(byte[] content) {
        CharxContainer.Read read = CharxContainer.read(content, limits);
        JsonObject card = cardIn(read.card(), "the CHARX's card.json");
        List<String> warnings = new ArrayList<>();
        Personality personality = cards.read(card, cardFormat(card, "the CHARX's card.json"), warnings);
        Optional<String> iconPath = mainIcon(card, read.files().keySet());
        LinkedHashMap<String, byte[]> files = new LinkedHashMap<>(read.files());
        Optional<Avatar> avatar = Optional.empty();
        if (iconPath.isPresent()) {
            byte[] icon = files.remove(iconPath.get());
            if (icon == null) {
                warnings.add("the card's main icon '" + InvalidInputException.cap(iconPath.get())
                        + "' is not in the archive; imported without an avatar");
                iconPath = Optional.empty();
            } else {
                avatar = Optional.of(Avatar.of(icon));
                if (defaultAssets(iconPath.get(), avatar.get()).equals(assets(card))) {
                    personality = Bookkeeping.withoutAssets(personality);
                }
            }
        }
        missingAssets(assets(card), read.files().keySet(), "imported", warnings);
        if (!files.isEmpty() || iconPath.isPresent()) {
            LinkedHashMap<String, Object> extensions = new LinkedHashMap<>(personality.extensions());
            extensions.put(CharxContainer.FILES_KEY, CharxContainer.keep(files, iconPath));
            personality = Bookkeeping.withExtensions(personality, extensions);
        }
        return new Imported(personality, avatar, List.of(), SourceFormat.CHARX, warnings);
    }

    private JsonObject cardIn(byte[] bytes, String what) {
        return JsonObject.root(json.read(stripBom(bytes), what), what);
    }

    private static SourceFormat cardFormat(JsonObject card, String what) {
        SourceFormat format = detect(card, what);
        return switch (format) {
            case CHARACTER_CARD_V1, CHARACTER_CARD_V2, CHARACTER_CARD_V3 -> format;
            default ->
                throw new InvalidInputException(what + " is "
                        + format.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + ", not a character card");
        };
    }

    /** Recognises a JSON document by the rules in the reference (spec field, then shape). */
    static SourceFormat detect(JsonObject root, String sourceName) {
        Object spec = root.map().get("spec");
        if (spec != null) {
            return switch (spec instanceof String s ? s : "") {
                case "chara_card_v3" -> SourceFormat.CHARACTER_CARD_V3;
                case "chara_card_v2" -> SourceFormat.CHARACTER_CARD_V2;
                case "lorebook_v3" -> SourceFormat.LOREBOOK_V3;
                default ->
                    throw new InvalidInputException(
                            "'spec' is " + JsonObject.describe(spec)
                                    + ", which is not a format Nexus reads; expected chara_card_v2, chara_card_v3 or lorebook_v3");
            };
        }
        if (root.map().get("entries") instanceof Map<?, ?> && !root.has("bio")) {
            return SourceFormat.WORLD_INFO;
        }
        if (!root.has("bio")
                && !root.has("first_mes")
                && !root.has("mes_example")
                && !root.has("personality")
                && (root.has("traits")
                        || root.has("greetings")
                        || root.has("voice")
                        || root.has("systemPrompt")
                        || root.has("system-prompt")
                        || root.has("examples")
                        || root.has("id"))) {
            return SourceFormat.NATIVE;
        }
        if (root.has("first_mes")
                || root.has("mes_example")
                || (root.has("name") && root.has("description") && (root.has("personality") || root.has("scenario")))) {
            return SourceFormat.CHARACTER_CARD_V1;
        }
        if (root.has("name")
                && (root.has("bio")
                        || root.has("messageExamples")
                        || root.has("modelProvider")
                        || root.has("clients")
                        || root.has("postExamples")
                        || root.has("adjectives")
                        || root.has("topics")
                        || root.has("plugins")
                        || root.has("lore")
                        || root.has("system"))) {
            return ElizaReader.generation(root);
        }
        throw new InvalidInputException(
                "'" + InvalidInputException.cap(sourceName) + "' is JSON but not a format Nexus"
                        + " recognises; expected a Character Card (V1, V2 with spec chara_card_v2, V3 with chara_card_v3),"
                        + " an ElizaOS character (name plus bio/messageExamples/…), a lorebook_v3 or a SillyTavern World Info file");
    }

    private byte[] png(Personality personality, Optional<Avatar> avatar, List<String> warnings) {
        byte[] v2 = json.write(CardWriter.write(personality, false, new ArrayList<>()), false);
        byte[] v3 = json.write(CardWriter.write(personality, true, warnings), false);
        if (avatar.isPresent()) {
            byte[] image = avatar.get().bytes();
            if (PngContainer.isPng(image)) {
                try {
                    return PngContainer.write(image, v2, v3, limits);
                } catch (InvalidInputException damaged) {
                    // A stored avatar that is not a sound PNG is re-encoded (or replaced) below.
                }
            }
            Optional<byte[]> converted = PngContainer.toPng(image);
            if (converted.isPresent()) {
                return PngContainer.write(converted.get(), v2, v3, limits);
            }
            warnings.add("the avatar (" + avatar.get().mediaType()
                    + ") cannot be converted to PNG; used a placeholder image");
        }
        return PngContainer.write(PngContainer.placeholder(personality.name()), v2, v3, limits);
    }

    private byte[] charx(Personality personality, Optional<Avatar> avatar, List<String> warnings) {
        Map<String, Object> card = CardWriter.write(personality, true, warnings);
        Object kept = personality.extensions().get(CharxContainer.FILES_KEY);
        LinkedHashMap<String, byte[]> files = new LinkedHashMap<>();
        if (avatar.isPresent()) {
            Optional<String> keptPath = CharxContainer.keptAvatarPath(kept);
            String path = keptPath.orElse(
                    CharxContainer.DEFAULT_ICON_PATH + avatar.get().extension());
            files.put(path, avatar.get().bytes());
            if (keptPath.isEmpty()) {
                card = withIcon(card, path, avatar.get());
            }
        }
        CharxContainer.kept(kept).forEach(files::putIfAbsent);
        Object assets = card.get("data") instanceof Map<?, ?> data ? data.get("assets") : null;
        missingAssets(assets, files.keySet(), "exported", warnings);
        return CharxContainer.write(json.write(card, true), files);
    }

    /**
     * Names the avatar in the card's assets when nothing does yet. Asset URIs the card already has
     * are kept exactly as written (issue 12): a {@code ccdefault:} main icon stays {@code ccdefault:}
     * and means the icon at the default archive path, where the avatar is written.
     */
    private static Map<String, Object> withIcon(Map<String, Object> card, String path, Avatar avatar) {
        Map<String, Object> data = LoreMapping.castMap((Map<?, ?>) card.get("data"));
        List<Object> assets = data.get("assets") instanceof List<?> list ? new ArrayList<>(list) : new ArrayList<>();
        String uri = CharxContainer.uri(path);
        if (assets.stream()
                .anyMatch(a -> a instanceof Map<?, ?> m && (uri.equals(m.get("uri")) || isDefaultMainIcon(m)))) {
            return card;
        }
        assets.add(defaultAssets(path, avatar).getFirst());
        LinkedHashMap<String, Object> newData = new LinkedHashMap<>(data);
        newData.put("assets", List.copyOf(assets));
        LinkedHashMap<String, Object> newCard = new LinkedHashMap<>(card);
        newCard.put("data", Collections.unmodifiableMap(newData));
        return newCard;
    }

    private static boolean isDefaultMainIcon(Map<?, ?> asset) {
        return "icon".equals(asset.get("type"))
                && "main".equals(asset.get("name"))
                && "ccdefault:".equals(asset.get("uri"));
    }

    /** Warns about each asset whose {@code embeded://} URI names a file the archive does not hold. */
    private static void missingAssets(Object assets, java.util.Set<String> files, String verb, List<String> warnings) {
        if (!(assets instanceof List<?> list)) {
            return;
        }
        for (Object item : list) {
            if (item instanceof Map<?, ?> asset) {
                CharxContainer.path(asset.get("uri"))
                        .filter(path -> !files.contains(path))
                        .ifPresent(path -> warnings.add("the card's " + asset.get("type") + " asset '"
                                + InvalidInputException.cap(String.valueOf(asset.get("name")))
                                + "' points at '" + InvalidInputException.cap(path) + "', which is not in the archive; "
                                + verb + " with the URI unchanged, but the file is missing"));
            }
        }
    }

    private static List<Object> defaultAssets(String path, Avatar avatar) {
        LinkedHashMap<String, Object> asset = new LinkedHashMap<>();
        asset.put("type", "icon");
        asset.put("uri", CharxContainer.uri(path));
        asset.put("name", "main");
        asset.put("ext", avatar.extension());
        return List.of(Collections.unmodifiableMap(asset));
    }

    private static Object assets(JsonObject card) {
        return card.object("data").map(d -> d.map().get("assets")).orElse(null);
    }

    /**
     * The archive path of the card's main icon: the icon named {@code main}, else the first icon. A
     * {@code ccdefault:} main icon is the file at the default path ({@code assets/icon/images/main.<ext>}),
     * where Nexus writes it, when the archive has one.
     */
    private static Optional<String> mainIcon(JsonObject card, java.util.Set<String> files) {
        Object assets = assets(card);
        if (!(assets instanceof List<?> list)) {
            return Optional.empty();
        }
        Optional<String> first = Optional.empty();
        for (Object item : list) {
            if (item instanceof Map<?, ?> asset && "icon".equals(asset.get("type"))) {
                Optional<String> path = CharxContainer.path(asset.get("uri"));
                if (isDefaultMainIcon(asset)) {
                    Optional<String> atDefault = files.stream()
                            .filter(f -> f.startsWith(CharxContainer.DEFAULT_ICON_PATH))
                            .findFirst();
                    if (atDefault.isPresent()) {
                        return atDefault;
                    }
                }
                if (path.isPresent() && "main".equals(asset.get("name"))) {
                    return path;
                }
                first = first.or(() -> path);
            }
        }
        return first;
    }

    private void checkSize(byte[] content, String sourceName) {
        if (content.length > limits.maxInputBytes()) {
            throw new PayloadTooLargeException(
                    "'" + InvalidInputException.cap(sourceName) + "' is " + content.length + " bytes, more than the "
                            + limits.maxInputBytes() + "-byte import limit (interchange.max-input-bytes)");
        }
        if (content.length == 0) {
            throw new InvalidInputException("'" + InvalidInputException.cap(sourceName)
                    + "' is empty; send a card (JSON, PNG or CHARX) or an ElizaOS character");
        }
    }

    private static byte[] stripBom(byte[] bytes) {
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            return java.util.Arrays.copyOfRange(bytes, 3, bytes.length);
        }
        return bytes;
    }

    private static String describe(String sourceName) {
        return "'" + InvalidInputException.cap(sourceName) + "'";
    }

    private static String baseName(String sourceName) {
        String name = sourceName.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
