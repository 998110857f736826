package dev.nexus.host.persona;

import dev.nexus.api.personality.PersonalityBundle;
import dev.nexus.host.json.YamlTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The native personality format: reads and writes {@code persona.yaml} documents (and the same
 * document as JSON), validating every field and reporting every problem at once with its file and
 * field path. See {@code docs/personality-format.md} and {@code docs/persona.schema.json}.
 *
 * <p>Stateless and thread-safe. Reading accepts kebab-case keys ({@code system-prompt}) and their
 * camelCase spellings ({@code systemPrompt}); writing uses the {@link KeyStyle} asked for.
 * {@code extensions} (top level and per lore entry) are kept exactly as read.
 */
public final class PersonaCodec {

    /** The document's file name inside a bundle directory. */
    public static final String DOCUMENT = "persona.yaml";
    /** The optional long system prompt beside the document. */
    public static final String PROMPT = PersonaReader.PROMPT_FILE;
    /** The largest document (and {@code prompt.md}) accepted, in characters. */
    public static final int MAX_DOCUMENT_CHARS = 1 << 20;
    /** The largest stored document (a bundle's document with its prompt.md inline), in characters. */
    static final int MAX_STORED_CHARS = 4 * MAX_DOCUMENT_CHARS;
    /** The largest avatar image accepted, in bytes. */
    public static final int MAX_AVATAR_BYTES = 8 << 20;

    /** How keys are spelled when writing. */
    public enum KeyStyle {
        /** {@code system-prompt}: the file format. */
        KEBAB,
        /** {@code systemPrompt}: the HTTP API's JSON convention. */
        CAMEL
    }

    /**
     * Reads a document.
     *
     * @param origin where the document came from, used in problem reports (a path, {@code plugin:x/y},
     *     {@code request body})
     * @param text the YAML or JSON text
     * @param expectedId the id the document must have, if fixed by its container; without one, the
     *     document's {@code id} is used, or a slug of its name
     * @param files the files beside the document by name ({@code prompt.md}, the avatar)
     * @throws InvalidPersonalityException listing every problem
     */
    public Personality decode(
            String origin, String text, Optional<PersonalityId> expectedId, Map<String, byte[]> files) {
        return decode(new PersonaReader(origin), text, expectedId, files, MAX_DOCUMENT_CHARS);
    }

    private Personality decode(
            PersonaReader reader,
            String text,
            Optional<PersonalityId> expectedId,
            Map<String, byte[]> files,
            int limit) {
        if (text.length() > limit) {
            reader.problem("(document)", "is " + text.length() + " characters; the limit is " + limit);
            throw new InvalidPersonalityException(reader.problems());
        }
        Object tree;
        try {
            tree = YamlTree.read(text, MAX_STORED_CHARS + 1024);
        } catch (YamlTree.SyntaxError e) {
            reader.problem("(document)", "is not valid YAML: " + e.getMessage());
            throw new InvalidPersonalityException(reader.problems());
        }
        Optional<Personality> personality = reader.read(tree, expectedId, files);
        if (personality.isEmpty()) {
            throw new InvalidPersonalityException(reader.problems());
        }
        return personality.get();
    }

    /** Reads a document from UTF-8 bytes; see {@link #decode(String, String, Optional, Map)}. */
    public Personality decode(
            String origin, byte[] utf8, Optional<PersonalityId> expectedId, Map<String, byte[]> files) {
        return decode(origin, utf8(origin, utf8), expectedId, files);
    }

    /**
     * Reads a bundle from a {@link dev.nexus.api.personality.PersonalityProvider} plugin: its id is
     * fixed by the bundle, its files are the bundle's files.
     *
     * @param origin e.g. {@code plugin:acme/zen}
     */
    public Personality decode(String origin, PersonalityBundle bundle) {
        return decode(origin, bundle.persona(), Optional.of(PersonalityId.of(bundle.id())), bundle.files());
    }

