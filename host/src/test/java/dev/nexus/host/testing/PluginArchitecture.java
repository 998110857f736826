package dev.nexus.host.testing;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The plugin rule of docs/architecture.md, for each plugin's own test: a plugin's main classes
 * depend on the JDK, the plugin API and PF4J's {@code @Extension} annotation only, so that it loads
 * into any host that provides the API, and nothing of the host leaks into it.
 */
public final class PluginArchitecture {

    private PluginArchitecture() {}

    /** Fails naming each class of {@code pluginPackage} that depends on anything else. */
    public static void assertDependsOnThePluginApiOnly(String pluginPackage) {
        JavaClasses plugin = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(pluginPackage);
        if (plugin.isEmpty()) {
            throw new AssertionError("no main classes found in " + pluginPackage + "; is the package name right?");
        }
        classes()
                .should()
                .onlyDependOnClassesThat(
                        resideInAnyPackage("java..", "javax.crypto..", "dev.nexus.api..", pluginPackage + "..")
                                .or(name("org.pf4j.Extension")))
                .because(
                        "a plugin sees the plugin API and the JDK only; the host and its libraries are not its class path")
                .check(plugin);
    }
}
