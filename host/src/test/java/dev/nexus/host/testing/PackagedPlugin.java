package dev.nexus.host.testing;

import dev.nexus.api.PluginContext;
import dev.nexus.host.plugins.Contribution;
import dev.nexus.host.plugins.PluginInfo;
import dev.nexus.host.plugins.PluginRuntime;
import dev.nexus.host.plugins.PluginsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

/**
 * Loads the plugin jar a first-party plugin module has just packaged into a real {@link PluginRuntime},
 * the way the host does, for the module's {@code *IT} tests. The jar comes from the system property
 * {@code nexus.plugin.jar}, which the plugins parent pom sets for failsafe.
 *
 * <pre>{@code
 * try (PackagedPlugin plugin = PackagedPlugin.start(Map.of("allowed-hosts", List.of("127.0.0.1")), Map.of())) {
 *     Tool tool = plugin.extension(Tool.class);
 *     ...
 * }
 * }</pre>
 *
 * <p>Use extensions only through plugin-api types: their classes come from the plugin's own class
 * loader, not from the test class path.
 */
public final class PackagedPlugin implements AutoCloseable {

    private final String id;
    private final Path directory;
    private final PluginRuntime runtime;

    private PackagedPlugin(String id, Path directory, PluginRuntime runtime) {
        this.id = id;
        this.directory = directory;
        this.runtime = runtime;
    }

    /** Returns the packaged jar named by {@code nexus.plugin.jar}; fails with the fix when it is missing. */
    public static Path jar() {
        String property = System.getProperty("nexus.plugin.jar", "");
        Path jar = Path.of(property);
        if (property.isBlank() || !Files.isRegularFile(jar)) {
            throw new IllegalStateException("system property nexus.plugin.jar must name the packaged plugin jar, got '"
                    + property + "'; run integration tests with ./mvnw verify so failsafe sets it after packaging");
        }
        return jar;
    }

    /**
     * Copies the packaged jar into {@code directory} (a host's {@code plugins.directory}) and returns the copy.
     */
    public static Path installInto(Path directory) {
        Path jar = jar();
        try {
            Files.createDirectories(directory);
            return Files.copy(
                    jar, directory.resolve(jar.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies the packaged jar into a fresh plugin directory and starts a runtime over it.
     *
     * @param config the plugin's own configuration section
     * @param secrets the plugin's secrets by upper-case name without prefix (e.g. {@code SIGNING_KEY})
     */
    public static PackagedPlugin start(Map<String, Object> config, Map<String, String> secrets) {
        return start(config, secrets, Clock.systemUTC());
    }

    /** As {@link #start(Map, Map)}, with the clock handed to the plugin. */
    public static PackagedPlugin start(Map<String, Object> config, Map<String, String> secrets, Clock clock) {
        Path jar = jar();
        try {
            String id;
            try (JarFile file = new JarFile(jar.toFile())) {
                id = file.getManifest().getMainAttributes().getValue("Plugin-Id");
            }
            Path directory = Files.createTempDirectory("nexus-plugin-it-");
            installInto(directory);
            PluginRuntime runtime = new PluginRuntime(
                    new PluginsConfig(directory.toString(), "", List.of(), Map.of(id, config)),
                    directory,
                    pluginId -> pluginId.equals(id) ? secrets : Map.of(),
                    clock,
                    pluginId -> new dev.nexus.api.testing.MemoryPluginStore(clock));
            runtime.start();
            return new PackagedPlugin(id, directory, runtime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns the row {@code GET /v1/plugins} of a running host shows for plugin {@code id}.
     *
     * @throws AssertionError when the plugin is not listed
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> listed(TestHost host, String id) {
        List<Map<String, Object>> rows = (List<Map<String, Object>>)
                TestHttp.json(host.http().get("/v1/plugins")).get("plugins");
        return rows.stream()
                .filter(row -> id.equals(row.get("id")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("plugin '" + id + "' is not listed by /v1/plugins: " + rows));
    }

    /** Returns the plugin id from the jar's manifest. */
    public String id() {
        return id;
    }

    /** Returns the runtime the plugin was loaded into. */
    public PluginRuntime runtime() {
        return runtime;
    }

    /** Returns the plugin's status row, as {@code GET /v1/plugins} shows it. */
    public PluginInfo info() {
        return runtime.plugins().stream()
                .filter(info -> info.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("plugin '" + id + "' is not listed; rows: " + runtime.plugins()));
    }

    /** Returns the plugin's only extension of {@code type}, as created by PF4J. */
    public <T> Contribution<T> extension(Class<T> type) {
        List<Contribution<T>> found = runtime.extensions(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + " from plugin '" + id + "', found "
                    + found.size() + "; status: " + info());
        }
        return found.get(0);
    }

    /** Returns the context the host made for the plugin. */
    public PluginContext context() {
        return runtime.context(id);
    }

    @Override
    public void close() {
        runtime.close();
        TestDatabases.delete(directory);
    }
}
