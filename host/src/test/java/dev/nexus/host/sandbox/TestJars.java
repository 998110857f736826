package dev.nexus.host.sandbox;

import dev.nexus.api.evolution.FitnessFunction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
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
import org.pf4j.ExtensionPoint;

/**
 * Builds plugin jars for tests: compiles Java sources with the system compiler ({@code --release 21},
 * against the plugin API) and packs classes, or raw bytes made with ASM, into jars with a
 * {@code Nexus-Fitness-Class} manifest entry. Sources are compiled in one batch per call.
 */
final class TestJars {

    private TestJars() {}

    /** Compiles {@code sources} (class name to source) into a fresh directory and returns it. */
    static Path compile(Map<String, String> sources) {
        try {
            Path root = Files.createTempDirectory("nexus-test-src-");
            Path out = Files.createDirectory(root.resolve("classes"));
            List<String> arguments = new ArrayList<>(List.of(
                    "--release",
                    "21",
                    "-proc:none",
                    "-nowarn",
                    "-XDsuppressNotes",
                    "-classpath",
                    location(FitnessFunction.class) + java.io.File.pathSeparator + location(ExtensionPoint.class),
                    "-d",
                    out.toString()));
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = root.resolve("src").resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                arguments.add(file.toString());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int status = javac.run(null, errors, errors, arguments.toArray(String[]::new));
            if (status != 0) {
                throw new IllegalStateException("test sources do not compile:\n" + errors);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Jars the classes of {@code packageName} from {@code classes} into {@code target}. */
    static Path jar(Path classes, String packageName, String fitnessClass, Path target) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Path dir = classes.resolve(packageName.replace('.', '/'));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                entries.put(classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return write(target, fitnessClass, entries);
    }

    /** Writes a jar with a manifest naming {@code fitnessClass} (none when empty) and the given entries. */
    static Path write(Path target, String fitnessClass, Map<String, byte[]> entries) {
        try {
            Files.write(target, bytes(fitnessClass, entries));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String fitnessClass, Map<String, byte[]> entries) {
        return bytes(fitnessClass.isEmpty() ? Map.of() : Map.of(JarContents.FITNESS_CLASS, fitnessClass), entries);
    }

    /** A jar with these main manifest attributes and entries. */
    static byte[] bytes(Map<String, String> attributes, Map<String, byte[]> entries) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.forEach(manifest.getMainAttributes()::putValue);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(entry.getKey()));
                jar.write(entry.getValue());
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
