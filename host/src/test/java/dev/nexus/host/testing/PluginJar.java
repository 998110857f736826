package dev.nexus.host.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real PF4J plugin jars in tests: compiles Java sources against the test class path and
 * packages them with a PF4J manifest and {@code META-INF/extensions.idx}.
 *
 * <pre>{@code
 * Path jar = PluginJar.builder("hello").source("test.Hello", "package test; ...").extension("test.Hello").build(dir);
 * }</pre>
 */
public final class PluginJar {

    private final String id;
    private String version = "1.0.0";
    private String requires = ">=0.1.0";
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> extensions = new ArrayList<>();
    private final Map<String, byte[]> extraEntries = new LinkedHashMap<>();

    private PluginJar(String id) {
        this.id = id;
    }

    /** Starts a plugin jar with the given {@code Plugin-Id}. */
    public static PluginJar builder(String id) {
        return new PluginJar(id);
    }

    public PluginJar version(String value) {
        this.version = value;
        return this;
    }

    /** Sets {@code Plugin-Requires}; empty to omit it. */
    public PluginJar requires(String value) {
        this.requires = value;
        return this;
    }

    /** Adds a Java source for the fully qualified class {@code className}. */
    public PluginJar source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Lists {@code className} in {@code META-INF/extensions.idx}. */
    public PluginJar extension(String className) {
        extensions.add(className);
        return this;
    }

    /** Adds a raw entry, e.g. a resource or a forged class file. */
    public PluginJar entry(String name, byte[] content) {
        extraEntries.put(name, content.clone());
        return this;
    }

    /** Compiles and writes the jar into {@code directory}; returns its path. */
    public Path build(Path directory) {
        try {
            Path classes = Files.createTempDirectory("plugin-classes-");
            compile(classes);
            Files.createDirectories(directory);
            Path jar = directory.resolve("nexus-plugin-" + id + "-" + version + ".jar");
            Manifest manifest = new Manifest();
            Attributes main = manifest.getMainAttributes();
            main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            main.putValue("Plugin-Id", id);
            main.putValue("Plugin-Version", version);
            if (!requires.isEmpty()) {
                main.putValue("Plugin-Requires", requires);
            }
            main.putValue("Plugin-Provider", "tests");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                try (Stream<Path> files = Files.walk(classes)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        put(out, classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                    }
                }
                if (!extensions.isEmpty()) {
                    put(
                            out,
                            "META-INF/extensions.idx",
                            (String.join("\n", extensions) + "\n").getBytes(StandardCharsets.UTF_8));
                }
                for (Map.Entry<String, byte[]> entry : extraEntries.entrySet()) {
                    put(out, entry.getKey(), entry.getValue());
                }
            }
            TestDatabases.delete(classes);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void compile(Path classes) throws IOException {
        if (sources.isEmpty()) {
            return;
        }
        Path src = Files.createTempDirectory("plugin-src-");
        List<String> args = new ArrayList<>(List.of(
                "--release",
                "21",
                "-proc:none",
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path")));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        int status = compiler.run(null, null, errors, args.toArray(String[]::new));
        TestDatabases.delete(src);
        if (status != 0) {
            throw new IllegalStateException(
                    "plugin sources did not compile:\n" + errors.toString(StandardCharsets.UTF_8));
        }
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        ((OutputStream) out).write(bytes);
        out.closeEntry();
    }
}
