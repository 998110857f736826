package dev.nexus.host.sandbox;

import dev.nexus.host.sandbox.ClassReferences.Reference;
import dev.nexus.host.sandbox.ExternalSymbol.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The child JVM's class path: exactly the classes {@link SandboxChild} needs, followed transitively
 * from it and copied out of the host's class path into a private directory. The host's jar (whose
 * manifest pulls in every library) never goes on the child's class path, and a child class that
 * starts depending on anything but the JDK, the fitness API or {@code org.pf4j.ExtensionPoint} fails
 * here, loudly, instead of at run time. Stateless.
 */
final class ChildClassPath {

    private ChildClassPath() {}

    /** Writes the closure of {@link SandboxChild} under {@code directory}; returns the classes written. */
    static Set<String> write(Path directory) {
        Set<String> written = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        pending.add(SandboxChild.class.getName().replace('.', '/'));
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (!written.add(name)) {
                continue;
            }
            byte[] bytes = read(name);
            copy(directory, name, bytes);
            for (Reference reference : ClassReferences.of(bytes).references) {
                String owner = reference.owner();
                if (reference.kind() == Kind.ANNOTATION || owner.isEmpty() || owner.startsWith("[") || jdk(owner)) {
                    continue;
                }
                if (!owner.startsWith("dev/nexus/") && !owner.equals("org/pf4j/ExtensionPoint")) {
                    throw new IllegalStateException("the sandbox child must depend on the JDK, the fitness API and "
                            + "org.pf4j.ExtensionPoint only, but " + name + " uses " + owner);
                }
                pending.add(owner);
            }
        }
        return written;
    }

    private static boolean jdk(String name) {
        return name.startsWith("java/")
                || name.startsWith("javax/")
                || name.startsWith("jdk/")
                || name.startsWith("sun/")
                || name.startsWith("com/sun/");
    }

    private static byte[] read(String name) {
        try (InputStream in = ChildClassPath.class.getClassLoader().getResourceAsStream(name + ".class")) {
            if (in == null) {
                throw new IllegalStateException("class " + name + " is not on the host's class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class " + name + " from the host's class path", e);
        }
    }

    private static void copy(Path directory, String name, byte[] bytes) {
        Path file = directory.resolve(name + ".class");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sandbox child's class path under " + directory, e);
        }
    }
}
