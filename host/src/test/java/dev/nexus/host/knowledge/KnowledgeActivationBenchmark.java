package dev.nexus.host.knowledge;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.host.conversation.RecalledItem;
import dev.nexus.host.llm.Embedder;
import dev.nexus.host.llm.Embedders;
import dev.nexus.host.llm.EmbeddingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Measures how well knowledge activation picks the pack facts a turn should get (issue 12): every
 * message of the labelled set {@code src/test/resources/knowledge/activation-set.tsv} is asked of a
 * personality that references the three starter packs (career, personal finance, software
 * engineering; read from the knowledge-starter plugin's pack files), with the real in-process
 * embedding model, and the activated facts are compared with the labels. Reports micro precision and
 * recall at the configured default and over a sweep of {@code knowledge.fact-threshold}, and how many
 * off-topic messages got any fact at all.
 *
 * <pre>
 * ./nexus bench dev.nexus.host.knowledge.KnowledgeActivationBenchmark
 * </pre>
 */
public final class KnowledgeActivationBenchmark {

    private static final Path SET = Path.of("src", "test", "resources", "knowledge", "activation-set.tsv");
    private static final Path PACKS = Path.of(
            "..",
            "plugins",
            "knowledge-starter",
            "src",
            "main",
            "resources",
            "dev",
            "nexus",
            "plugin",
            "knowledgestarter");

    /** One labelled message. */
    record Labelled(Set<String> expected, Set<String> acceptable, String message) {}

    /** Precision and recall of one run. */
    record Score(
            double threshold,
            double precision,
            double recall,
            int truePositives,
            int falsePositives,
            int falseNegatives,
            int offTopicWithFacts,
            int offTopic) {}

    private KnowledgeActivationBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path root = Files.exists(SET) ? Path.of("") : Path.of("host");
        List<Labelled> set = read(root.resolve(SET));
        List<CompiledPack> packs = new ArrayList<>();
        for (String file : List.of("career.pack", "personal-finance.pack", "software-engineering.pack")) {
            packs.add(CompiledPack.of(
                    StarterPackFile.parse(Files.readString(root.resolve(PACKS).resolve(file))), PackOrigin.FILE, file));
        }
        ExecutorService loader = Executors.newSingleThreadExecutor();
        try {
            Embedder embedder = Embedders.create(EmbeddingSettings.local(), loader);
            Map<String, float[]> vectors = new HashMap<>();
            long start = System.nanoTime();
            for (Labelled row : set) {
                vectors.computeIfAbsent(row.message(), embedder::embed);
            }
            for (CompiledPack pack : packs) {
                pack.pack().facts().forEach(fact -> vectors.computeIfAbsent(fact, embedder::embed));
                vectors.computeIfAbsent(pack.profile(), embedder::embed);
            }
            System.out.printf(
                    Locale.ROOT,
                    "labelled set: %d messages x %d packs (%d facts); embedded in %.1f s%n",
                    set.size(),
                    packs.size(),
                    packs.stream().mapToInt(p -> p.pack().facts().size()).sum(),
                    (System.nanoTime() - start) / 1e9);
            KnowledgeSettings defaults = KnowledgeSettings.defaults();
            Score standard = score(set, packs, vectors, defaults);
            System.out.printf(
                    Locale.ROOT,
                    "default (fact-threshold %.2f, max-facts-per-turn %d): %s%n",
                    defaults.factThreshold(),
                    defaults.maxFactsPerTurn(),
                    describe(standard));
            KnowledgeSettings before = new KnowledgeSettings(null, null, null, null, null, -1.0, 1000, 2.0);
            System.out.println("before issue 12 (every referenced pack offers its 5 most similar facts): "
                    + describe(score(set, packs, vectors, before)));
            for (double margin : new double[] {2.0, 0.15, 0.1, 0.05}) {
                for (int cap : new int[] {3, 2}) {
                    System.out.printf(
                            Locale.ROOT,
                            "sweep of fact-threshold (max-facts-per-turn %d, fact-margin %.2f):%n",
                            cap,
                            margin);
                    for (int step = 0; step <= 10; step++) {
                        double threshold = 0.30 + step * 0.025;
                        Score s = score(
                                set,
                                packs,
                                vectors,
                                new KnowledgeSettings(null, null, null, null, null, threshold, cap, margin));
                        System.out.printf(Locale.ROOT, "  %.3f  %s%n", threshold, describe(s));
                    }
                }
            }
        } finally {
            loader.shutdownNow();
        }
    }

    private static String describe(Score s) {
        return String.format(
                Locale.ROOT,
                "precision %.3f recall %.3f (tp %d, fp %d, fn %d); off-topic messages given a fact: %d of %d",
                s.precision(),
                s.recall(),
                s.truePositives(),
                s.falsePositives(),
                s.falseNegatives(),
                s.offTopicWithFacts(),
                s.offTopic());
    }

    static Score score(
            List<Labelled> set, List<CompiledPack> packs, Map<String, float[]> vectors, KnowledgeSettings settings) {
        Activator activator = new Activator(settings);
        Set<String> referenced = new HashSet<>();
        packs.forEach(p -> referenced.add(p.pack().id()));
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int offTopicWithFacts = 0;
        int offTopic = 0;
        for (Labelled row : set) {
            Activator.Turn turn = new Activator.Turn(
                    List.of(row.message()),
                    Set.of(),
                    Set.of(),
                    referenced,
                    Optional.of(vectors.get(row.message())),
                    text -> Optional.ofNullable(vectors.get(text)));
            Set<String> fired = new HashSet<>();
            for (RecalledItem item :
                    activator.activate(packs, turn, Integer.MAX_VALUE / 2).items()) {
                if (item.kind().equals("pack-fact")) {
                    fired.add(item.id());
                }
            }
            if (row.expected().isEmpty()) {
                offTopic++;
                if (!fired.isEmpty()) {
                    offTopicWithFacts++;
                }
            }
            for (String id : fired) {
                if (row.expected().contains(id)) {
                    tp++;
                } else if (!row.acceptable().contains(id)) {
                    fp++;
                }
            }
            for (String id : row.expected()) {
                if (!fired.contains(id)) {
                    fn++;
                }
            }
        }
        double precision = tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
        return new Score(settings.factThreshold(), precision, recall, tp, fp, fn, offTopicWithFacts, offTopic);
    }

    static List<Labelled> read(Path file) throws IOException {
        List<Labelled> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            if (cols.length != 3) {
                throw new IllegalArgumentException("expected 3 tab-separated columns in: " + line);
            }
            rows.add(new Labelled(ids(cols[0]), ids(cols[1]), cols[2]));
        }
        return rows;
    }

    private static Set<String> ids(String column) {
        Set<String> ids = new HashSet<>();
        for (String id : column.strip().split("\\s+")) {
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return ids;
    }

    /**
     * Reads the header and the facts of a knowledge-starter {@code .pack} file (the plugin's own reader
     * is package-private in the plugin); its lore entries are not part of this benchmark.
     */
    static final class StarterPackFile {

        private StarterPackFile() {}

        static KnowledgePack parse(String text) {
            Map<String, String> header = new LinkedHashMap<>();
            List<String> facts = new ArrayList<>();
            String key = null;
            StringBuilder value = new StringBuilder();
            for (String line : (text + "\n\n").lines().toList()) {
                if (line.startsWith("  ") && key != null) {
                    value.append(' ').append(line.strip());
                    continue;
                }
                if (key != null) {
                    if (key.equals("fact")) {
                        facts.add(value.toString());
                    } else if (!header.containsKey(key)) {
                        header.put(key, value.toString());
                    }
                    key = null;
                }
                int colon = line.indexOf(':');
                if (line.startsWith("#") || line.isBlank() || colon <= 0) {
                    continue;
                }
                key = line.substring(0, colon).strip();
                value = new StringBuilder(line.substring(colon + 1).strip());
            }
            List<String> topics = List.of(header.getOrDefault("topics", "").split("\\s*,\\s*"));
            return new KnowledgePack(
                    header.get("id"),
                    header.get("name"),
                    header.get("version"),
                    header.get("category"),
                    topics.stream().filter(t -> !t.isBlank()).toList(),
                    facts,
                    List.of());
        }
    }
}
