package dev.nexus.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.sandbox.ExternalSymbol.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Admission: javac output for ordinary code passes; every attack and every hand-made trick is refused. */
class BytecodeScannerTest {

    private final BytecodeScanner scanner = new BytecodeScanner();

    @TempDir
    Path dir;

    @Test
    void scan_whenPluginUsesLambdasConcatRecordsSwitchesAndSeededRandom_admitsAndListsEverySymbol() throws IOException {
        Path jar = PluginSources.goodJar(dir);

        AdmissionReport report = scanner.scan("good.jar", Files.readAllBytes(jar));

        assertThat(report.problems()).isEmpty();
        assertThat(report.denied()).isEmpty();
        assertThat(report.admitted()).isTrue();
        assertThat(report.verdict()).isEqualTo("admitted");
        assertThat(report.fitnessClass()).contains("good.Good");
        assertThat(report.sha256())
                .isEqualTo(JarContents.sha256(Files.readAllBytes(jar)))
                .hasSize(64);
        assertThat(report.classes()).contains("good/Good", "good/Good$Weighted", "good/Good$Mood");
        assertThat(report.symbols())
                .extracting(ExternalSymbol::kind, ExternalSymbol::owner, ExternalSymbol::name)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(
                                Kind.BOOTSTRAP, "java/lang/invoke/LambdaMetafactory", "metafactory"),
                        org.assertj.core.groups.Tuple.tuple(
                                Kind.BOOTSTRAP, "java/lang/invoke/StringConcatFactory", "makeConcatWithConstants"),
                        org.assertj.core.groups.Tuple.tuple(
                                Kind.BOOTSTRAP, "java/lang/runtime/ObjectMethods", "bootstrap"),
                        org.assertj.core.groups.Tuple.tuple(
                                Kind.BOOTSTRAP, "java/lang/runtime/SwitchBootstraps", "typeSwitch"),
                        org.assertj.core.groups.Tuple.tuple(Kind.METHOD, "java/util/Random", "<init>"),
                        org.assertj.core.groups.Tuple.tuple(Kind.TYPE, "dev/nexus/api/evolution/FitnessFunction", ""));
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                Arguments.of("files", "java/nio/file/Files", "file and stream I/O (NIO)"),
                Arguments.of("io", "java/io/FileOutputStream", "file and stream I/O"),
                Arguments.of("socket", "java/net/Socket", "network"),
                Arguments.of(
                        "reflection",
                        "java/lang/Class.getDeclaredMethods()[Ljava/lang/reflect/Method;",
                        "reflection and class loading"),
                Arguments.of("reflection", "java/lang/reflect/Method", "reflection"),
                Arguments.of(
                        "forname",
                        "java/lang/Class.forName(Ljava/lang/String;)Ljava/lang/Class;",
                        "reflection and class loading"),
                Arguments.of("handles", "java/lang/invoke/MethodHandles", "method handles"),
                Arguments.of("thread", "java/lang/Thread", "threads"),
                Arguments.of("executor", "java/util/concurrent/Executors", "threads and executors"),
                Arguments.of(
                        "parallel",
                        "java/util/stream/IntStream.parallel()Ljava/util/stream/IntStream;",
                        "parallel execution starts threads"),
                Arguments.of("exit", "java/lang/System.exit(I)V", "System: exit"),
                Arguments.of("exec", "java/lang/Runtime", "Runtime: exit, exec"),
                Arguments.of("clock", "java/lang/System.currentTimeMillis()J", "clocks"),
                Arguments.of("instant", "java/time/Instant", "clocks"),
                Arguments.of("mathrandom", "java/lang/Math.random()D", "ambient randomness"),
                Arguments.of("unseeded", "java/util/Random.<init>()V", "ambient randomness"),
                Arguments.of("unsafe", "sun/misc/Unsafe", "Unsafe"),
                Arguments.of("serialization", "java/io/ObjectInputStream", "serialization"),
                Arguments.of("getenv", "java/lang/System.getenv(Ljava/lang/String;)Ljava/lang/String;", "environment"),
                Arguments.of("methodref", "java/lang/System.exit(I)V", "System: exit"),
                Arguments.of("print", "java/lang/System.out:Ljava/io/PrintStream;", "standard streams"),
                Arguments.of("print", "java/io/PrintStream", "file and stream I/O"),
                Arguments.of("stacktraces", "java/lang/IllegalStateException.printStackTrace()V", "standard error"),
                Arguments.of(
                        "inherited",
                        "java/lang/Throwable.printStackTrace()V",
                        "writes to standard error or forges stack traces (reached through attack/inherited/Loud)"),
                Arguments.of(
                        "bag",
                        "java/util/Collection.parallelStream()Ljava/util/stream/Stream;",
                        "parallel execution starts threads (common fork-join pool) (reached through attack/bag/Bag)"),
                Arguments.of("randomfactory", "java/util/random/RandomGeneratorFactory", "may ignore the seed"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("attacks")
    void scan_whenPluginAttacks_refusesNamingTheSymbolAndWhy(String attack, String symbol, String reason)
            throws IOException {
        AdmissionReport report = scanner.scan("attack.jar", Files.readAllBytes(PluginSources.attackJar(dir, attack)));

        assertThat(report.admitted()).isFalse();
        assertThat(report.verdict()).isEqualTo("refused");
        assertThat(report.denied())
                .filteredOn(s -> s.display().equals(symbol) || s.owner().equals(symbol))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.reason()).contains(reason));
        assertThat(report.summary()).startsWith("«attack.jar» refused: ");
    }

    @Test
    void scan_whenPluginDeclaresNativeMethod_refuses() throws IOException {
        AdmissionReport report = scanner.scan("n.jar", Files.readAllBytes(PluginSources.attackJar(dir, "nativecode")));

        assertThat(report.admitted()).isFalse();
        assertThat(report.problems())
                .containsExactly("attack/nativecode/Plugin declares native method "
                        + "nativeScore()D: native code is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop", "bomb", "stackoverflow", "flood"})
    void scan_whenPluginMisbehavesOnlyAtRunTime_admitsByDesign(String attack) throws IOException {
        AdmissionReport report = scanner.scan("a.jar", Files.readAllBytes(PluginSources.attackJar(dir, attack)));

        assertThat(report.denied()).isEmpty();
        assertThat(report.admitted()).isTrue();
    }

    @Test
    void scan_whenInvokedynamicUsesItsOwnBootstrap_refuses() {
        AdmissionReport report = scan("evil/Boot", HandMade.ownBootstrap("evil/Boot"));

        assertThat(report.denied())
                .extracting(ExternalSymbol::kind, ExternalSymbol::display, ExternalSymbol::reason)
                .contains(org.assertj.core.groups.Tuple.tuple(
                        Kind.BOOTSTRAP,
                        "evil/Boot.bsm(Ljava/lang/invoke/MethodHandles$Lookup;"
                                + "Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;",
                        "arbitrary bootstrap methods link calls the scan cannot see"));
    }

    @Test
    void scan_whenLambdaTargetsDeniedMethod_refusesTheTargetThoughTheBootstrapIsAllowed() {
        AdmissionReport report = scan("evil/Lambda", HandMade.lambdaToRuntime("evil/Lambda"));

        assertThat(report.symbols())
                .filteredOn(s -> s.kind() == Kind.BOOTSTRAP)
                .singleElement()
                .satisfies(s -> assertThat(s.allowed()).isTrue());
        assertThat(report.denied())
                .extracting(ExternalSymbol::display)
                .contains("java/lang/Runtime.getRuntime()Ljava/lang/Runtime;", "java/lang/Runtime");
    }

    @Test
    void scan_whenClassLoadsMethodHandleConstant_refuses() {
        AdmissionReport report = scan("evil/Handle", HandMade.handleConstant("evil/Handle"));

        assertThat(report.denied())
                .extracting(ExternalSymbol::kind, ExternalSymbol::display)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Kind.METHOD_HANDLE_CONSTANT, "java/lang/System.exit(I)V"));
    }

    @Test
    void scan_whenClassLoadsDynamicConstant_refuses() {
        AdmissionReport report = scan("evil/Condy", HandMade.constantDynamic("evil/Condy"));

        assertThat(report.denied()).extracting(ExternalSymbol::kind).contains(Kind.CONSTANT_DYNAMIC);
        assertThat(report.admitted()).isFalse();
    }

    @Test
    void scan_whenHandMadeClassDeclaresNativeMethod_refuses() {
        AdmissionReport report = scan("evil/Native", HandMade.nativeMethod("evil/Native"));

        assertThat(report.problems())
                .containsExactly("evil/Native declares native method escape()V: native code is not allowed");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "dev/nexus/api/evolution/Evil",
                "java/lang/Evil",
                "dev/nexus/host/Evil",
                "dev/nexus/Evil",
                "org/pf4j/Evil",
                "sun/misc/Evil"
            })
    void scan_whenClassClaimsProtectedPackage_refuses(String name) {
        AdmissionReport report = scan(name, HandMade.fitness(name, code -> {}));

        assertThat(report.problems())
                .containsExactly("class " + name + " claims a protected package (JDK, Nexus or PF4J): "
                        + "plugin classes must live in the plugin's own package");
    }

    @Test
    void scan_whenEntryNameDiffersFromClassName_refuses() {
        Map<String, byte[]> entries = Map.of("evil/Other.class", HandMade.fitness("evil/Real", code -> {}));

        AdmissionReport report = scanner.scan("x.jar", TestJars.bytes("evil.Real", entries));

        assertThat(report.problems())
                .contains("entry evil/Other.class holds class evil/Real: entry names must match class names");
    }

    @Test
    void scan_whenClassesHideUnderMetaInf_refuses() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("evil/Real.class", HandMade.fitness("evil/Real", code -> {}));
        entries.put("META-INF/versions/21/evil/Real.class", HandMade.lambdaToRuntime("evil/Real"));

        AdmissionReport report = scanner.scan("x.jar", TestJars.bytes("evil.Real", entries));

        assertThat(report.admitted()).isFalse();
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("classes under META-INF"));
        assertThat(report.denied()).extracting(ExternalSymbol::owner).contains("java/lang/Runtime");
    }

    @Test
    void scan_whenNestHostIsOutsideTheJar_refuses() {
        AdmissionReport report = scan("evil/Mate", HandMade.foreignNestHost("evil/Mate"));

        assertThat(report.problems())
                .contains("class evil/Mate names nest mate or permitted subclass java/lang/System outside the jar");
    }

    @Test
    void scan_whenJarHasModuleDescriptor_refuses() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("evil/Real.class", HandMade.fitness("evil/Real", code -> {}));
        entries.put("module-info.class", HandMade.moduleInfo());

        AdmissionReport report = scanner.scan("x.jar", TestJars.bytes("evil.Real", entries));

        assertThat(report.problems())
                .contains("module-info is a module descriptor: build a plain jar without module-info.class");
    }

    @Test
    void scan_whenJarNamesAnEntryTwice_refuses() {
        // Same-length names, then the second renamed to the first in both the local header and the central directory.
        byte[] jar = TestJars.bytes(
                "evil.Real",
                Map.of(
                        "evil/Real.class", HandMade.fitness("evil/Real", code -> {}),
                        "evil/Rea2.class", HandMade.lambdaToRuntime("evil/Real")));
        byte[] forged = replaceAll(jar, "evil/Rea2.class", "evil/Real.class");

        AdmissionReport report = scanner.scan("dup.jar", forged);

        assertThat(report.problems())
                .containsExactly("entry 'evil/Real.class' appears twice; a jar must name each entry once");
    }

    @Test
    void scan_whenClassFileIsGarbage_refusesNamingTheEntry() {
        Map<String, byte[]> entries = Map.of("evil/Real.class", "not a class file".getBytes(StandardCharsets.UTF_8));

        AdmissionReport report = scanner.scan("x.jar", TestJars.bytes("evil.Real", entries));

        assertThat(report.problems())
                .anySatisfy(p -> assertThat(p).startsWith("entry evil/Real.class is not a readable class file"));
    }

    @Test
    void scan_whenBytesAreNotAJar_refuses() {
        AdmissionReport report = scanner.scan("x.jar", "hello".getBytes(StandardCharsets.UTF_8));

        assertThat(report.problems()).containsExactly("not a readable jar: it has no entries");
        assertThat(report.symbols()).isEmpty();
    }

    @Test
    void scan_whenJarIsTruncated_refuses() throws IOException {
        byte[] jar = Files.readAllBytes(PluginSources.goodJar(dir));

        AdmissionReport report = scanner.scan("x.jar", Arrays.copyOf(jar, jar.length / 2));

        assertThat(report.admitted()).isFalse();
        assertThat(report.problems())
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("not a readable jar"));
    }

    @Test
    void scan_whenManifestLacksFitnessClass_refusesSayingWhatToAdd() {
        AdmissionReport report = scanner.scan(
                "x.jar", TestJars.bytes("", Map.of("evil/Real.class", HandMade.fitness("evil/Real", code -> {}))));

        assertThat(report.problems())
                .containsExactly("the manifest has no Nexus-Fitness-Class entry: add "
                        + "'Nexus-Fitness-Class: <your FitnessFunction class>' to META-INF/MANIFEST.MF");
    }

    @Test
    void scan_whenFitnessClassIsMissing_refuses() {
        AdmissionReport report = scanner.scan(
                "x.jar",
                TestJars.bytes("evil.Elsewhere", Map.of("evil/Real.class", HandMade.fitness("evil/Real", code -> {}))));

        assertThat(report.problems()).containsExactly("Nexus-Fitness-Class evil.Elsewhere is not a class in the jar");
    }

    @Test
    void scan_whenFitnessClassDoesNotImplementFitnessFunction_refuses() throws IOException {
        Path jar = TestJars.jar(
                PluginSources.classes(), "attack.inherited", "attack.inherited.Loud", dir.resolve("l.jar"));

        AdmissionReport report = scanner.scan("l.jar", Files.readAllBytes(jar));

        assertThat(report.problems())
                .contains(
                        "Nexus-Fitness-Class attack.inherited.Loud must be a public, concrete class",
                        "Nexus-Fitness-Class attack.inherited.Loud does not implement dev.nexus.api.evolution.FitnessFunction");
    }

    private AdmissionReport scan(String name, byte[] classFile) {
        return scanner.scan(
                "hand-made.jar", TestJars.bytes(name.replace('/', '.'), Map.of(name + ".class", classFile)));
    }

    private static byte[] replaceAll(byte[] bytes, String from, String to) {
        byte[] needle = from.getBytes(StandardCharsets.UTF_8);
        byte[] replacement = to.getBytes(StandardCharsets.UTF_8);
        byte[] out = bytes.clone();
        int replaced = 0;
        for (int i = 0; i + needle.length <= out.length; i++) {
            if (Arrays.equals(out, i, i + needle.length, needle, 0, needle.length)) {
                System.arraycopy(replacement, 0, out, i, replacement.length);
                replaced++;
            }
        }
        assertThat(replaced).as("occurrences of " + from).isEqualTo(2);
        return out;
    }

    @Test
    void scan_whenGathererRunsConcurrently_refuses() {
        AdmissionReport report = scan(
                "evil/Gather",
                HandMade.callsStatic(
                        "evil/Gather",
                        "java/util/stream/Gatherers",
                        "mapConcurrent",
                        "(ILjava/util/function/Function;)Ljava/util/stream/Gatherer;"));

        assertThat(report.denied())
                .extracting(ExternalSymbol::display, ExternalSymbol::reason)
                .contains(org.assertj.core.groups.Tuple.tuple(
                        "java/util/stream/Gatherers.mapConcurrent(ILjava/util/function/Function;)"
                                + "Ljava/util/stream/Gatherer;",
                        "runs work concurrently on virtual threads"));
    }

    @Test
    void scan_whenClassDeclaresAFinalizer_refuses() {
        org.objectweb.asm.ClassWriter writer =
                new org.objectweb.asm.ClassWriter(org.objectweb.asm.ClassWriter.COMPUTE_MAXS);
        new org.objectweb.asm.ClassReader(HandMade.fitness("evil/Final", code -> {})).accept(writer, 0);
        org.objectweb.asm.MethodVisitor finalizer =
                writer.visitMethod(org.objectweb.asm.Opcodes.ACC_PROTECTED, "finalize", "()V", null, null);
        finalizer.visitCode();
        finalizer.visitInsn(org.objectweb.asm.Opcodes.RETURN);
        finalizer.visitMaxs(0, 1);
        finalizer.visitEnd();

        AdmissionReport report = scan("evil/Final", writer.toByteArray());

        assertThat(report.problems())
                .containsExactly(
                        "evil/Final declares finalize(): finalizers run on a JVM thread outside any call's time limit");
    }

    @Test
    void scan_whenJarNamesThousandsOfSymbols_refusesAsAReportBomb() {
        AdmissionReport report = scan("evil/Bomb", HandMade.manySymbols("evil/Bomb", BytecodeScanner.MAX_SYMBOLS + 10));

        assertThat(report.admitted()).isFalse();
        assertThat(report.problems())
                .contains("the jar uses more than 5000 distinct external symbols; a fitness "
                        + "function needs far fewer (report bomb)");
        assertThat(report.symbols()).isEmpty();
    }

    @Test
    void scan_whenJarHoldsTooManyReferences_refusesAsAScanCostBomb() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            entries.put("evil/Cost" + i + ".class", HandMade.manyOwnCalls("evil/Cost" + i, i * 15_000, 15_000));
        }

        AdmissionReport report = scanner.scan("cost.jar", TestJars.bytes("evil.Cost0", entries));

        assertThat(report.problems())
                .contains("the jar holds more than 100000 distinct references; a fitness function "
                        + "needs far fewer (scan-cost bomb)");
    }
}
