package dev.nexus.host.sandbox;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox policy: which JDK and API types, members and bootstrap methods third-party fitness
 * code may use. An allowlist: anything not named here is denied. Used by the admission scan in the
 * host and by the filtering class loader inside the child JVM, so it depends on the JDK only (no ASM).
 * Names are JVM internal names ({@code java/lang/String}). Immutable and thread-safe.
 */
final class Allowlist {

    /** Bumped whenever the policy changes, so reports say which policy judged them. */
    static final int VERSION = 2;

    /** The answer for one type, member or bootstrap method. */
    record Decision(boolean allowed, String reason) {
        static Decision allow(String reason) {
            return new Decision(true, reason);
        }

        static Decision deny(String reason) {
            return new Decision(false, reason);
        }
    }

    private enum Members {
        ALL_EXCEPT,
        ONLY
    }

    /** A type's member policy: every member except {@code names}, or only {@code names}. */
    private record Rule(Members members, Set<String> names, String deniedBecause) {}

    private static final String AMBIENT_RANDOMNESS =
            "ambient randomness: use new java.util.Random(seed) or new java.util.SplittableRandom(seed) seeded with FitnessRequest.seed()";
    private static final String PROPERTIES = "reads system properties";
    private static final String REFLECTION = "reflection and class loading";

    private static final Map<String, Rule> TYPES = new HashMap<>();
    private static final List<String> OPEN_PACKAGES = List.of(
            "java/util/function/", "java/util/stream/", "java/util/regex/", "java/math/", "dev/nexus/api/evolution/");

