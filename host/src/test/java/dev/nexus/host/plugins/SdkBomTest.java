package dev.nexus.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * nexus-bom has no parent (importing it would otherwise pin the host's own libraries in every plugin),
 * so its versions are written twice: here they are held equal to the build's, so a plugin built
 * against the BOM compiles and tests against what the host runs. The template's build plugins are
 * pinned to the build's own, so a fresh machine that ran the build has them (PluginTemplateIT serves
 * them from there).
 */
class SdkBomTest {

    private static final Path ROOT_POM = Path.of("..", "pom.xml");
    private static final Path BOM = Path.of("..", "nexus-bom", "pom.xml");
    private static final Path API_POM = Path.of("..", "plugin-api", "pom.xml");
    private static final Path TEMPLATE_POM = Path.of("..", "template", "common", "pom.xml");

    @Test
    void bom_versionsEqualTheBuildsOwn() throws Exception {
        Map<String, String> build = properties(read(ROOT_POM));
        Map<String, String> bom = properties(read(BOM));

        String[] shared = {"nexus.api.version", "pf4j.version", "slf4j.version", "junit.version", "assertj.version"};
        for (String property : shared) {
            assertThat(bom.get(property))
                    .as("%s in nexus-bom/pom.xml (the root pom.xml says %s)", property, build.get(property))
                    .isNotNull()
                    .isEqualTo(build.get(property));
        }
    }

    @Test
    void bom_isVersionedWithThePluginApiItDescribes() throws Exception {
        String api = child(read(API_POM).getDocumentElement(), "version");

        assertThat(child(read(BOM).getDocumentElement(), "version"))
                .as("<version> of nexus-bom/pom.xml")
                .isEqualTo(api);
        assertThat(properties(read(ROOT_POM)).get("nexus.api.version"))
                .as("nexus.api.version in pom.xml")
                .isEqualTo(api);
    }

    @Test
    void templateAndBom_pinTheBuildPluginsTheBuildItselfUses() throws Exception {
        Map<String, String> build = pluginVersions(read(ROOT_POM));

        for (Path pom : new Path[] {TEMPLATE_POM, BOM}) {
            Map<String, String> pinned = pluginVersions(read(pom));
            assertThat(pinned).as("plugin versions pinned in %s", pom).isNotEmpty();
            pinned.forEach((plugin, version) -> assertThat(version)
                    .as("%s in %s (the root pom.xml pins %s)", plugin, pom, build.get(plugin))
                    .isEqualTo(build.get(plugin)));
        }
    }

    /** artifactId -> version of every plugin with a literal version in the pom's build section. */
    private static Map<String, String> pluginVersions(Document pom) {
        Map<String, String> versions = new LinkedHashMap<>();
        NodeList plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            NodeList version = plugin.getElementsByTagName("version");
            if (version.getLength() > 0 && version.item(0).getParentNode() == plugin) {
                versions.put(
                        child(plugin, "artifactId"),
                        version.item(0).getTextContent().strip());
            }
        }
        return versions;
    }

    private static Document read(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static Map<String, String> properties(Document pom) {
        Map<String, String> values = new LinkedHashMap<>();
        NodeList blocks = pom.getDocumentElement().getElementsByTagName("properties");
        NodeList children = blocks.item(0).getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element property) {
                values.put(property.getTagName(), property.getTextContent().strip());
            }
        }
        return values;
    }

    private static String child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().strip();
            }
        }
        throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
    }
}
