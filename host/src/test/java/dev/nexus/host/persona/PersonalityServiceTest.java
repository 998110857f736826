package dev.nexus.host.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.personality.PersonalityBundle;
import dev.nexus.host.ConflictException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@MethodSource(TestDatabases.KINDS)
class PersonalityServiceTest {

    @Parameter
    Database.Kind database;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private TestDatabase db;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private TestDatabase db() {
        if (db == null) {
            db = TestDatabases.of(database);
            open.add(0, db);
        }
        return db;
    }

    private PersonalityService service(
            TestDatabase database, CardImporter importer, Supplier<List<PluginPersonality>> plugins, Duration poll) {
        PersonalityService service =
                new PersonalityService(database.database(), dir, poll, Clock.systemUTC(), importer, plugins);
        open.add(service);
        service.start();
        return service;
    }

    private PersonalityService service() {
        return service(db(), CardImporter.none(), List::of, Duration.ofHours(1));
    }

    private void bundle(String id, String yaml) throws IOException {
        Files.createDirectories(dir.resolve(id));
        Files.writeString(dir.resolve(id).resolve("persona.yaml"), yaml);
    }

    private static String zen(double warmth) {
        return "name: Zen\ndescription: Calm.\ntraits:\n  warmth: {value: " + warmth + ", evolvable: true}\n";
    }

    private static final PersonalityId ZEN = PersonalityId.of("zen");

    @Test
    void start_loadsEveryValidBundle() throws IOException {
        bundle("zen", zen(0.5));
        bundle("sage", "name: Sage\n");

        PersonalityService service = service();

        assertThat(service.list()).extracting(r -> r.id().value()).containsExactly("sage", "zen");
        assertThat(service.current(ZEN).orElseThrow().version()).isEqualTo(1);
        assertThat(service.get(ZEN).owner()).isEqualTo(Owner.bundle(dir.getFileName() + "/zen/persona.yaml"));
        assertThat(service.problems()).isEmpty();
    }

    @Test
    void prefetch_readsAheadOfStart_withoutAskingThePlugins_andStartStillSeesAnEditMadeMeanwhile() throws IOException {
        bundle("zen", zen(0.5));
        bundle("sage", "name: Sage\n");
        service(); // stores version 1 of both, as a previous run would have
        boolean[] pluginsStarted = {false};
        PersonalityService service = new PersonalityService(
                db().database(), dir, Duration.ofHours(1), Clock.systemUTC(), CardImporter.none(), () -> {
                    assertThat(pluginsStarted[0])
                            .as("plugins are asked at start, not before")
                            .isTrue();
                    return List.of(
                            new PluginPersonality("acme", new PersonalityBundle("owl", "name: Owl\n", Map.of())));
                });
        open.add(service);

        service.prefetch();
        bundle("zen", zen(0.6)); // an edit while start-up goes on elsewhere
        pluginsStarted[0] = true;
        service.start();

        assertThat(service.list()).extracting(r -> r.id().value()).containsExactly("owl", "sage", "zen");
        assertThat(service.current(ZEN).orElseThrow().version()).isEqualTo(2);
        assertThat(service.current(ZEN).orElseThrow().personality().traits().value("warmth", 0))
                .isEqualTo(0.6);
        assertThat(service.current(PersonalityId.of("sage")).orElseThrow().version())
                .isEqualTo(1);
    }