    static {
        for (String type : List.of(
                "java/lang/Object",
                "java/lang/String",
                "java/lang/StringBuilder",
                "java/lang/StringBuffer",
                "java/lang/CharSequence",
                "java/lang/Comparable",
                "java/lang/Iterable",
                "java/lang/AutoCloseable",
                "java/lang/Cloneable",
                "java/lang/Runnable",
                "java/lang/Appendable",
                "java/lang/Number",
                "java/lang/Short",
                "java/lang/Byte",
                "java/lang/Character",
                "java/lang/Float",
                "java/lang/Double",
                "java/lang/Void",
                "java/lang/Enum",
                "java/lang/Record",
                "java/lang/Override",
                "java/lang/Deprecated",
                "java/lang/FunctionalInterface",
                "java/lang/SafeVarargs",
                "java/lang/SuppressWarnings",
                "java/util/ArrayList",
                "java/util/LinkedList",
                "java/util/HashMap",
                "java/util/LinkedHashMap",
                "java/util/TreeMap",
                "java/util/HashSet",
                "java/util/LinkedHashSet",
                "java/util/TreeSet",
                "java/util/ArrayDeque",
                "java/util/PriorityQueue",
                "java/util/EnumMap",
                "java/util/EnumSet",
                "java/util/BitSet",
                "java/util/List",
                "java/util/Map",
                "java/util/Map$Entry",
                "java/util/Set",
                "java/util/SortedMap",
                "java/util/SortedSet",
                "java/util/NavigableMap",
                "java/util/NavigableSet",
                "java/util/SequencedCollection",
                "java/util/SequencedMap",
                "java/util/SequencedSet",
                "java/util/Collection",
                "java/util/Deque",
                "java/util/Queue",
                "java/util/Iterator",
                "java/util/ListIterator",
                "java/util/Comparator",
                "java/util/Objects",
                "java/util/Optional",
                "java/util/OptionalInt",
                "java/util/OptionalLong",
                "java/util/OptionalDouble",
                "java/util/StringJoiner",
                "java/util/AbstractList",
                "java/util/AbstractMap",
                "java/util/AbstractMap$SimpleEntry",
                "java/util/AbstractMap$SimpleImmutableEntry",
                "java/util/AbstractSet",
                "java/util/AbstractCollection",
                "java/util/AbstractQueue",
                "java/util/AbstractSequentialList",
                "java/util/RandomAccess",
                "java/util/DoubleSummaryStatistics",
                "java/util/IntSummaryStatistics",
                "java/util/LongSummaryStatistics",
                "java/util/Spliterator",
                "java/util/Spliterator$OfInt",
                "java/util/Spliterator$OfLong",
                "java/util/Spliterator$OfDouble",
                "java/util/Spliterators",
                "java/util/PrimitiveIterator",
                "java/util/PrimitiveIterator$OfInt",
                "java/util/PrimitiveIterator$OfLong",
                "java/util/PrimitiveIterator$OfDouble",
                "java/util/HexFormat",
                "java/util/Base64",
                "java/util/Base64$Encoder",
                "java/util/Base64$Decoder",
                "org/pf4j/ExtensionPoint")) {
            TYPES.put(type, new Rule(Members.ALL_EXCEPT, Set.of(), ""));
        }
        TYPES.put("java/lang/Math", new Rule(Members.ALL_EXCEPT, Set.of("random"), AMBIENT_RANDOMNESS));
        TYPES.put("java/lang/StrictMath", new Rule(Members.ALL_EXCEPT, Set.of("random"), AMBIENT_RANDOMNESS));
        TYPES.put("java/lang/Integer", new Rule(Members.ALL_EXCEPT, Set.of("getInteger"), PROPERTIES));
        TYPES.put("java/lang/Long", new Rule(Members.ALL_EXCEPT, Set.of("getLong"), PROPERTIES));
        TYPES.put("java/lang/Boolean", new Rule(Members.ALL_EXCEPT, Set.of("getBoolean"), PROPERTIES));
        // Every allowed throwable, so that e.printStackTrace() on a RuntimeException is denied like on a Throwable.
        Rule throwable = new Rule(
                Members.ALL_EXCEPT,
                Set.of("printStackTrace", "setStackTrace"),
                "writes to standard error or forges stack traces");
        for (String type : List.of(
                "java/lang/Throwable",
                "java/lang/Exception",
                "java/lang/RuntimeException",
                "java/lang/Error",
                "java/lang/IllegalArgumentException",
                "java/lang/IllegalStateException",
                "java/lang/ArithmeticException",
                "java/lang/IndexOutOfBoundsException",
                "java/lang/ArrayIndexOutOfBoundsException",
                "java/lang/StringIndexOutOfBoundsException",
                "java/lang/NullPointerException",
                "java/lang/UnsupportedOperationException",
                "java/lang/ClassCastException",
                "java/lang/NumberFormatException",
                "java/lang/NegativeArraySizeException",
                "java/lang/ArrayStoreException",
                "java/lang/CloneNotSupportedException",
                "java/lang/AssertionError",
                "java/lang/MatchException",
                "java/lang/IncompatibleClassChangeError",
                "java/lang/NoSuchFieldError",
                "java/util/NoSuchElementException",
                "java/util/ConcurrentModificationException",
                "java/util/regex/PatternSyntaxException")) {
            TYPES.put(type, throwable);
        }
        TYPES.put(
                "java/lang/Class",
                new Rule(
                        Members.ONLY,
                        Set.of(
                                "desiredAssertionStatus",
                                "getName",
                                "getSimpleName",
                                "getTypeName",
                                "isInstance",
                                "cast",
                                "hashCode",
                                "equals",
                                "toString"),
                        REFLECTION));
        TYPES.put(
                "java/lang/System",
                new Rule(
                        Members.ONLY,
                        Set.of("arraycopy"),
                        "System: exit, environment, properties, clocks, identity hashes and standard streams"));
        TYPES.put(
                "java/util/Collections",
                new Rule(Members.ALL_EXCEPT, Set.of("shuffle (Ljava/util/List;)V"), AMBIENT_RANDOMNESS));
        TYPES.put("java/util/Arrays", new Rule(Members.ALL_EXCEPT, Set.of(), ""));
        TYPES.put("java/util/Random", new Rule(Members.ALL_EXCEPT, Set.of("<init> ()V"), AMBIENT_RANDOMNESS));
        TYPES.put("java/util/SplittableRandom", new Rule(Members.ALL_EXCEPT, Set.of("<init> ()V"), AMBIENT_RANDOMNESS));
        // Policy 2: Gatherers.mapConcurrent runs each element on its own virtual thread.
        TYPES.put(
                "java/util/stream/Gatherers",
                new Rule(Members.ALL_EXCEPT, Set.of("mapConcurrent"), "runs work concurrently on virtual threads"));
        for (String generator : List.of(
                "RandomGenerator",
                "RandomGenerator$SplittableGenerator",
                "RandomGenerator$JumpableGenerator",
                "RandomGenerator$LeapableGenerator",
                "RandomGenerator$ArbitrarilyJumpableGenerator",
                "RandomGenerator$StreamableGenerator")) {
            TYPES.put(
                    "java/util/random/" + generator,
                    new Rule(Members.ALL_EXCEPT, Set.of("of", "getDefault"), AMBIENT_RANDOMNESS));
        }
    }