    /**
     * Reads the bundle directory {@code directory} ({@code persona.yaml} plus {@code prompt.md} and
     * image files beside it). The directory's name is the personality id.
     *
     * @param origin how to name the document in problem reports, e.g. {@code personalities/zen/persona.yaml}
     * @throws InvalidPersonalityException listing every problem (a missing document is one)
     * @throws UncheckedIOException when the directory cannot be read
     */
    public Personality load(Path directory, String origin) {
        Path document = directory.resolve(DOCUMENT);
        String dirName = directory.getFileName().toString();
        PersonaReader early = new PersonaReader(origin);
        if (!dirName.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            early.problem(
                    "(directory)",
                    "bundle directory names are personality ids: 1-64 lower-case letters, digits "
                            + "or dashes; rename '" + dev.nexus.host.InvalidInputException.cap(dirName) + "'");
            throw new InvalidPersonalityException(early.problems());
        }
        try {
            if (!Files.isRegularFile(document)) {
                early.problem("(document)", "is missing; a bundle directory needs a " + DOCUMENT);
                throw new InvalidPersonalityException(early.problems());
            }
            if (Files.size(document) > 4L * MAX_DOCUMENT_CHARS) {
                early.problem(
                        "(document)",
                        "is " + Files.size(document) + " bytes; the limit is " + MAX_DOCUMENT_CHARS + " characters");
                throw new InvalidPersonalityException(early.problems());
            }
            Map<String, byte[]> files = neighbours(directory, early);
            return decode(
                    early,
                    utf8(origin, Files.readAllBytes(document)),
                    Optional.of(PersonalityId.of(dirName)),
                    files,
                    MAX_DOCUMENT_CHARS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read personality bundle " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code personality} as {@code directory/persona.yaml}, atomically where the file system
     * allows, creating the directory if needed. Other files in the directory are left alone.
     */
    public void save(Personality personality, Path directory) {
        try {
            Files.createDirectories(directory);
            Path target = directory.resolve(DOCUMENT);
            Path temporary = Files.createTempFile(directory, ".persona-", ".tmp");
            try {
                Files.writeString(temporary, encode(personality), StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write personality bundle " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Returns the native YAML document for {@code personality} (kebab-case keys). */
    public String encode(Personality personality) {
        return YamlTree.write(tree(personality, KeyStyle.KEBAB));
    }

    /**
     * Returns the native document as a JDK tree (ordered maps, lists, scalars), e.g. to embed in a
     * JSON response with {@link KeyStyle#CAMEL}. Extensions are included as they are.
     */
    public Map<String, Object> tree(Personality personality, KeyStyle style) {
        return new PersonaWriter(style).tree(personality);
    }

    /**
     * Reads a document already parsed into a JDK tree (e.g. a JSON request body).
     *
     * @throws InvalidPersonalityException listing every problem
     */
    public Personality decodeTree(String origin, Object tree, Optional<PersonalityId> expectedId) {
        PersonaReader reader = new PersonaReader(origin);
        return reader.read(tree, expectedId, Map.of())
                .orElseThrow(() -> new InvalidPersonalityException(reader.problems()));
    }

    /**
     * Returns {@code prompt.md} (its text) and the image files (as empty markers: only their presence
     * matters to the document) beside the document. An oversized prompt is reported, not read.
     */
    /**
     * Reads a document this codec wrote and the host stored (a personality version), without
     * requiring its avatar file to be present.
     *
     * @throws InvalidPersonalityException if the stored document is no longer valid
     */
    Personality restore(String origin, String yaml) {
        // A stored document may hold a bundle's prompt.md inline, so it may exceed one document's limit.
        return decode(new PersonaReader(origin, false), yaml, Optional.empty(), Map.of(), MAX_STORED_CHARS);
    }

    private static Map<String, byte[]> neighbours(Path directory, PersonaReader problems) throws IOException {
        LinkedHashMap<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path file : entries.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                if (name.equals(PROMPT)) {
                    if (Files.size(file) > MAX_DOCUMENT_CHARS) {
                        problems.problem(
                                PROMPT, "is " + Files.size(file) + " bytes; the limit is " + MAX_DOCUMENT_CHARS);
                    } else {
                        files.put(name, Files.readAllBytes(file));
                    }
                } else if (isImage(name)) {
                    files.put(name, new byte[0]);
                }
            }
        }
        return files;
    }

    private static boolean isImage(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0
                && PersonaReader.AVATAR_TYPES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static String utf8(String origin, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidPersonalityException(
                    List.of(new BundleProblem(origin, "(document)", "is not valid UTF-8 text; save it as UTF-8")));
        }
    }
}
