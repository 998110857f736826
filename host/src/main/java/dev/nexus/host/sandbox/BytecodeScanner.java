package dev.nexus.host.sandbox;

import dev.nexus.host.sandbox.ClassReferences.Reference;
import dev.nexus.host.sandbox.ExternalSymbol.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.objectweb.asm.Opcodes;

/**
 * Admission: scans every class file of a jar with ASM against the {@link Allowlist} and reports every
 * external symbol with its verdict. The jar is only read as bytes, never loaded. A member used through
 * one of the jar's own classes (say {@code MyList.parallelStream()}) is judged against the JDK
 * supertypes it would be inherited from, so subclassing cannot launder a denied member. Stateless and
 * thread-safe.
 */
final class BytecodeScanner {

    private static final int MAX_CLASSES = 2_000;
    private static final String FITNESS_FUNCTION = "dev/nexus/api/evolution/FitnessFunction";
    private static final int MAX_CLASS_VERSION = 44 + Runtime.version().feature();

    /** Scans {@code jar}, whose file name is {@code fileName}. Never throws for hostile input: it refuses. */
    AdmissionReport scan(String fileName, byte[] jar) {
        String sha256 = JarContents.sha256(jar);
        List<String> problems = new ArrayList<>();
        JarContents contents;
        try {
            contents = JarContents.read(jar);
        } catch (JarContents.Unreadable e) {
            problems.add(e.getMessage());
            return AdmissionReport.of(fileName, sha256, jar.length, Optional.empty(), Optional.empty(), List.of(),
                    List.of(), problems);
        }
        Optional<String> fitnessClass = contents.manifestAttribute(JarContents.FITNESS_CLASS);
        Optional<String> version = contents.manifestAttribute("Implementation-Version");
        List<ClassReferences> all = new ArrayList<>();
        Map<String, ClassReferences> classes = readClasses(contents, problems, all);
        List<ExternalSymbol> symbols = judge(all, classes, problems);
        checkFitnessClass(fitnessClass, classes, problems);
        return AdmissionReport.of(fileName, sha256, jar.length, fitnessClass, version,
                List.copyOf(classes.keySet()), symbols, problems);
    }