    /** The only bootstrap methods javac emits for ordinary code: lambdas, string concatenation, records, switches. */
    private static final Set<String> BOOTSTRAPS = Set.of(
            "java/lang/invoke/LambdaMetafactory.metafactory(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
                    + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;"
                    + "Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;",
            "java/lang/invoke/LambdaMetafactory.altMetafactory(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
                    + "Ljava/lang/invoke/MethodType;[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;",
            "java/lang/invoke/StringConcatFactory.makeConcatWithConstants(Ljava/lang/invoke/MethodHandles$Lookup;"
                    + "Ljava/lang/String;Ljava/lang/invoke/MethodType;Ljava/lang/String;[Ljava/lang/Object;)"
                    + "Ljava/lang/invoke/CallSite;",
            "java/lang/invoke/StringConcatFactory.makeConcat(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
                    + "Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;",
            "java/lang/runtime/ObjectMethods.bootstrap(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
                    + "Ljava/lang/invoke/TypeDescriptor;Ljava/lang/Class;Ljava/lang/String;[Ljava/lang/invoke/MethodHandle;)"
                    + "Ljava/lang/Object;",
            "java/lang/runtime/SwitchBootstraps.typeSwitch(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
                    + "Ljava/lang/invoke/MethodType;[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;",
            "java/lang/runtime/SwitchBootstraps.enumSwitch(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
                    + "Ljava/lang/invoke/MethodType;[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;");

    /**
     * Types the JVM itself resolves through the plugin's class loader to link the allowed bootstrap
     * methods. The child's loader must serve them, but plugin code may not name them: the scan denies them.
     */
    private static final Set<String> BOOTSTRAP_SUPPORT = Set.of(
            "java/lang/invoke/LambdaMetafactory",
            "java/lang/invoke/StringConcatFactory",
            "java/lang/runtime/ObjectMethods",
            "java/lang/runtime/SwitchBootstraps",
            "java/lang/invoke/MethodHandles$Lookup",
            "java/lang/invoke/MethodType",
            "java/lang/invoke/MethodHandle",
            "java/lang/invoke/CallSite",
            "java/lang/invoke/TypeDescriptor",
            "java/lang/invoke/LambdaForm$Hidden",
            "java/lang/invoke/LambdaForm$Compiled",
            "jdk/internal/vm/annotation/Hidden");

    /** Why whole families of types are not allowed, checked in order; the first matching prefix wins. */
    private static final List<String[]> DENIED_FAMILIES = List.of(
            new String[] {"java/io/Serializable", "serialization"},
            new String[] {"java/io/Externalizable", "serialization"},
            new String[] {"java/io/Object", "serialization"},
            new String[] {"java/io/", "file and stream I/O"},
            new String[] {"java/nio/", "file and stream I/O (NIO)"},
            new String[] {"java/net/", "network"},
            new String[] {"javax/net/", "network"},
            new String[] {"jdk/net/", "network"},
            new String[] {"java/lang/reflect/", "reflection"},
            new String[] {
                "java/lang/invoke/", "method handles and dynamic linking beyond lambdas and string concatenation"
            },
            new String[] {"java/lang/Thread", "threads"},
            new String[] {"java/lang/ScopedValue", "threads"},
            new String[] {"java/lang/InheritableThreadLocal", "threads"},
            new String[] {"java/lang/VirtualThread", "threads"},
            new String[] {"java/util/concurrent/", "threads and executors"},
            new String[] {"java/util/Timer", "threads"},
            new String[] {"java/lang/Process", "processes"},
            new String[] {"java/lang/Runtime", "Runtime: exit, exec, memory and shutdown hooks"},
            new String[] {"java/lang/ClassLoader", "class loading"},
            new String[] {"java/lang/Module", "class loading"},
            new String[] {"java/lang/ClassValue", "class loading"},
            new String[] {"java/util/ServiceLoader", "class loading"},
            new String[] {"java/lang/System", "System: exit, environment, properties, clocks and standard streams"},
            new String[] {"java/time/", "clocks: use the evidence in the request, not the time"},
            new String[] {"java/util/Date", "clocks"},
            new String[] {"java/util/Calendar", "clocks"},
            new String[] {"java/util/GregorianCalendar", "clocks"},
            new String[] {"java/util/TimeZone", "clocks"},
            new String[] {"java/util/UUID", "ambient randomness (random UUIDs)"},
            // Policy 2: by algorithm name a generator may ignore the seed ("SecureRandom"), so a run would not replay.
            new String[] {
                "java/util/random/RandomGeneratorFactory",
                "randomness chosen by name may ignore the seed "
                        + "(SecureRandom); use new java.util.SplittableRandom(request.seed()) or new java.util.Random(request.seed())"
            },
            new String[] {"java/security/", "security and cryptography (including SecureRandom)"},
            new String[] {"javax/crypto/", "security and cryptography"},
            new String[] {"java/lang/ref/", "references and cleaners run code on garbage-collector threads"},
            new String[] {"java/lang/management/", "JVM management"},
            new String[] {"javax/management/", "JVM management"},
            new String[] {"java/lang/StackWalker", "stack inspection"},
            new String[] {"java/lang/SecurityManager", "security manager"},
            new String[] {"java/util/logging/", "logging writes files and streams"},
            new String[] {"java/util/prefs/", "preferences are stored in files"},
            new String[] {"java/util/jar/", "archives (file I/O)"},
            new String[] {"java/util/zip/", "archives (file I/O)"},
            new String[] {"java/util/Scanner", "file and stream I/O"},
            new String[] {"java/util/Formatter", "file and stream I/O"},
            new String[] {"java/util/Properties", "file and stream I/O"},
            new String[] {"java/util/ResourceBundle", "class loading and resources"},
            new String[] {"java/sql/", "databases"},
            new String[] {"javax/sql/", "databases"},
            new String[] {"sun/misc/Unsafe", "Unsafe: raw memory access"},
            new String[] {"sun/", "JDK internals"},
            new String[] {"jdk/internal/", "JDK internals (Unsafe)"},
            new String[] {"com/sun/", "JDK internals"},
            new String[] {"java/awt/", "user interface"},
            new String[] {"javax/swing/", "user interface"});

