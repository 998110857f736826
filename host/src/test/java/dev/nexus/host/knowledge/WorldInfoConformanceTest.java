package dev.nexus.host.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The World Info conformance suite: cases written from SillyTavern's public World Info documentation
 * (docs.sillytavern.app, "World Info"), one file per feature in {@code src/test/resources/worldinfo/},
 * each case stating the book, its entries (card V2 field names; any other field is an entry extension),
 * the chat (oldest first) or a sequence of turns, and the entries that must fire (exactly) and, where
 * it matters, why others did not. Probability and group weights are checked as rates over fixed seeds,
 * so nothing here is flaky. The table in {@code docs/world-info.md} is generated from these files
 * ({@code -Dnexus.docs.write=true}) and checked against them.
 */
class WorldInfoConformanceTest {

    private static final String DIR = "/worldinfo/";
    private static final List<String> FILES = List.of(
            "keys.json",
            "secondary.json",
            "regex.json",
            "scan-depth.json",
            "recursion.json",
            "groups.json",
            "probability.json",
            "timed.json",
            "triggers.json",
            "sources.json",
            "decorators.json",
            "budget.json",
            "interactions.json");
    private static final Set<String> ENTRY_FIELDS = Set.of(
            "id",
            "name",
            "keys",
            "secondary_keys",
            "selective",
            "selectiveLogic",
            "content",
            "constant",
            "enabled",
            "insertion_order",
            "case_sensitive",
            "match_whole_words",
            "use_regex",
            "position",
            "extensions",
            "priority");

    private final WorldInfo engine = new WorldInfo();

