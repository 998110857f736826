package dev.nexus.host.sandbox;

import dev.nexus.host.sandbox.ClassReferences.Reference;
import dev.nexus.host.sandbox.ExternalSymbol.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
    /** Distinct external symbols a jar may use: more is a report bomb, never a real fitness function. */
    static final int MAX_SYMBOLS = 5_000;
    /** Distinct references (own and external) a jar may hold: far above real plugins, far below a scan-cost bomb. */
    static final int MAX_REFERENCES = 100_000;
    /** The longest owner, name or descriptor a symbol may have, in characters. */
    static final int MAX_NAME_CHARS = 1_000;

    private static final String FITNESS_FUNCTION = "dev/nexus/api/evolution/FitnessFunction";
    private static final int MAX_CLASS_VERSION = 44 + Runtime.version().feature();

    /**
     * Scans {@code jar}, whose file name is {@code fileName}. Never throws for hostile input: it refuses.
     * Stops with {@link Interrupted} when its thread is interrupted (the admission desk's time budget).
     */
    AdmissionReport scan(String fileName, byte[] jar) {
        String sha256 = JarContents.sha256(jar);
        List<String> problems = new ArrayList<>();
        JarContents contents;
        try {
            contents = JarContents.read(jar);
        } catch (JarContents.Unreadable e) {
            problems.add(e.getMessage());
            return AdmissionReport.of(
                    fileName, sha256, jar.length, Optional.empty(), Optional.empty(), List.of(), List.of(), problems);
        }
        Optional<String> fitnessClass = contents.manifestAttribute(JarContents.FITNESS_CLASS);
        Optional<String> version = contents.manifestAttribute("Implementation-Version");
        List<ClassReferences> all = new ArrayList<>();
        Map<String, ClassReferences> classes = readClasses(contents, problems, all);
        List<ExternalSymbol> symbols = new Judge(classes).judge(all, problems);
        checkFitnessClass(fitnessClass, classes, problems);
        return AdmissionReport.of(
                fileName, sha256, jar.length, fitnessClass, version, List.copyOf(classes.keySet()), symbols, problems);
    }

    /** Reads every class entry into {@code all}; returns the loadable ones (canonical entry paths) by name. */
    private static Map<String, ClassReferences> readClasses(
            JarContents contents, List<String> problems, List<ClassReferences> all) {
        Map<String, ClassReferences> classes = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, byte[]> entry : contents.entries().entrySet()) {
            checkBudget();
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
            } catch (Interrupted e) {
                throw e;
            } catch (RuntimeException e) {
                problems.add("entry " + JarContents.cap(path) + " is not a readable class file ("
                        + JarContents.cap(String.valueOf(e), 200) + ")");
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
                problems.add("class " + JarContents.cap(name) + " has class file version "
                        + (references.version & 0xFFFF) + ", newer than this JVM runs; compile with --release 21");
            }
            problems.addAll(references.problems);
            all.add(references);
            total += references.references.size();
            if (total > MAX_REFERENCES) {
                problems.add("the jar holds more than " + MAX_REFERENCES + " distinct references; a fitness function "
                        + "needs far fewer (scan-cost bomb)");
                all.clear();
                break;
            }
            if (path.equals(name + ".class")) {
                classes.put(name, references);
            }
        }
        if (classes.isEmpty() && problems.isEmpty()) {
            problems.add("the jar holds no classes");
        }
        return classes;
    }

    /** The scan's time budget ran out: the admission desk interrupted the scanning thread. */
    static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("the scan was stopped: it went over its time budget");
        }
    }

    /** Throws {@link Interrupted} when the scanning thread was interrupted. */
    static void checkBudget() {
        if (Thread.currentThread().isInterrupted()) {
            throw new Interrupted();
        }
    }

    /**
     * Judges the references of one jar. A member used through one of the jar's own types is resolved
     * through the class hierarchy to the JDK or API member that can run: the jar type's own supertypes
     * and those of every jar type below it (a call through a jar interface may land in a JDK method its
     * implementing class inherits), so redeclaring {@code parallelStream()} on a plugin interface still
     * shows, and is judged as, {@code java/util/Collection.parallelStream()}. Confined to one scan.
     */
    private static final class Judge {
        private final Map<String, ClassReferences> classes;
        private final Map<Reference, List<ExternalSymbol>> judged = new HashMap<>();
        private final Map<String, Set<String>> externalAncestors = new HashMap<>();
        private final Map<String, List<String>> subtypes = new HashMap<>();
        private final Map<String, Set<String>> cones = new HashMap<>();

        Judge(Map<String, ClassReferences> classes) {
            this.classes = classes;
            for (ClassReferences type : classes.values()) {
                if (!type.superName.isEmpty()) {
                    subtypes.computeIfAbsent(type.superName, k -> new ArrayList<>())
                            .add(type.name);
                }
                for (String parent : type.interfaces) {
                    subtypes.computeIfAbsent(parent, k -> new ArrayList<>()).add(type.name);
                }
            }
        }

        List<ExternalSymbol> judge(List<ClassReferences> all, List<String> problems) {
            Map<Reference, ExternalSymbol> symbols = new LinkedHashMap<>();
            for (ClassReferences type : all) {
                for (String mate : type.mates) {
                    if (!classes.containsKey(mate)) {
                        problems.add("class " + JarContents.cap(type.name) + " names nest mate or permitted subclass "
                                + JarContents.cap(mate) + " outside the jar");
                    }
                }
                for (Reference reference : type.references) {
                    checkBudget();
                    if (tooLong(reference)) {
                        problems.add("class " + JarContents.cap(type.name) + " names a symbol longer than "
                                + MAX_NAME_CHARS + " characters (" + JarContents.cap(reference.owner()) + ")");
                        return List.of();
                    }
                    for (ExternalSymbol symbol : judged.computeIfAbsent(reference, this::judge)) {
                        symbols.putIfAbsent(
                                new Reference(symbol.kind(), symbol.owner(), symbol.name(), symbol.descriptor()),
                                symbol);
                    }
                    if (symbols.size() > MAX_SYMBOLS) {
                        problems.add("the jar uses more than " + MAX_SYMBOLS + " distinct external symbols; a fitness "
                                + "function needs far fewer (report bomb)");
                        return List.of();
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

        private static boolean tooLong(Reference ref) {
            return ref.owner().length() > MAX_NAME_CHARS
                    || ref.name().length() > MAX_NAME_CHARS
                    || ref.descriptor().length() > MAX_NAME_CHARS;
        }

        private List<ExternalSymbol> judge(Reference ref) {
            boolean internal = classes.containsKey(ref.owner());
            return switch (ref.kind()) {
                case TYPE -> internal ? List.of() : List.of(symbol(ref, Allowlist.type(ref.owner())));
                case ANNOTATION ->
                    internal
                            ? List.of()
                            : List.of(symbol(
                                    ref,
                                    Allowlist.Decision.allow(
                                            "annotations are inert: reading them needs reflection, which is denied")));
                case BOOTSTRAP -> List.of(symbol(ref, Allowlist.bootstrap(ref.owner(), ref.name(), ref.descriptor())));
                case METHOD_HANDLE_CONSTANT ->
                    List.of(
                            symbol(
                                    ref,
                                    Allowlist.Decision.deny(
                                            "method handle constants reach any method directly; javac does not emit them for plugin code")));
                case METHOD_TYPE_CONSTANT ->
                    List.of(symbol(ref, Allowlist.Decision.deny("method type constants only serve method handles")));
                case CONSTANT_DYNAMIC ->
                    List.of(symbol(ref, Allowlist.Decision.deny("dynamic constants run arbitrary bootstrap code")));
                case FIELD -> {
                    if (internal) {
                        yield inheritedField(ref);
                    }
                    yield external(ref);
                }
                case METHOD -> {
                    if (internal) {
                        yield resolvedMethod(ref);
                    }
                    yield external(ref);
                }
            };
        }

        private List<ExternalSymbol> external(Reference ref) {
            String element = ref.owner().replaceFirst("^\\[+L(.*);$", "$1");
            if (classes.containsKey(element)) {
                return List.of(); // clone() or an Object method of an array of the jar's own classes
            }
            return List.of(symbol(ref, Allowlist.member(ref.owner(), ref.name(), ref.descriptor())));
        }

        /**
         * A method used through a jar type: every JDK or API member with this name and descriptor that a
         * call could reach, judged (a denial of the member on the type the jar extends also counts).
         */
        private List<ExternalSymbol> resolvedMethod(Reference ref) {
            if (ref.name().equals("<init>") || ref.name().equals("<clinit>")) {
                return List.of(); // constructors are not inherited; super() calls are references of their own
            }
            Map<String, ExternalSymbol> found = new LinkedHashMap<>();
            for (String ancestor : cones.computeIfAbsent(ref.owner(), this::cone)) {
                Allowlist.Decision ofAncestor = Allowlist.member(ancestor, ref.name(), ref.descriptor());
                Optional<String> declaring = JdkMembers.declaring(ancestor, ref.name(), ref.descriptor());
                if (declaring.isEmpty() && ofAncestor.allowed()) {
                    continue; // no such JDK member: the call can only land in the jar's own code
                }
                String owner =
                        declaring.filter(d -> Allowlist.type(d).allowed()).orElse(ancestor);
                Allowlist.Decision ofOwner = Allowlist.member(owner, ref.name(), ref.descriptor());
                Allowlist.Decision decision = !ofAncestor.allowed() ? ofAncestor : ofOwner;
                ExternalSymbol symbol = new ExternalSymbol(
                        Kind.METHOD,
                        owner,
                        ref.name(),
                        ref.descriptor(),
                        decision.allowed(),
                        decision.reason() + " (reached through " + ref.owner() + ")");
                found.merge(owner, symbol, (a, b) -> a.allowed() ? b : a);
            }
            return List.copyOf(found.values());
        }

        /** The JDK and API types above {@code owner} or above any jar type below it: where a call can land. */
        private Set<String> cone(String owner) {
            Set<String> reachable = new LinkedHashSet<>(externalAncestors(owner));
            Deque<String> below = new ArrayDeque<>(subtypes.getOrDefault(owner, List.of()));
            Set<String> seen = new HashSet<>();
            while (!below.isEmpty()) {
                checkBudget();
                String sub = below.pop();
                if (seen.add(sub)) {
                    reachable.addAll(externalAncestors(sub));
                    below.addAll(subtypes.getOrDefault(sub, List.of()));
                }
            }
            return reachable;
        }

        /** The JDK and API types above {@code name} (a jar type), memoised. */
        private Set<String> externalAncestors(String name) {
            Set<String> known = externalAncestors.get(name);
            if (known == null) {
                known = walkUp(name, type -> false).orElseThrow();
                externalAncestors.put(name, known);
            }
            return known;
        }

        /**
         * Walks up from jar type {@code start} through superclasses and interfaces; returns the JDK and API
         * types reached, or empty as soon as a jar type satisfies {@code stop}.
         */
        private Optional<Set<String>> walkUp(String start, java.util.function.Predicate<ClassReferences> stop) {
            Set<String> external = new LinkedHashSet<>();
            Deque<String> pending = new ArrayDeque<>(List.of(start));
            Set<String> seen = new HashSet<>();
            while (!pending.isEmpty()) {
                checkBudget();
                String next = pending.pop();
                if (!seen.add(next)) {
                    continue;
                }
                ClassReferences type = classes.get(next);
                if (type == null) {
                    external.add(next);
                    continue;
                }
                if (stop.test(type)) {
                    return Optional.empty();
                }
                if (!type.superName.isEmpty()) {
                    pending.add(type.superName);
                }
                pending.addAll(type.interfaces);
            }
            return Optional.of(external);
        }

        /**
         * A field used through a jar type: nothing when the jar declares it, otherwise judged against every
         * JDK or API supertype it could be inherited from (any denial wins).
         */
        private List<ExternalSymbol> inheritedField(Reference ref) {
            String member = ref.name() + " " + ref.descriptor();
            Optional<Set<String>> reached = walkUp(ref.owner(), type -> type.fields.contains(member));
            if (reached.isEmpty()) {
                return List.of(); // the jar declares it
            }
            List<String> external = List.copyOf(reached.get());
            List<ExternalSymbol> denied = new ArrayList<>();
            for (String owner : external) {
                Allowlist.Decision decision = Allowlist.member(owner, ref.name(), ref.descriptor());
                if (!decision.allowed()) {
                    denied.add(new ExternalSymbol(
                            ref.kind(),
                            owner,
                            ref.name(),
                            ref.descriptor(),
                            false,
                            decision.reason() + " (used through " + ref.owner() + ")"));
                }
            }
            if (!denied.isEmpty() || external.isEmpty()) {
                return denied;
            }
            return List.of(new ExternalSymbol(
                    ref.kind(),
                    external.getFirst(),
                    ref.name(),
                    ref.descriptor(),
                    true,
                    "inherited through " + ref.owner() + "; in the sandbox allowlist"));
        }
    }

    private static void checkFitnessClass(
            Optional<String> declared, Map<String, ClassReferences> classes, List<String> problems) {
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
            problems.add(JarContents.FITNESS_CLASS + " " + binary + " does not implement "
                    + FITNESS_FUNCTION.replace('/', '.'));
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
        return new ExternalSymbol(
                ref.kind(), ref.owner(), ref.name(), ref.descriptor(), decision.allowed(), decision.reason());
    }
}