    private Allowlist() {}

    /** Decides whether plugin code may name {@code type} at all (instantiate, cast, extend, pass around). */
    static Decision type(String type) {
        String element = elementType(type);
        if (element.isEmpty()) {
            return Decision.allow("primitive array");
        }
        if (TYPES.containsKey(element)) {
            return Decision.allow("in the sandbox allowlist");
        }
        for (String open : OPEN_PACKAGES) {
            if (element.startsWith(open) && element.indexOf('/', open.length()) < 0) {
                return element.equals("java/util/stream/StreamSupport")
                        ? Decision.deny("parallel execution starts threads (common fork-join pool)")
                        : Decision.allow("package "
                                + open.substring(0, open.length() - 1).replace('/', '.')
                                + " is in the sandbox allowlist");
            }
        }
        for (String[] family : DENIED_FAMILIES) {
            if (element.startsWith(family[0])) {
                return Decision.deny(family[1]);
            }
        }
        return Decision.deny("not in the sandbox allowlist");
    }

    /** Decides whether plugin code may use method or field {@code name} with {@code descriptor} of {@code owner}. */
    static Decision member(String owner, String name, String descriptor) {
        Decision ofType = type(owner);
        if (!ofType.allowed()) {
            return ofType;
        }
        if (owner.startsWith("[")) {
            return Decision.allow("array member");
        }
        if (name.startsWith("parallel")) {
            return Decision.deny("parallel execution starts threads (common fork-join pool)");
        }
        Rule rule = TYPES.get(owner);
        if (rule == null) {
            return Decision.allow("in an allowlisted package");
        }
        boolean named = rule.names().contains(name) || rule.names().contains(name + " " + descriptor);
        boolean allowed = rule.members() == Members.ONLY ? named : !named;
        return allowed ? Decision.allow("in the sandbox allowlist") : Decision.deny(rule.deniedBecause());
    }

    /** Decides whether an invokedynamic call site may use this bootstrap method. */
    static Decision bootstrap(String owner, String name, String descriptor) {
        return BOOTSTRAPS.contains(owner + "." + name + descriptor)
                ? Decision.allow("bootstrap javac emits for lambdas, string concatenation, records or switches")
                : Decision.deny("arbitrary bootstrap methods link calls the scan cannot see");
    }

    /** Tells the child's class loader whether plugin classes may resolve the JDK type with this binary name. */
    static boolean loadable(String binaryName) {
        String internal = binaryName.replace('.', '/');
        return type(internal).allowed() || BOOTSTRAP_SUPPORT.contains(internal);
    }

    /** Returns the element type of an internal name or array descriptor, or "" for primitive arrays. */
    private static String elementType(String type) {
        if (!type.startsWith("[")) {
            return type;
        }
        String element = type.substring(type.lastIndexOf('[') + 1);
        return element.startsWith("L") && element.endsWith(";") ? element.substring(1, element.length() - 1) : "";
    }
}