    @TestFactory
    Stream<DynamicTest> everyCase_firesWhatSillyTavernDocuments() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> file : files()) {
            String feature = (String) file.get("feature");
            for (Map<String, Object> c : cases(file)) {
                tests.add(DynamicTest.dynamicTest(feature + ": " + c.get("name"), () -> run(file, c)));
            }
        }
        return tests.stream();
    }

    @Test
    void theDocsTable_countsTheCasesOfEachFeature() throws IOException {
        StringBuilder table = new StringBuilder("| Feature | Cases | What they check |\n|---|---:|---|\n");
        int total = 0;
        for (Map<String, Object> file : files()) {
            int n = cases(file).size();
            total += n;
            table.append("| ")
                    .append(file.get("feature"))
                    .append(" | ")
                    .append(n)
                    .append(" | ")
                    .append(file.get("summary"))
                    .append(" |\n");
        }
        table.append("| **All** | **").append(total).append("** | |\n");
        Path docs = Path.of("..", "docs", "world-info.md");
        String text = Files.readString(docs);
        String begin = "<!-- conformance-table:begin -->\n";
        String end = "<!-- conformance-table:end -->";
        int a = text.indexOf(begin);
        int b = text.indexOf(end);
        assertThat(a).as("docs/world-info.md has the conformance table markers").isNotNegative();
        String updated = text.substring(0, a + begin.length()) + table + text.substring(b);
        if (Boolean.getBoolean("nexus.docs.write")) {
            Files.writeString(docs, updated);
            return;
        }
        assertThat(text)
                .as("docs/world-info.md's table is current; regenerate with -Dnexus.docs.write=true")
                .isEqualTo(updated);
    }

    // ---- the harness ----

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> files() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : FILES) {
            try (InputStream in = WorldInfoConformanceTest.class.getResourceAsStream(DIR + name)) {
                assertThat(in).as(name).isNotNull();
                out.add(Json.readMap(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cases(Map<String, Object> file) {
        return (List<Map<String, Object>>) file.get("cases");
    }

    @SuppressWarnings("unchecked")
    private void run(Map<String, Object> file, Map<String, Object> c) {
        List<Map<String, Object>> entries = (List<Map<String, Object>>) c.getOrDefault("entries", file.get("entries"));
        Map<String, Object> book = (Map<String, Object>) c.getOrDefault("book", file.getOrDefault("book", Map.of()));
        CompiledPack pack = pack(entries, book);
        if (c.containsKey("problems")) {
            for (String expected : (List<String>) c.get("problems")) {
                assertThat(pack.problems())
                        .as("problems")
                        .anySatisfy(p -> assertThat(p).contains(expected));
            }
        }
        if (c.containsKey("rates")) {
            rates(pack, c);
            return;
        }
        List<Map<String, Object>> turns =
                c.containsKey("turns") ? (List<Map<String, Object>>) c.get("turns") : List.of(c);
        List<String> chat = new ArrayList<>();
        Map<String, WorldInfo.Timed> timed = new LinkedHashMap<>();
        ((Map<String, List<Number>>) c.getOrDefault("timed", Map.of()))
                .forEach((id, v) -> timed.put(
                        "book/" + id,
                        new WorldInfo.Timed(
                                v.get(0).longValue(),
                                v.get(1).longValue(),
                                v.get(2).longValue())));
        int attempt = 0;
        for (int t = 0; t < turns.size(); t++) {
            Map<String, Object> turn = turns.get(t);
            String kind = (String) turn.getOrDefault("kind", "normal");
            if (turn.containsKey("chat")) {
                chat = new ArrayList<>((List<String>) turn.get("chat"));
            } else if (kind.equals("regenerate") || kind.equals("swipe")) {
                chat.removeLast(); // the reply being replaced
                attempt++;
            } else {
                chat.add((String) turn.get("say"));
                attempt = 0;
            }
            long chatLength = ((Number) turn.getOrDefault("chatLength", chat.size())).longValue();
            List<String> newestFirst = new ArrayList<>(chat).reversed();
            long seed = ((Number) turn.getOrDefault("seed", 7L + 31L * chatLength + attempt)).longValue();
            WorldInfo.Turn wi = new WorldInfo.Turn(
                    newestFirst,
                    (Map<String, String>) c.getOrDefault("sources", file.getOrDefault("sources", Map.of())),
                    kind,
                    chatLength,
                    ((Number) turn.getOrDefault("assistantMessages", chat.size() / 2)).longValue(),
                    seed,
                    timed,
                    ((Number) turn.getOrDefault("budget", c.getOrDefault("budget", 10_000))).intValue(),
                    ((Number) c.getOrDefault("scanDepth", 2)).intValue(),
                    ((Number) c.getOrDefault("maxSteps", 10)).intValue());
            WorldInfo.Result result =
                    engine.run(List.of(new WorldInfo.Book(pack, !Boolean.FALSE.equals(c.get("active")))), wi);
            String where = "turn " + (t + 1) + " (" + kind + ", chat length " + chatLength + ")";
            assertThat(result.fired().stream().map(f -> f.entry().id()).sorted().toList())
                    .as(where + " fired")
                    .isEqualTo(
                            ((List<String>) turn.get("fired")).stream().sorted().toList());
            Map<String, String> why = new TreeMap<>();
            result.skipped().forEach(s -> why.put(s.entry(), s.reason().label()));
            ((Map<String, String>) turn.getOrDefault("skipped", Map.of()))
                    .forEach((id, reason) ->
                            assertThat(why).as(where + " skipped").containsEntry(id, reason));
            ((Map<String, Object>) turn.getOrDefault("reasons", Map.of()))
                    .forEach((id, reason) -> assertThat(result.fired())
                            .as(where + " reason of " + id)
                            .anySatisfy(f -> {
                                assertThat(f.entry().id()).isEqualTo(id);
                                assertThat(f.reason().label() + (f.step() > 1 ? "@" + f.step() : ""))
                                        .isEqualTo(reason);
                            }));
            ((Map<String, String>) turn.getOrDefault("texts", Map.of()))
                    .forEach((id, text) -> assertThat(result.fired())
                            .as(where + " text of " + id)
                            .anySatisfy(f ->
                                    assertThat(f.entry().id() + ": " + f.text()).isEqualTo(id + ": " + text)));
            if (turn.containsKey("truncated")) {
                assertThat(result.fired()).as(where + " truncated").anySatisfy(f -> {
                    assertThat(f.entry().id()).isEqualTo(turn.get("truncated"));
                    assertThat(f.truncated()).isTrue();
                    assertThat(f.tokens()).isLessThanOrEqualTo(wi.budget());
                });
            }
            // What the repository does: effects set at this chat length or later are replaced.
            timed.values().removeIf(v -> v.activatedAt() >= chatLength);
            timed.putAll(result.timed());
            chat.add((String) turn.getOrDefault("reply", "(reply)"));
        }
    }

    @SuppressWarnings("unchecked")
    private void rates(CompiledPack pack, Map<String, Object> c) {
        int trials = ((Number) c.getOrDefault("trials", 1000)).intValue();
        List<String> chat = (List<String>) c.get("chat");
        Map<String, Integer> counts = new TreeMap<>();
        for (int seed = 0; seed < trials; seed++) {
            WorldInfo.Turn wi = new WorldInfo.Turn(
                    new ArrayList<>(chat).reversed(),
                    Map.of(),
                    "normal",
                    chat.size(),
                    0,
                    seed,
                    Map.of(),
                    10_000,
                    2,
                    10);
            engine.run(List.of(new WorldInfo.Book(pack, true)), wi)
                    .fired()
                    .forEach(f -> counts.merge(f.entry().id(), 1, Integer::sum));
        }
        ((Map<String, List<Number>>) c.get("rates"))
                .forEach((id, range) -> assertThat(counts.getOrDefault(id, 0) / (double) trials)
                        .as("rate of " + id + " over " + trials + " seeds")
                        .isBetween(range.get(0).doubleValue(), range.get(1).doubleValue()));
    }

    /** Builds a pack from card-style entries; fields a V2 entry does not have become extensions. */
    @SuppressWarnings("unchecked")
    static CompiledPack pack(List<Map<String, Object>> entries, Map<String, Object> book) {
        List<LoreEntry> lore = new ArrayList<>();
        for (Map<String, Object> e : entries) {
            Map<String, Object> extensions =
                    new LinkedHashMap<>((Map<String, Object>) e.getOrDefault("extensions", Map.of()));
            e.forEach((k, v) -> {
                if (!ENTRY_FIELDS.contains(k) && !k.equals("size") && !k.equals("content_prefix")) {
                    extensions.put(k, v);
                }
            });
            Object logic = e.getOrDefault("selectiveLogic", 0);
            List<String> keys = (List<String>) e.getOrDefault("keys", List.of());
            String content = e.containsKey("size")
                    ? e.getOrDefault("content_prefix", "")
                            + String.join(
                                    " ", java.util.Collections.nCopies(((Number) e.get("size")).intValue(), "lore"))
                    : (String) e.getOrDefault("content", "Some lore.");
            // A keyless @@activate entry is imported as constant (see LoreMapping); the decorator decides.
            boolean constant =
                    Boolean.TRUE.equals(e.get("constant")) || keys.isEmpty() && content.startsWith("@@activate");
            boolean enabled = !Boolean.FALSE.equals(e.get("enabled"));
            lore.add(new LoreEntry(
                    (String) e.get("id"),
                    (String) e.get("id"),
                    keys,
                    (List<String>) e.getOrDefault("secondary_keys", List.of()),
                    Boolean.TRUE.equals(e.get("selective")),
                    LoreEntry.SelectiveLogic.values()[((Number) logic).intValue()],
                    content,
                    constant,
                    enabled && (constant || !keys.isEmpty()),
                    ((Number) e.getOrDefault("insertion_order", 100)).intValue(),
                    10,
                    Boolean.TRUE.equals(e.get("case_sensitive")),
                    !Boolean.FALSE.equals(e.get("match_whole_words")),
                    Boolean.TRUE.equals(e.get("use_regex")),
                    (String) e.get("position"),
                    extensions));
        }
        return CompiledPack.of(
                new KnowledgePack("book", "Book", null, "lorebook", List.of(), List.of(), lore),
                PackOrigin.FILE,
                "test",
                book);
    }
}