    @Test
    void sync_addChangeDelete_isPickedUp() throws IOException {
        PersonalityService service = service();
        assertThat(service.list()).isEmpty();

        bundle("zen", zen(0.5));
        service.sync();
        assertThat(service.current(ZEN).orElseThrow().version()).isEqualTo(1);

        service.sync();
        assertThat(service.versions(ZEN))
                .as("unchanged content makes no version")
                .hasSize(1);

        bundle("zen", zen(0.6));
        service.sync();
        assertThat(service.current(ZEN).orElseThrow().version()).isEqualTo(2);
        assertThat(service.current(ZEN).orElseThrow().personality().traits().value("warmth", 0))
                .isEqualTo(0.6);

        Files.delete(dir.resolve("zen/persona.yaml"));
        Files.delete(dir.resolve("zen"));
        service.sync();
        assertThat(service.current(ZEN)).isEmpty();
        assertThatThrownBy(() -> service.get(ZEN)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void invalidEdit_keepsTheLastGoodVersion_andReportsEveryProblem() throws IOException {
        bundle("zen", zen(0.5));
        PersonalityService service = service();

        bundle("zen", "name: Zen\ntraits:\n  warmth: 1.4\nexamples: [[{role: bot, text: hi}]]\n");
        service.sync();

        Registered zen = service.get(ZEN);
        assertThat(zen.version().version()).isEqualTo(1);
        assertThat(zen.version().personality().traits().value("warmth", 0)).isEqualTo(0.5);
        String file = dir.getFileName() + "/zen/persona.yaml";
        assertThat(zen.problems())
                .extracting(BundleProblem::toString)
                .containsExactly(
                        file + ": traits.warmth: must be within [0, 1], got 1.4",
                        file + ": examples[0][0].role: must be 'user' or 'assistant', got 'bot'");
        assertThat(service.problems()).hasSize(2);

        bundle("zen", zen(0.7));
        service.sync();
        assertThat(service.get(ZEN).problems()).isEmpty();
        assertThat(service.get(ZEN).version().version()).isEqualTo(2);
    }

    @Test
    void neverValidBundle_isNotFound_withItsProblemsInTheMessage() throws IOException {
        bundle("broken", "name: [\n");
        bundle("Bad Name", "name: X\n");

        PersonalityService service = service();

        assertThatThrownBy(() -> service.get(PersonalityId.of("broken")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("personality 'broken' is not available because its source has 1 problem(s): "
                        + dir.getFileName() + "/broken/persona.yaml: (document): is not valid YAML: line");
        assertThat(service.problems())
                .extracting(BundleProblem::field)
                .containsExactlyInAnyOrder("(document)", "(directory)");
        assertThatThrownBy(() -> service.create(Personality.minimal("broken", "Mine", "")))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("held by a bundle or plugin");
    }

    @Test
    void pluginBundles_areLoaded_butABundleTakesPrecedence() throws IOException {
        bundle("zen", zen(0.5));
        List<PluginPersonality> plugins = List.of(
                new PluginPersonality("acme", new PersonalityBundle("zen", "name: Plugin Zen\n", Map.of())),
                new PluginPersonality("acme", new PersonalityBundle("owl", "name: Owl\n", Map.of())),
                new PluginPersonality("zeta", new PersonalityBundle("owl", "name: Other Owl\n", Map.of())),
                new PluginPersonality("acme", new PersonalityBundle("bad", "name: Bad\ntraits: {x: 2}\n", Map.of())));

        PersonalityService service = service(db(), CardImporter.none(), () -> plugins, Duration.ofHours(1));

        assertThat(service.get(ZEN).version().personality().name()).isEqualTo("Zen");
        assertThat(service.get(PersonalityId.of("owl")).owner()).isEqualTo(Owner.plugin("acme"));
        assertThat(service.get(PersonalityId.of("owl")).version().source()).isEqualTo("plugin:acme");
        assertThat(service.problems())
                .extracting(BundleProblem::toString)
                .containsExactly(
                        "plugin:acme/zen: id: 'zen' is also offered by the bundle " + dir.getFileName()
                                + "/zen/persona.yaml, which takes precedence; this plugin's version is ignored",
                        "plugin:zeta/owl: id: 'owl' is also offered by plugin 'acme', which takes precedence; "
                                + "this plugin's version is ignored",
                        "plugin:acme/bad: traits.x: must be within [0, 1], got 2");
        assertThat(service.get(ZEN).problems()).hasSize(1);
    }

    @Test
    void removingABundle_handsItsIdBackToThePlugin() throws IOException {
        bundle("zen", zen(0.5));
        List<PluginPersonality> plugins =
                List.of(new PluginPersonality("acme", new PersonalityBundle("zen", "name: Plugin Zen\n", Map.of())));
        PersonalityService service = service(db(), CardImporter.none(), () -> plugins, Duration.ofHours(1));

        Files.delete(dir.resolve("zen/persona.yaml"));
        Files.delete(dir.resolve("zen"));
        service.sync();

        assertThat(service.get(ZEN).version().personality().name()).isEqualTo("Plugin Zen");
        assertThat(service.get(ZEN).version().version()).isEqualTo(2);
        assertThat(service.problems()).isEmpty();
    }

    @Test
    void apiOwnedId_winsOverALaterBundle_andTheConflictIsReported() throws IOException {
        PersonalityService service = service();
        service.create(Personality.minimal("sage", "API Sage", ""));

        bundle("sage", "name: Bundle Sage\n");
        service.sync();

        assertThat(service.get(PersonalityId.of("sage")).version().personality().name())
                .isEqualTo("API Sage");
        assertThat(service.get(PersonalityId.of("sage")).problems())
                .extracting(BundleProblem::message)
                .containsExactly(
                        "'sage' belongs to a personality created over the API, so this source is ignored; rename it, "
                                + "or DELETE /v1/personalities/sage first");
    }

    @Test
    void versions_surviveARestart_andAnUnchangedBundleMakesNoNewVersion() throws IOException {
        bundle("zen", zen(0.5));
        PersonalityService first = service();
        first.applyTraits(ZEN, 1, Map.of("warmth", 0.9), "evolution:p1");
        first.create(Personality.minimal("sage", "Sage", ""));
        first.close();

        PersonalityService second = service();

        assertThat(second.current(ZEN).orElseThrow().version()).isEqualTo(2);
        assertThat(second.current(ZEN).orElseThrow().personality().traits().value("warmth", 0))
                .isEqualTo(0.9);
        assertThat(second.versions(ZEN))
                .extracting(PersonalityVersion::source)
                .containsExactly("evolution:p1", "bundle");
        assertThat(second.current(PersonalityId.of("sage"))).isPresent();

        bundle("zen", zen(0.3));
        second.sync();
        assertThat(second.current(ZEN).orElseThrow().personality().traits().value("warmth", 0))
                .as("an edited bundle file wins over evolved values")
                .isEqualTo(0.3);
    }

    @Test
    void cardFiles_goThroughTheImporter_andADirectoryWinsOverAFileWithTheSameId() throws IOException {
        Files.writeString(dir.resolve("Seraphina.json"), "{\"spec\":\"chara_card_v2\"}");
        Files.writeString(dir.resolve("zen.png"), "not really a png");
        bundle("zen", zen(0.5));
        CardImporter importer = (id, fileName, content) -> Personality.minimal(id.value(), "Imported " + fileName, "");

        PersonalityService service = service(db(), importer, List::of, Duration.ofHours(1));

        Registered seraphina = service.get(PersonalityId.of("seraphina"));
        assertThat(seraphina.version().personality().name()).isEqualTo("Imported Seraphina.json");
        assertThat(seraphina.owner()).isEqualTo(Owner.bundle(dir.getFileName() + "/Seraphina.json"));
        assertThat(service.problems())
                .extracting(BundleProblem::toString)
                .containsExactly(dir.getFileName() + "/zen.png: id: 'zen' is also the bundle " + dir.getFileName()
                        + "/zen/persona.yaml, which takes precedence; rename one of them");
    }

    @Test
    void cardFiles_throughTheRealInterchangeImporter_becomePersonalities() throws IOException {
        Files.writeString(dir.resolve("Seraphina.json"), """
                {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": "Seraphina",
                 "description": "A guardian of the forest.", "personality": "kind", "scenario": "",
                 "first_mes": "Welcome, {{user}}.", "mes_example": "", "extensions": {"x/y": 1}}}
                """);
        Files.writeString(dir.resolve("broken.json"), "{\"spec\": \"chara_card_v2\"");
        var interchange =
                new dev.nexus.host.interchange.Interchange(dev.nexus.host.interchange.InterchangeLimits.defaults());

        PersonalityService service = service(db(), interchange::importFile, List::of, Duration.ofHours(1));

        Personality seraphina =
                service.get(PersonalityId.of("seraphina")).version().personality();
        assertThat(seraphina.name()).isEqualTo("Seraphina");
        assertThat(seraphina.greetings()).containsExactly("Welcome, {{user}}.");
        assertThat(service.problems())
                .singleElement()
                .satisfies(problem -> assertThat(problem.file()).isEqualTo(dir.getFileName() + "/broken.json"));
    }

    @Test
    void cardFiles_withoutAnImporter_areReportedAsProblems() throws IOException {
        Files.writeString(dir.resolve("Seraphina.png"), "png");

        PersonalityService service = service();

        assertThat(service.list()).isEmpty();
        assertThat(service.problems())
                .extracting(BundleProblem::toString)
                .containsExactly(
                        dir.getFileName()
                                + "/Seraphina.png: (document): single character-card files need the interchange "
                                + "importer, which this host does not have; put the personality in seraphina/persona.yaml instead");
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void twoHostsSharingADatabase_seeEachOthersChangesOnTheNextTick(TestDatabase shared) {
        PersonalityService one = service(shared, CardImporter.none(), List::of, Duration.ofHours(1));
        PersonalityService two = service(shared, CardImporter.none(), List::of, Duration.ofHours(1));

        PersonalityId sage = PersonalityId.of("sage");
        one.create(Personality.minimal("sage", "Sage", "").withTraits(Traits.of(List.of(Trait.of("warmth", 0.5)))));
        two.sync();
        assertThat(two.current(sage)).isPresent();

        two.applyTraits(sage, 1, Map.of("warmth", 0.6), "evolution:p1");
        assertThat(one.current(sage).orElseThrow().version())
                .as("not before the tick")
                .isEqualTo(1);
        one.sync();
        assertThat(one.current(sage).orElseThrow().version()).isEqualTo(2);

        two.delete(sage);
        one.sync();
        assertThat(one.current(sage)).isEmpty();
    }

    @Test
    void unreadableStoredVersion_isLeftOut_andTheRestStillLoads() throws IOException {
        bundle("zen", zen(0.5));
        service().create(Personality.minimal("sage", "Sage", ""));
        db().database()
                .jdbi()
                .useHandle(h -> h.execute(
                        "UPDATE personality_versions SET document = 'name: [' WHERE personality_id = 'sage'"));

        PersonalityService restarted = service();

        assertThat(restarted.current(PersonalityId.of("sage"))).isEmpty();
        assertThat(restarted.current(ZEN)).isPresent();
    }

    @Test
    void watcher_picksUpAddChangeAndDeleteWhileRunning() throws Exception {
        PersonalityService service = service(db(), CardImporter.none(), List::of, Duration.ofMillis(100));

        bundle("zen", zen(0.5));
        eventually(() -> service.current(ZEN).isPresent());

        bundle("zen", zen(0.8));
        eventually(() -> service.current(ZEN).map(v -> v.version() == 2).orElse(false));

        bundle("zen", "name: Zen\ntraits: {warmth: 7}\n");
        eventually(() -> !service.get(ZEN).problems().isEmpty());
        assertThat(service.get(ZEN).version().version()).isEqualTo(2);

        Files.delete(dir.resolve("zen/persona.yaml"));
        Files.delete(dir.resolve("zen"));
        eventually(() -> service.current(ZEN).isEmpty());
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }

    /** A host of a cluster, with a personalities directory of its own, on the shared database. */
    private PersonalityService host(String hostId, Path directory) {
        PersonalityService service = new PersonalityService(
                db().database(), directory, Duration.ofHours(1), Clock.systemUTC(), CardImporter.none(), List::of);
        service.bundleHost(hostId);
        open.add(service);
        service.start();
        return service;
    }

    @Test
    void restartWithAnOlderBundleDirectory_neverRewindsAnotherHostsImport_butTakesAnEditOfItsOwn() throws IOException {
        Path c = Files.createDirectories(dir.resolve("host-c"));
        Path d = Files.createDirectories(dir.resolve("host-d"));
        for (Path each : List.of(c, d)) {
            Files.createDirectories(each.resolve("zen"));
            Files.writeString(each.resolve("zen").resolve("persona.yaml"), zen(0.5));
        }
        host("d", d).close();
        PersonalityService hostC = host("c", c);
        Files.writeString(c.resolve("zen").resolve("persona.yaml"), zen(0.8)); // edited on C
        hostC.sync();
        assertThat(hostC.current(ZEN).orElseThrow().version()).isEqualTo(2);

        PersonalityService hostD = host("d", d); // D restarts with its old copy (warmth 0.5)
        assertThat(hostD.current(ZEN).orElseThrow().version())
                .as("D's unchanged directory does not rewind C's edit")
                .isEqualTo(2);
        assertThat(hostD.current(ZEN).orElseThrow().personality().traits().value("warmth", 0))
                .isEqualTo(0.8);

        Files.writeString(d.resolve("zen").resolve("persona.yaml"), zen(0.3)); // now edited on D
        hostD.sync();
        assertThat(hostD.current(ZEN).orElseThrow().version())
                .as("an edit on D is new content: a new version")
                .isEqualTo(3);

        PersonalityService freshHost = host("e", c); // a new host with C's directory: content already imported
        assertThat(freshHost.current(ZEN).orElseThrow().version()).isEqualTo(3);
    }
}
