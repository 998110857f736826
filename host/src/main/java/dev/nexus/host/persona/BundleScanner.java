package dev.nexus.host.persona;

import dev.nexus.host.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the drop-in personalities directory: one bundle per sub-directory
 * ({@code <id>/persona.yaml} with its neighbours) and single card files ({@code *.json},
 * {@code *.png}, {@code *.charx}) beside them. Each entry is re-read only when its fingerprint
 * (content hashes of text files, size and modification time of binary ones) changes, so polling is
 * cheap. Hidden entries (starting with '.') are ignored. Confined to the registry's sync thread.
 */
final class BundleScanner {

    /** What one directory entry offers: a personality, or the problems that stop it. */
    record Candidate(PersonalityId id, Owner owner, Optional<Personality> personality, List<BundleProblem> problems) {

        Candidate {
            problems = List.copyOf(problems);
        }
    }

    /** The result of a scan. */
    record Scan(Map<PersonalityId, Candidate> candidates, List<BundleProblem> problems) {}

    static final Set<String> CARD_TYPES = Set.of("json", "png", "charx");
    static final long MAX_CARD_BYTES = 32L << 20;

    private final Path directory;
    private final String label;
    private final PersonaCodec codec;
    private final CardImporter importer;
    private final Map<String, Entry> seen = new HashMap<>();

    private record Entry(String fingerprint, Candidate candidate) {}

    BundleScanner(Path directory, PersonaCodec codec, CardImporter importer) {
        this.directory = directory;
        this.label = directory.getFileName() == null
                ? directory.toString()
                : directory.getFileName().toString();
        this.codec = codec;
        this.importer = importer;
    }

    /** Returns the directory's label in problem reports, e.g. {@code personalities}. */
    String label() {
        return label;
    }

    /** Reads what changed since the last scan and returns the whole current picture. */
    Scan scan() {
        List<BundleProblem> problems = new ArrayList<>();
        Map<PersonalityId, Candidate> bundles = new LinkedHashMap<>();
        Map<PersonalityId, Candidate> cards = new LinkedHashMap<>();
        Map<String, Entry> now = new HashMap<>();
        for (Path entry : entries()) {
            String name = entry.getFileName().toString();
            if (Files.isDirectory(entry)) {
                bundle(entry, name, problems, now).ifPresent(c -> bundles.put(c.id(), c));
            } else if (isCard(name)) {
                card(entry, name, now).ifPresent(c -> cards.put(c.id(), c));
            }
        }
        seen.clear();
        seen.putAll(now);
        Map<PersonalityId, Candidate> all = new LinkedHashMap<>(bundles);
        cards.forEach((id, card) -> {
            Candidate bundle = bundles.get(id);
            if (bundle != null) {
                problems.add(new BundleProblem(
                        card.owner().detail(),
                        "id",
                        "'" + id + "' is also the bundle " + bundle.owner().detail()
                                + ", which takes precedence; rename one of them"));
            } else {
                all.put(id, card);
            }
        });
        return new Scan(all, problems);
    }

    private Optional<Candidate> bundle(Path dir, String name, List<BundleProblem> problems, Map<String, Entry> now) {
        String origin = label + "/" + name + "/" + PersonaCodec.DOCUMENT;
        if (!name.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            problems.add(new BundleProblem(
                    label + "/" + name,
                    "(directory)",
                    "bundle directory names are personality "
                            + "ids: 1-64 lower-case letters, digits or dashes; rename it, e.g. to '"
                            + PersonalityId.slug(name) + "'"));
            return Optional.empty();
        }
        PersonalityId id = PersonalityId.of(name);
        Owner owner = Owner.bundle(origin);
        String fingerprint = bundleFingerprint(dir);
        Entry previous = seen.get(name + "/");
        Candidate candidate;
        if (previous != null && previous.fingerprint().equals(fingerprint)) {
            candidate = previous.candidate();
        } else {
            candidate = read(id, owner, () -> codec.load(dir, origin));
        }
        now.put(name + "/", new Entry(fingerprint, candidate));
        return Optional.of(candidate);
    }

    private Optional<Candidate> card(Path file, String name, Map<String, Entry> now) {
        String base = name.substring(0, name.lastIndexOf('.'));
        PersonalityId id = PersonalityId.slug(base);
        Owner owner = Owner.bundle(label + "/" + name);
        String fingerprint = binaryFingerprint(file);
        Entry previous = seen.get(name);
        Candidate candidate;
        if (previous != null && previous.fingerprint().equals(fingerprint)) {
            candidate = previous.candidate();
        } else {
            candidate = read(id, owner, () -> {
                byte[] content = readCard(file, owner.detail());
                Personality imported;
                try {
                    imported = importer.importFile(id, name, content);
                } catch (InvalidInputException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new InvalidInputException(
                            "could not be imported (" + e.getClass().getSimpleName() + ": "
                                    + InvalidInputException.cap(String.valueOf(e.getMessage())) + ")",
                            e);
                }
                if (!imported.id().equals(id)) {
                    throw new IllegalStateException("the card importer returned id '" + imported.id() + "' for " + name
                            + " but was asked for '" + id + "'");
                }
                return imported;
            });
        }
        now.put(name, new Entry(fingerprint, candidate));
        return Optional.of(candidate);
    }

    private static Candidate read(PersonalityId id, Owner owner, java.util.function.Supplier<Personality> reader) {
        try {
            return new Candidate(id, owner, Optional.of(reader.get()), List.of());
        } catch (InvalidPersonalityException e) {
            return new Candidate(id, owner, Optional.empty(), e.bundleProblems());
        } catch (InvalidInputException e) {
            return new Candidate(
                    id,
                    owner,
                    Optional.empty(),
                    List.of(new BundleProblem(owner.detail(), "(document)", e.getMessage())));
        } catch (UncheckedIOException e) {
            return new Candidate(
                    id,
                    owner,
                    Optional.empty(),
                    List.of(new BundleProblem(owner.detail(), "(document)", "cannot be read: " + e.getMessage())));
        }
    }

    private static byte[] readCard(Path file, String origin) {
        try {
            if (Files.size(file) > MAX_CARD_BYTES) {
                throw new InvalidInputException(
                        "is " + Files.size(file) + " bytes; the limit for a card file is " + MAX_CARD_BYTES);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + origin + ": " + e.getMessage(), e);
        }
    }

    private List<Path> entries() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(path -> !path.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot list the personalities directory " + directory + ": " + e.getMessage(), e);
        }
    }

    private static boolean isCard(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && CARD_TYPES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Hashes the text files (they are small and may change within one timestamp tick); stats the rest. */
    private static String bundleFingerprint(Path dir) {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!Files.isRegularFile(file) || name.startsWith(".")) {
                    continue;
                }
                boolean text = name.equals(PersonaCodec.DOCUMENT) || name.equals(PersonaCodec.PROMPT);
                out.append(name)
                        .append('=')
                        .append(
                                text && Files.size(file) <= 4L * PersonaCodec.MAX_DOCUMENT_CHARS
                                        ? sha256(Files.readAllBytes(file))
                                        : binaryFingerprint(file))
                        .append(';');
            }
        } catch (NoSuchFileException e) {
            return "gone";
        } catch (IOException e) {
            return "unreadable:" + e.getMessage();
        }
        return out.toString();
    }

    private static String binaryFingerprint(Path file) {
        try {
            return Files.size(file) + "@" + Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return "unreadable:" + e.getMessage();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
