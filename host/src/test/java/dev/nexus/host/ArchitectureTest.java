package dev.nexus.host;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/architecture.md, checked on the compiled host and plugin-api. Each
 * rule names what it protects in its {@code because}; a broken rule fails the build with the
 * offending class and dependency. Plugins check their own rule through
 * {@link dev.nexus.host.testing.PluginArchitecture}.
 */
class ArchitectureTest {

    private static final String HOST = "dev.nexus.host";
    private static JavaClasses host;
    private static JavaClasses api;

    @BeforeAll
    static void importClasses() {
        // Test classes are left out wherever they come from: test-classes folders (a reactor build up to
        // `test`) or a module's test-jar (`verify`, where plugin-api's published contract tests, which use
        // JUnit and AssertJ by design, arrive as nexus-plugin-api-*-tests.jar).
        ClassFileImporter importer = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"));
        host = importer.importPackages(HOST);
        api = importer.importPackages("dev.nexus.api");
    }

    @Test
    void pluginApi_dependsOnTheJdkOnly() {
        check(
                api,
                classes()
                        .should()
                        .onlyDependOnClassesThat(
                                resideInAnyPackage("java..", "dev.nexus.api..").or(name("org.pf4j.ExtensionPoint")))
                        .because("a plugin compiles against the API alone; PF4J's ExtensionPoint is the one marker its"
                                + " extension index needs (provided by the host, never bundled)"));
    }

    @Test
    void javalin_onlyInHttp() {
        check(
                host,
                only(
                        "io.javalin..",
                        HOST + ".http..",
                        "feature code never sees the web framework; one place maps exceptions to HTTP"));
    }

    @Test
    void pf4j_onlyInPlugins() {
        check(
                host,
                only(
                        "org.pf4j..",
                        HOST + ".plugins..",
                        "the plugin runtime can change (or grow a sandbox) without touching features"));
    }

    @Test
    void langchain4j_onlyInLlm() {
        check(
                host,
                only("dev.langchain4j..", HOST + ".llm..", "a langchain4j upgrade touches host.llm and nothing else"));
    }

    @Test
    void micrometer_onlyInMetrics() {
        check(
                host,
                only(
                        "io.micrometer..",
                        HOST + ".metrics..",
                        "features record through host.metrics.Metrics; a Micrometer upgrade touches that package alone"));
    }

    @Test
    void jackson_onlyInJson() {
        check(
                host,
                noClasses()
                        .that()
                        .resideOutsideOfPackage(HOST + ".json..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage("com.fasterxml.jackson..")
                        .because("one Jackson configuration (json.Mappers: limits on depth, size, aliases and"
                                + " duplicate keys, and each caller's strictness in one table) reads every document,"
                                + " the configuration file and HTTP uploads included"));
    }

    @Test
    void jdbi_onlyInRepositoriesAndDb() {
        check(
                host,
                noClasses()
                        .that()
                        .resideOutsideOfPackage(HOST + ".db..")
                        .and(not(topLevelEndingWith("Repository", "Store")))
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage("org.jdbi..")
                        .because("SQL and its mapping live behind one repository per feature; services hold rules"));
    }

    @Test
    void llm_doesNotKnowPersonas() {
        check(
                host,
                notDepend(
                        HOST + ".llm..",
                        HOST + ".persona..",
                        "models answer requests; what a personality is stays in persona (the offline model"
                                + " gets a Grounding port, not a Personality)"));
    }

    @Test
    void memory_doesNotKnowKnowledge() {
        check(
                host,
                notDepend(
                        HOST + ".memory..",
                        HOST + ".knowledge..",
                        "the conversation splits a turn's budget between them; either can change or be absent alone"));
    }

    @Test
    void evolution_doesNotKnowPlatforms() {
        check(
                host,
                notDepend(
                        HOST + ".evolution..",
                        HOST + ".platform..",
                        "evolution judges feedback from any source; platforms own their port and the host adapts it"));
    }

    private static ArchRule only(String library, String home, String reason) {
        return noClasses()
                .that()
                .resideOutsideOfPackage(home)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(library)
                .because(reason);
    }

    private static ArchRule notDepend(String from, String to, String reason) {
        return noClasses()
                .that()
                .resideInAPackage(from)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(to)
                .because(reason);
    }

    /** Classes whose top-level class's name ends with one of {@code suffixes}, with their nested classes. */
    private static DescribedPredicate<JavaClass> topLevelEndingWith(String... suffixes) {
        return DescribedPredicate.describe(
                "in a class named *" + String.join(" or *", suffixes),
                c -> Stream.of(suffixes).anyMatch(topLevel(c)::endsWith));
    }

    private static String topLevel(JavaClass c) {
        int nested = c.getName().indexOf('$');
        return nested < 0 ? c.getName() : c.getName().substring(0, nested);
    }

    private static void check(JavaClasses classes, ArchRule rule) {
        rule.check(classes);
    }
}
