package dev.nexus.host.sandbox;

import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

/**
 * The class loader of one sandboxed plugin, inside the child JVM. It defines the plugin's classes from
 * the admitted jar's bytes and lets them resolve only {@link Allowlist}-ed JDK types, the fitness API
 * ({@code dev.nexus.api.evolution}) and {@code org.pf4j.ExtensionPoint}; everything else, including
 * the child's own classes, is a {@link ClassNotFoundException}. It serves no resources. This is
 * defence in depth behind the admission scan: it cannot stop calls to denied members of allowed types
 * (the scan does), but it stops whole denied families (files, network, threads, reflection) even
 * for bytecode the scan never saw. Runs in the child only; thread-safe (parallel capable is not needed).
 */
final class PluginLoader extends ClassLoader {

    private static final String API_PACKAGE = "dev.nexus.api.evolution.";
    private static final String EXTENSION_POINT = "org.pf4j.ExtensionPoint";

    private final Map<String, byte[]> classes;
    private final ClassLoader api;

    /**
     * @param classes class bytes by binary name ({@code a.b.C})
     * @param api the loader of the child's own class path, which holds the fitness API
     */
    PluginLoader(Map<String, byte[]> classes, ClassLoader api) {
        super("nexus-sandbox-plugin", null);
        this.classes = Map.copyOf(classes);
        this.api = api;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = find(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private Class<?> find(String name) throws ClassNotFoundException {
        if (name.equals(EXTENSION_POINT)
                || (name.startsWith(API_PACKAGE) && name.indexOf('.', API_PACKAGE.length()) < 0)) {
            return api.loadClass(name);
        }
        if (protectedPackage(name)) {
            if (Allowlist.loadable(name)) {
                return ClassLoader.getPlatformClassLoader().loadClass(name);
            }
            throw new ClassNotFoundException(name + " is not available in the Nexus sandbox (not in the allowlist)");
        }
        byte[] bytes = classes.get(name);
        if (bytes == null) {
            throw new ClassNotFoundException(name + " is neither in the plugin jar nor in the sandbox allowlist");
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    /**
     * Packages a plugin may never define classes in: the JDK's, PF4J's and Nexus's own (the API and the
     * host), except {@code dev.nexus.plugin.*}, where first-party plugins live.
     */
    static boolean protectedPackage(String binaryName) {
        if (binaryName.startsWith("dev.nexus.plugin.")) {
            return false;
        }
        for (String prefix : new String[] {"java.", "javax.", "jdk.", "sun.", "com.sun.", "dev.nexus.", "org.pf4j."}) {
            if (binaryName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public URL getResource(String name) {
        return null;
    }

    @Override
    public Enumeration<URL> getResources(String name) {
        return Collections.emptyEnumeration();
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        return null;
    }
}
