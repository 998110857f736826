package dev.nexus.host.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.llm.Embedder;
import dev.nexus.host.llm.Embedders;
import dev.nexus.host.llm.EmbeddingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * All personalities Nexus ships - the bundles in {@code personalities/} and those of the
 * {@code classic-personas} plugin (read here from its source resources, the same documents its jar
 * carries) - are at least 45 and stay apart from each other: in their trait vectors, in the wording
 * of their descriptions, and in what an embedding model makes of those descriptions. That every one
 * loads in a real host and answers a turn is {@code ShippedPersonalitiesChatTest}.
 */
class ShippedPersonalitiesTest {

    static final Path BUNDLES = Path.of("..", "personalities");
    static final Path CLASSICS = Path.of(
            "..",
            "plugins",
            "classic-personas",
            "src",
            "main",
            "resources",
            "dev",
            "nexus",
            "plugin",
            "classicpersonas");

    /** Smallest allowed Euclidean distance between two trait vectors over {@link Traits#WELL_KNOWN} (missing = 0.5). */
    static final double MIN_TRAIT_DISTANCE = 0.35;
    /** Largest allowed share of description words two personalities may have in common (Jaccard). */
    static final double MAX_WORD_OVERLAP = 0.25;
    /** Largest allowed cosine similarity of two description embeddings (all-MiniLM-L6-v2). */
    static final double MAX_EMBEDDING_SIMILARITY = 0.85;

    private static final Set<String> STOP_WORDS = Set.of(
            "a", "an", "and", "the", "of", "to", "in", "on", "for", "with", "who", "is", "are", "as", "at", "by", "or",
            "their", "them", "they", "that", "what", "from", "his", "her", "he", "she", "it", "its", "be", "has",
            "have", "was", "never", "than", "more", "into", "every", "about", "char", "user", "not", "how", "when",
            "one", "all", "but", "out", "over");

    static List<Personality> shipped() throws IOException {
        PersonaCodec codec = new PersonaCodec();
        List<Personality> all = new ArrayList<>();
        for (Path root : List.of(BUNDLES, CLASSICS)) {
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                    all.add(codec.load(dir, root.relativize(dir) + "/persona.yaml"));
                }
            }
        }
        return all;
    }

    @Test
    void shipped_areAtLeastFortyFive_withUniqueIdsAndNames() throws IOException {
        List<Personality> all = shipped();

        assertThat(all).hasSizeGreaterThanOrEqualTo(45);
        assertThat(all).extracting(p -> p.id().value()).doesNotHaveDuplicates();
        assertThat(all).extracting(Personality::name).doesNotHaveDuplicates();
    }

    @Test
    void traitVectors_ofAnyTwo_areAtLeastTheMinimumDistanceApart() throws IOException {
        List<Personality> all = shipped();
        double closest = Double.MAX_VALUE;
        String pair = "";
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                double d = distance(all.get(i).traits(), all.get(j).traits());
                if (d < closest) {
                    closest = d;
                    pair = all.get(i).id() + " vs " + all.get(j).id();
                }
            }
        }
        assertThat(closest).as("closest trait vectors: " + pair).isGreaterThanOrEqualTo(MIN_TRAIT_DISTANCE);
    }

    @Test
    void descriptions_ofAnyTwo_shareFewWords() throws IOException {
        List<Personality> all = shipped();
        List<Set<String>> words = all.stream().map(p -> words(p.description())).toList();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                assertThat(jaccard(words.get(i), words.get(j)))
                        .as(all.get(i).id() + " vs " + all.get(j).id() + " description words")
                        .isLessThan(MAX_WORD_OVERLAP);
            }
        }
    }

    @Test
    void descriptions_ofAnyTwo_areNotNearDuplicatesToAnEmbeddingModel() throws IOException {
        List<Personality> all = shipped();
        Embedder embedder = Embedders.create(EmbeddingSettings.local(), Runnable::run);
        try {
            List<float[]> vectors = embedder.embedAll(all.stream()
                    .map(p -> p.description().replace("{{char}}", p.name()).replace("{{user}}", "the user"))
                    .toList());
            for (int i = 0; i < all.size(); i++) {
                for (int j = i + 1; j < all.size(); j++) {
                    assertThat(dot(vectors.get(i), vectors.get(j)))
                            .as(all.get(i).id() + " vs " + all.get(j).id() + " description embeddings")
                            .isLessThan(MAX_EMBEDDING_SIMILARITY);
                }
            }
        } finally {
            embedder.settle(java.time.Duration.ofSeconds(30));
        }
    }

    @Test
    void examples_andGreetings_areNeverShared() throws IOException {
        Set<String> seen = new HashSet<>();
        for (Personality p : shipped()) {
            for (List<ExampleTurn> conversation : p.examples()) {
                for (ExampleTurn turn : conversation) {
                    if (turn.role().equals("assistant")) {
                        assertThat(seen.add(turn.text()))
                                .as(p.id() + " example reply is unique")
                                .isTrue();
                    }
                }
            }
            p.greetings()
                    .forEach(g -> assertThat(seen.add(g))
                            .as(p.id() + " greeting is unique")
                            .isTrue());
        }
    }

    static double distance(Traits a, Traits b) {
        double sum = 0;
        for (String name : Traits.WELL_KNOWN) {
            double d = a.value(name, 0.5) - b.value(name, 0.5);
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    private static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (word.length() > 2 && !STOP_WORDS.contains(word)) {
                words.add(word);
            }
        }
        return words;
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        Set<String> common = new HashSet<>(a);
        common.retainAll(b);
        return union.isEmpty() ? 0 : (double) common.size() / union.size();
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
