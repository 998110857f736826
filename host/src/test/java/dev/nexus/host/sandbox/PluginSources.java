package dev.nexus.host.sandbox;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sources of test fitness plugins: one well-behaved plugin that uses everything javac emits for
 * ordinary code, and one hostile plugin per attack ({@code attack.<name>.Plugin}), each also callable
 * as {@code attack.<name>.Plugin.attack(arg)} so that the "chameleon" plugin can run any attack in one
 * child JVM. Compiled once per test JVM ({@link #classes()}).
 */
final class PluginSources {

    /** A plugin that scores each candidate 1 - mean(candidate), using lambdas, records, switches and seeded randomness. */
    static final String GOOD = """
            package good;

            import dev.nexus.api.evolution.FitnessFunction;
            import dev.nexus.api.evolution.FitnessRequest;
            import dev.nexus.api.evolution.FitnessResult;
            import java.util.ArrayList;
            import java.util.Arrays;
            import java.util.List;
            import java.util.Random;
            import java.util.function.ToDoubleFunction;

            public final class Good implements FitnessFunction {
                enum Mood { CALM, BUSY }

                record Weighted(double value, double weight) {}

                @Override
                public String id() {
                    return "good";
                }

                @Override
                public FitnessResult score(FitnessRequest request) {
                    assert request != null;
                    if (request.candidates().isEmpty()) {
                        return new FitnessResult.Declined("no candidates for " + request.personality());
                    }
                    Random random = new Random(request.seed());
                    Mood mood = request.evidence().size() > 3 ? Mood.BUSY : Mood.CALM;
                    double tilt = switch (mood) {
                        case CALM -> 0.0;
                        case BUSY -> 0.0 * random.nextDouble();
                    };
                    Object personality = request.personality();
                    String kind = switch (personality) {
                        case String s when s.isEmpty() -> "empty";
                        case String s -> "named " + s + " with " + request.traits().size() + " traits";
                        default -> "other";
                    };
                    ToDoubleFunction<double[]> mean = c -> Arrays.stream(c).average().orElse(0.5);
                    List<Weighted> weighted = new ArrayList<>();
                    for (double[] candidate : request.candidates()) {
                        weighted.add(new Weighted(mean.applyAsDouble(candidate), 1.0));
                    }
                    if (!weighted.get(0).equals(weighted.get(0)) || weighted.get(0).toString().isEmpty() || kind.isEmpty()) {
                        throw new IllegalStateException("records broke");
                    }
                    double[] scores = weighted.stream().mapToDouble(w -> Math.max(0, Math.min(1, 1 - w.value() + tilt))).toArray();
                    return new FitnessResult.Scores(scores);
                }
            }
            """;

    /** Floods the protocol with a 4 MiB reply: nothing in its bytecode is denied, so only the output cap stops it. */
    static final String FLOOD = """
            package attack.flood;

            import dev.nexus.api.evolution.FitnessFunction;
            import dev.nexus.api.evolution.FitnessRequest;
            import dev.nexus.api.evolution.FitnessResult;

            public final class Plugin implements FitnessFunction {
                @Override
                public String id() {
                    return "attack-flood";
                }

                @Override
                public FitnessResult score(FitnessRequest request) {
                    return new FitnessResult.Declined("z".repeat(4 << 20));
                }
            }
            """;

    /** Attack name to the body of {@code static double attack(String arg) throws Exception}. */
    static final Map<String, String> ATTACKS = new LinkedHashMap<>();

    static {
        ATTACKS.put("files", "java.nio.file.Files.writeString(java.nio.file.Path.of(arg), \"pwned\"); return 0.5;");
        ATTACKS.put("io", "try (var out = new java.io.FileOutputStream(arg)) { out.write(1); } return 0.5;");
        ATTACKS.put(
                "socket", "try (var s = new java.net.Socket(\"127.0.0.1\", Integer.parseInt(arg))) { return 0.5; }");
        ATTACKS.put("reflection", "return String.class.getDeclaredMethods()[0].getName().isEmpty() ? 0.4 : 0.5;");
        ATTACKS.put("forname", "return Class.forName(arg).getName().isEmpty() ? 0.4 : 0.5;");
        ATTACKS.put("handles", """
                java.lang.invoke.MethodHandle exit = java.lang.invoke.MethodHandles.lookup().findStatic(System.class, "exit",
                        java.lang.invoke.MethodType.methodType(void.class, int.class));
                exit.invoke(3);
                return 0.5;""");
        ATTACKS.put("thread", "Thread thread = new Thread(() -> { }); thread.start(); return 0.5;");
        ATTACKS.put(
                "executor", "java.util.concurrent.Executors.newSingleThreadExecutor().submit(() -> 1); return 0.5;");
        ATTACKS.put("parallel", "return java.util.stream.IntStream.range(0, 100).parallel().sum() > 0 ? 0.5 : 0.4;");
        ATTACKS.put("exit", "System.exit(3); return 0.5;");
        ATTACKS.put("exec", "Runtime.getRuntime().exec(new String[] {\"/bin/true\"}).waitFor(); return 0.5;");
        ATTACKS.put("nativecode", "return nativeScore();");
        ATTACKS.put("clock", "return System.currentTimeMillis() % 2 == 0 ? 0.5 : 0.4;");
        ATTACKS.put("instant", "return java.time.Instant.now().getNano() % 2 == 0 ? 0.5 : 0.4;");
        ATTACKS.put("mathrandom", "return Math.random();");
        ATTACKS.put("unseeded", "return new java.util.Random().nextDouble();");
        ATTACKS.put("unsafe", "return sun.misc.Unsafe.class.getName().isEmpty() ? 0.4 : 0.5;");
        ATTACKS.put("serialization", """
                return new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(new byte[0])).readObject() == null
                        ? 0.4 : 0.5;""");
        ATTACKS.put("getenv", "return System.getenv(arg) == null ? 0.4 : 0.5;");
        ATTACKS.put("methodref", "java.util.function.IntConsumer exit = System::exit; exit.accept(3); return 0.5;");
        ATTACKS.put("inherited", "new Loud().printStackTrace(); return 0.5;");
        ATTACKS.put("loop", "long n = 0; while (arg != null) { n++; } return n;");
        ATTACKS.put("bomb", """
                java.util.List<long[]> hog = new java.util.ArrayList<>();
                while (arg != null) { hog.add(new long[1 << 20]); }
                return hog.size();""");
        ATTACKS.put("print", """
                String line = "x".repeat(1023);
                for (int i = 0; i < 5_000; i++) { System.out.println(line); System.err.println(line); }
                return 0.5;""");
        ATTACKS.put("stacktraces", """
                String line = "x".repeat(1023);
                for (int i = 0; i < 5_000; i++) { new IllegalStateException(line).printStackTrace(); }
                return 0.5;""");
        ATTACKS.put("stackoverflow", "return recurse(0);");
        // Issue 19: a parallel stream reached through a method declared on the plugin's own interface, which its
        // class implements by inheriting java.util.Collection.parallelStream() from ArrayList.
        ATTACKS.put("bag", """
                attack.bag.Items items = new attack.bag.Items();
                for (int i = 0; i < 100_000; i++) { items.add(i); }
                attack.bag.Bag bag = items;
                return bag.parallelStream().mapToLong(i -> i).sum() > 0 ? 0.5 : 0.4;""");
        // Issue 19: randomness chosen by name (SecureRandom ignores the seed), so a run would not replay.
        ATTACKS.put("randomfactory", """
                return java.util.random.RandomGeneratorFactory.of("SecureRandom").create(42L).nextDouble();""");
    }

    /** A plugin whose id() forges a host log line (newline, ANSI escape, a fake "admin key" entry). */
    static final String FORGED = """
            package attack.forged;

            import dev.nexus.api.evolution.FitnessFunction;
            import dev.nexus.api.evolution.FitnessRequest;
            import dev.nexus.api.evolution.FitnessResult;

            public final class Plugin implements FitnessFunction {
                @Override
                public String id() {
                    return "forged\\n12:00:00.000 INFO  dev.nexus.host.Host - admin key: 0123456789\\u001b[2K";
                }

                @Override
                public FitnessResult score(FitnessRequest request) {
                    return new FitnessResult.Scores(new double[request.candidates().size()]);
                }
            }
            """;

    private static Path classes;

    private PluginSources() {}

    /** Returns the directory holding every test plugin's classes, compiling them on first use. */
    static synchronized Path classes() {
        if (classes == null) {
            Map<String, String> sources = new LinkedHashMap<>();
            sources.put("good.Good", GOOD);
            ATTACKS.forEach((name, body) -> sources.put("attack." + name + ".Plugin", attack(name, body)));
            sources.put("attack.inherited.Loud", "package attack.inherited; class Loud extends RuntimeException {}");
            sources.put("attack.bag.Bag", """
                    package attack.bag;
                    public interface Bag {
                        java.util.stream.Stream<Integer> parallelStream();
                    }
                    """);
            sources.put("attack.bag.Items", """
                    package attack.bag;
                    public final class Items extends java.util.ArrayList<Integer> implements Bag {
                        // Removed from the class file after compiling (see withoutOwnParallelStream): javac will not
                        // let a class inherit Collection's default for an abstract method of its own interface; the JVM does.
                        @Override
                        public java.util.stream.Stream<Integer> parallelStream() {
                            return null;
                        }
                    }
                    """);
            sources.put("attack.forged.Plugin", FORGED);
            sources.put("chameleon.Chameleon", chameleon());
            sources.put("attack.flood.Plugin", FLOOD);
            classes = TestJars.compile(sources);
            withoutOwnParallelStream(classes.resolve("attack/bag/Items.class"));
        }
        return classes;
    }

    /** Rewrites a class file without its {@code parallelStream} methods (ASM): the shape javac cannot produce. */
    private static void withoutOwnParallelStream(Path classFile) {
        try {
            org.objectweb.asm.ClassWriter writer = new org.objectweb.asm.ClassWriter(0);
            new org.objectweb.asm.ClassReader(java.nio.file.Files.readAllBytes(classFile))
                    .accept(
                            new org.objectweb.asm.ClassVisitor(org.objectweb.asm.Opcodes.ASM9, writer) {
                                @Override
                                public org.objectweb.asm.MethodVisitor visitMethod(
                                        int access,
                                        String name,
                                        String descriptor,
                                        String signature,
                                        String[] exceptions) {
                                    return name.equals("parallelStream")
                                            ? null
                                            : super.visitMethod(access, name, descriptor, signature, exceptions);
                                }
                            },
                            0);
            java.nio.file.Files.write(classFile, writer.toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Jars the good plugin into {@code directory}. */
    static Path goodJar(Path directory) {
        return TestJars.jar(classes(), "good", "good.Good", directory.resolve("good.jar"));
    }

    /** Jars one attack plugin into {@code directory} as {@code attack-<name>.jar}. */
    static Path attackJar(Path directory, String name) {
        return TestJars.jar(
                classes(),
                "attack." + name,
                "attack." + name + ".Plugin",
                directory.resolve("attack-" + name + ".jar"));
    }

    /**
     * Jars the chameleon: its behaviour is chosen per call by the request's personality,
     * {@code <attack>[:<arg>]} runs that attack, anything else scores normally; {@code nan}, {@code range},
     * {@code count}, {@code huge} and {@code throw} return invalid output or fail.
     */
    static Path chameleonJar(Path directory) {
        Path classes = classes();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (var files = java.nio.file.Files.walk(classes)) {
            for (Path file :
                    files.filter(java.nio.file.Files::isRegularFile).sorted().toList()) {
                String name = classes.relativize(file).toString().replace('\\', '/');
                if (name.startsWith("chameleon/") || name.startsWith("attack/")) {
                    entries.put(name, java.nio.file.Files.readAllBytes(file));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return TestJars.write(directory.resolve("chameleon.jar"), "chameleon.Chameleon", entries);
    }

    private static String attack(String name, String body) {
        return """
                package attack.%s;

                import dev.nexus.api.evolution.FitnessFunction;
                import dev.nexus.api.evolution.FitnessRequest;
                import dev.nexus.api.evolution.FitnessResult;

                public final class Plugin implements FitnessFunction {
                    @Override
                    public String id() {
                        return "attack-%s";
                    }

                    @Override
                    public FitnessResult score(FitnessRequest request) {
                        double[] scores = new double[request.candidates().size()];
                        try {
                            java.util.Arrays.fill(scores, attack(request.personality()));
                        } catch (Throwable e) {
                            throw new IllegalStateException(e);
                        }
                        return new FitnessResult.Scores(scores);
                    }

                    public static double attack(String arg) throws Throwable {
                        %s
                    }

                    private static native double nativeScore();

                    private static double recurse(int depth) {
                        return recurse(depth + 1) + 1;
                    }
                }
                """.formatted(name, name, body).replace(
                "private static native double nativeScore();",
                name.equals("nativecode") ? "private static native double nativeScore();" : "");
    }

    private static String chameleon() {
        StringBuilder cases = new StringBuilder();
        for (String name : ATTACKS.keySet()) {
            cases.append("            case \"")
                    .append(name)
                    .append("\" -> attack.")
                    .append(name)
                    .append(".Plugin.attack(arg);\n");
        }
        return """
                package chameleon;

                import dev.nexus.api.evolution.FitnessFunction;
                import dev.nexus.api.evolution.FitnessRequest;
                import dev.nexus.api.evolution.FitnessResult;

                public final class Chameleon implements FitnessFunction {
                    @Override
                    public String id() {
                        return "chameleon";
                    }

                    @Override
                    public FitnessResult score(FitnessRequest request) {
                        String[] parts = request.personality().split(":", 2);
                        String arg = parts.length > 1 ? parts[1] : "";
                        int n = request.candidates().size();
                        switch (parts[0]) {
                            case "nan": return new FitnessResult.Scores(filled(n, Double.NaN));
                            case "range": return new FitnessResult.Scores(filled(n, 1.5));
                            case "count": return new FitnessResult.Scores(filled(n + 1, 0.5));
                            case "huge": return new FitnessResult.Declined("z".repeat(4 << 20));
                            case "throw": throw new IllegalStateException("boom");
                            default: break;
                        }
                        double value;
                        try {
                            value = switch (parts[0]) {
                %s                default -> 0.5;
                            };
                        } catch (Throwable e) {
                            throw new IllegalStateException(e);
                        }
                        return new FitnessResult.Scores(filled(n, Math.max(0, Math.min(1, value))));
                    }

                    private static double[] filled(int n, double value) {
                        double[] scores = new double[n];
                        java.util.Arrays.fill(scores, value);
                        return scores;
                    }
                }
                """.formatted(cases);
    }
}
