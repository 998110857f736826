package dev.nexus.plugin.email;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The plugin rule of docs/architecture.md with the one exception this plugin needs: Jakarta Mail (shaded
 * into the plugin jar) is used in {@code dev.nexus.plugin.email.mail} only, behind the plugin's own types;
 * everything else depends on the plugin API and the JDK.
 */
class DependenciesTest {

    private static final String PLUGIN = "dev.nexus.plugin.email";
    private static final String MAIL = PLUGIN + ".mail";

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(PLUGIN);

    @Test
    void plugin_outsideTheMailPackage_dependsOnThePluginApiAndTheJdkOnly() {
        classes()
                .that()
                .resideOutsideOfPackage(MAIL + "..")
                .should()
                .onlyDependOnClassesThat(resideInAnyPackage("java..", "dev.nexus.api..", PLUGIN + "..")
                        .or(name("org.pf4j.Extension")))
                .because("Jakarta Mail stays behind the mail package's own types")
                .check(classes);
    }

    @Test
    void mailPackage_dependsOnJakartaMailTheJdkAndItself_only() {
        classes()
                .that()
                .resideInAPackage(MAIL + "..")
                .should()
                .onlyDependOnClassesThat(resideInAnyPackage(
                        "java..", "javax.net..", "jakarta.mail..", "org.eclipse.angus.mail..", MAIL + ".."))
                .check(classes);
    }
}
