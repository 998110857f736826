package dev.nexus.host.sandbox;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.Type;

/**
 * Where the JDK (or plugin API) declares a method, looked up by reflection on the host's own copies of
 * allowlisted types: lets the scan name the member that really runs when plugin code calls it through
 * its own types. Only types the allowlist admits are ever looked at (a fixed, trusted set, so the cache
 * stays small); they are loaded without initialisation. Thread-safe.
 */
final class JdkMembers {

    private static final Map<String, Map<String, String>> DECLARED = new ConcurrentHashMap<>();

    private JdkMembers() {}

    /**
     * Returns the internal name of the type that declares method {@code name + descriptor} as seen from
     * {@code type} (itself, a superclass or a superinterface), or empty when there is none or {@code type}
     * is not an allowlisted type.
     */
    static Optional<String> declaring(String type, String name, String descriptor) {
        if (type.startsWith("[") || !Allowlist.type(type).allowed()) {
            return Optional.empty();
        }
        return Optional.ofNullable(
                DECLARED.computeIfAbsent(type, JdkMembers::methods).get(name + descriptor));
    }

    /** Every method visible from {@code type}, by name and descriptor, to the nearest declaring type. */
    private static Map<String, String> methods(String type) {
        Map<String, String> methods = new HashMap<>();
        Optional<Class<?>> start = load(type);
        if (start.isEmpty()) {
            return methods;
        }
        Deque<Class<?>> pending = new ArrayDeque<>();
        pending.add(start.get());
        Set<Class<?>> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            Class<?> next = pending.pop();
            if (!seen.add(next)) {
                continue;
            }
            for (Method method : next.getDeclaredMethods()) {
                methods.putIfAbsent(method.getName() + Type.getMethodDescriptor(method), Type.getInternalName(next));
            }
            if (next.getSuperclass() != null) {
                pending.add(next.getSuperclass());
            }
            pending.addAll(java.util.List.of(next.getInterfaces()));
        }
        return methods;
    }

    private static Optional<Class<?>> load(String type) {
        String binary = type.replace('/', '.');
        ClassLoader loader = type.startsWith("dev/nexus/") || type.startsWith("org/pf4j/")
                ? JdkMembers.class.getClassLoader()
                : ClassLoader.getPlatformClassLoader();
        try {
            return Optional.of(Class.forName(binary, false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }
}
