package dev.nexus.host.knowledge;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.json.Json;
import dev.nexus.host.json.YamlTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads knowledge pack files ({@code *.yaml}, {@code *.yml}, {@code *.json}, one pack each) from a
 * directory (not its subdirectories). A bad file is reported and skipped; the others load. Stateless.
 */
final class PackFiles {

    static final long MAX_FILE_BYTES = 8L * 1024 * 1024;

    /**
     * One file's outcome.
     *
     * @param file the file
     * @param pack the pack, when it loaded
     * @param problem why it did not, when it did not
     * @param book the pack's World Info book settings (empty when none)
     */
    record Loaded(Path file, KnowledgePack pack, String problem, Map<String, Object> book) {
        Loaded(Path file, KnowledgePack pack, String problem) {
            this(file, pack, problem, Map.of());
        }
    }

    private PackFiles() {}

    /** Loads every pack file in {@code directory}; an absent directory holds no packs. */
    static List<Loaded> load(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(Files::isRegularFile)
                    .filter(PackFiles::isPackFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of(new Loaded(directory, null, "cannot list " + directory + ": " + e.getMessage()));
        }
        List<Loaded> loaded = new ArrayList<>();
        for (Path file : files) {
            try {
                PackDocument document = read(file);
                loaded.add(new Loaded(file, document.toPack(), null, document.bookSettings()));
            } catch (InvalidInputException e) {
                loaded.add(new Loaded(file, null, e.getMessage()));
            }
        }
        return loaded;
    }

    /**
     * Parses one pack from YAML or JSON text ({@code yaml} selects the syntax), files and HTTP uploads
     * alike, through host.json: the same alias, depth, size and duplicate-key limits as personalities.
     */
    static KnowledgePack parse(byte[] text, boolean yaml) {
        return document(text, yaml).toPack();
    }

    /** Parses one pack document (the pack and its book settings) from YAML or JSON text. */
    static PackDocument document(byte[] text, boolean yaml) {
        Object tree;
        if (yaml) {
            try {
                tree = YamlTree.read(new String(text, StandardCharsets.UTF_8), (int) MAX_FILE_BYTES);
            } catch (YamlTree.SyntaxError e) {
                throw new InvalidInputException("malformed YAML: " + e.getMessage());
            }
            if (!(tree instanceof Map)) {
                throw new InvalidInputException(
                        "a knowledge pack must be a mapping with id, name and entries or facts");
            }
            return Json.convert(tree, PackDocument.class);
        }
        return Json.read(text, PackDocument.class);
    }

    private static PackDocument read(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new InvalidInputException(file.getFileName() + " is larger than " + MAX_FILE_BYTES
                        + " bytes; split it into several packs");
            }
            boolean yaml =
                    !file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
            return document(Files.readAllBytes(file), yaml);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static boolean isPackFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }
}