    /** Reads every class entry into {@code all}; returns the loadable ones (canonical entry paths) by name. */
    private static Map<String, ClassReferences> readClasses(JarContents contents, List<String> problems,
            List<ClassReferences> all) {
        Map<String, ClassReferences> classes = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> entry : contents.entries().entrySet()) {
            String path = entry.getKey();
            if (!path.endsWith(".class")) {
                continue;
            }
            if (classes.size() >= MAX_CLASSES) {
                problems.add("the jar has more than " + MAX_CLASSES + " classes");
                break;
            }
            ClassReferences references;
            try {
                references = ClassReferences.of(entry.getValue());
            } catch (RuntimeException e) {
                problems.add("entry " + JarContents.cap(path) + " is not a readable class file (" + e + ")");
                continue;
            }
            String name = references.name;
            if (path.startsWith("META-INF/")) {
                problems.add("entry " + JarContents.cap(path) + ": classes under META-INF (multi-release or hidden) "
                        + "are not supported; build a plain jar");
            } else if (!path.equals(name + ".class")) {
                problems.add("entry " + JarContents.cap(path) + " holds class " + JarContents.cap(name)
                        + ": entry names must match class names");
            }
            if (PluginLoader.protectedPackage(name.replace('/', '.'))) {
                problems.add("class " + JarContents.cap(name) + " claims a protected package (JDK, Nexus or PF4J): "
                        + "plugin classes must live in the plugin's own package");
            }
            if ((references.version & 0xFFFF) > MAX_CLASS_VERSION) {
                problems.add("class " + name + " has class file version " + (references.version & 0xFFFF)
                        + ", newer than this JVM runs; compile with --release 21");
            }
            problems.addAll(references.problems);
            all.add(references);
            if (path.equals(name + ".class")) {
                classes.put(name, references);
            }
        }
        if (classes.isEmpty() && problems.isEmpty()) {
            problems.add("the jar holds no classes");
        }
        return classes;
    }

    private static List<ExternalSymbol> judge(List<ClassReferences> all, Map<String, ClassReferences> classes,
            List<String> problems) {
        Map<Reference, ExternalSymbol> symbols = new LinkedHashMap<>();
        for (ClassReferences type : all) {
            for (String mate : type.mates) {
                if (!classes.containsKey(mate)) {
                    problems.add("class " + type.name + " names nest mate or permitted subclass "
                            + JarContents.cap(mate) + " outside the jar");
                }
            }
            for (Reference reference : type.references) {
                for (ExternalSymbol symbol : judge(reference, classes)) {
                    symbols.putIfAbsent(new Reference(symbol.kind(), symbol.owner(), symbol.name(), symbol.descriptor()),
                            symbol);
                }
            }
        }
        List<ExternalSymbol> sorted = new ArrayList<>(symbols.values());
        sorted.sort(Comparator.comparing(ExternalSymbol::allowed)
                .thenComparing(ExternalSymbol::owner)
                .thenComparing(ExternalSymbol::name)
                .thenComparing(ExternalSymbol::descriptor)
                .thenComparing(ExternalSymbol::kind));
        return sorted;
    }

    private static List<ExternalSymbol> judge(Reference ref, Map<String, ClassReferences> classes) {
        boolean internal = classes.containsKey(ref.owner());
        return switch (ref.kind()) {
            case TYPE -> internal ? List.of() : List.of(symbol(ref, Allowlist.type(ref.owner())));
            case ANNOTATION -> internal ? List.of() : List.of(symbol(ref, Allowlist.Decision.allow(
                    "annotations are inert: reading them needs reflection, which is denied")));
            case BOOTSTRAP -> List.of(symbol(ref, Allowlist.bootstrap(ref.owner(), ref.name(), ref.descriptor())));
            case METHOD_HANDLE_CONSTANT -> List.of(symbol(ref, Allowlist.Decision.deny(
                    "method handle constants reach any method directly; javac does not emit them for plugin code")));
            case METHOD_TYPE_CONSTANT -> List.of(symbol(ref, Allowlist.Decision.deny(
                    "method type constants only serve method handles")));
            case CONSTANT_DYNAMIC -> List.of(symbol(ref, Allowlist.Decision.deny(
                    "dynamic constants run arbitrary bootstrap code")));
            case METHOD, FIELD -> {
                if (internal) {
                    yield inherited(ref, classes);
                }
                String element = ref.owner().replaceFirst("^\\[+L(.*);$", "$1");
                if (classes.containsKey(element)) {
                    yield List.of(); // clone() or an Object method of an array of the jar's own classes
                }
                yield List.of(symbol(ref, Allowlist.member(ref.owner(), ref.name(), ref.descriptor())));
            }
        };
    }

    /**
     * Judges a member used through one of the jar's classes: nothing when the jar declares it, otherwise
     * against every JDK or API supertype it could be inherited from (any denial wins).
     */
    private static List<ExternalSymbol> inherited(Reference ref, Map<String, ClassReferences> classes) {
        boolean field = ref.kind() == Kind.FIELD;
        String member = field ? ref.name() + " " + ref.descriptor() : ref.name() + ref.descriptor();
        List<String> external = new ArrayList<>();
        Deque<String> pending = new ArrayDeque<>(List.of(ref.owner()));
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (!seen.add(name)) {
                continue;
            }
            ClassReferences type = classes.get(name);
            if (type == null) {
                external.add(name);
                continue;
            }
            if (field ? type.fields.contains(member) : type.methods.containsKey(member)) {
                return List.of();
            }
            if (!type.superName.isEmpty()) {
                pending.add(type.superName);
            }
            pending.addAll(type.interfaces);
        }
        List<ExternalSymbol> denied = new ArrayList<>();
        for (String owner : external) {
            Allowlist.Decision decision = Allowlist.member(owner, ref.name(), ref.descriptor());
            if (!decision.allowed()) {
                denied.add(new ExternalSymbol(ref.kind(), owner, ref.name(), ref.descriptor(), false,
                        decision.reason() + " (used through " + ref.owner() + ")"));
            }
        }
        if (!denied.isEmpty() || external.isEmpty()) {
            return denied;
        }
        return List.of(new ExternalSymbol(ref.kind(), external.getFirst(), ref.name(), ref.descriptor(), true,
                "inherited through " + ref.owner() + "; in the sandbox allowlist"));
    }

    private static void checkFitnessClass(Optional<String> declared, Map<String, ClassReferences> classes,
            List<String> problems) {
        if (declared.isEmpty()) {
            problems.add("the manifest has no " + JarContents.FITNESS_CLASS + " entry: add '"
                    + JarContents.FITNESS_CLASS + ": <your FitnessFunction class>' to META-INF/MANIFEST.MF");
            return;
        }
        String binary = declared.get();
        ClassReferences type = classes.get(binary.replace('.', '/'));
        if (type == null) {
            problems.add(JarContents.FITNESS_CLASS + " " + JarContents.cap(binary) + " is not a class in the jar");
            return;
        }
        int access = type.access;
        if ((access & Opcodes.ACC_PUBLIC) == 0 || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE)) != 0) {
            problems.add(JarContents.FITNESS_CLASS + " " + binary + " must be a public, concrete class");
        }
        Integer constructor = type.methods.get("<init>()V");
        if (constructor == null || (constructor & Opcodes.ACC_PUBLIC) == 0) {
            problems.add(JarContents.FITNESS_CLASS + " " + binary + " needs a public no-argument constructor");
        }
        if (!implementsFitness(type.name, classes)) {
            problems.add(JarContents.FITNESS_CLASS + " " + binary + " does not implement " + FITNESS_FUNCTION.replace('/', '.'));
        }
    }

    private static boolean implementsFitness(String name, Map<String, ClassReferences> classes) {
        Deque<String> pending = new ArrayDeque<>(List.of(name));
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            String next = pending.pop();
            if (next.equals(FITNESS_FUNCTION)) {
                return true;
            }
            ClassReferences type = classes.get(next);
            if (type != null && seen.add(next)) {
                if (!type.superName.isEmpty()) {
                    pending.add(type.superName);
                }
                pending.addAll(type.interfaces);
            }
        }
        return false;
    }

    private static ExternalSymbol symbol(Reference ref, Allowlist.Decision decision) {
        return new ExternalSymbol(ref.kind(), ref.owner(), ref.name(), ref.descriptor(), decision.allowed(),
                decision.reason());
    }
}
