package dev.nexus.host.persona;

import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What personalities cost per chat turn and per poll tick, on the repository's bundles:
 * <ul>
 *   <li>{@code section}: rendering the persona section (traits to instructions, macros) against a
 *       baseline that only concatenates the same fields;</li>
 *   <li>{@code current}: the registry lookup a turn makes;</li>
 *   <li>{@code sync}: one poll tick over an unchanged directory (fingerprints plus a pointer query on
 *       H2) against a baseline that only lists the directory and reads every file.</li>
 * </ul>
 * Run from the repository root: {@code ./nexus bench dev.nexus.host.persona.PersonaBenchmark}.
 * Prints medians and p99 of per-operation times over many samples.
 */
public final class PersonaBenchmark {

    private static volatile Object sink;

    private PersonaBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of("personalities");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("run from the repository root: " + root.toAbsolutePath() + " is missing");
        }
        PersonaCodec codec = new PersonaCodec();
        List<Personality> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                all.add(codec.load(dir, dir.toString()));
            }
        }
        PersonaPrompt prompt = new PersonaPrompt(new TraitRenderer());
        System.out.printf(
                Locale.ROOT,
                "%d personalities, %d cores, %s%n",
                all.size(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.version());

        int[] index = {0};
        report("section baseline (concatenate fields)", measure(1_000, 200, () -> {
            Personality p = all.get(index[0]++ % all.size());
            sink = p.systemPrompt()
                    + p.description()
                    + p.summary()
                    + p.voice()
                    + String.join("\n", p.style())
                    + String.join("\n", p.values());
        }));
        report(
                "section (PersonaPrompt.section)",
                measure(
                        1_000,
                        200,
                        () -> sink = prompt.section(all.get(index[0]++ % all.size()), "Ada", "Be helpful.")));

        try (TestDatabase db = TestDatabases.h2()) {
            PersonalityService service = new PersonalityService(
                    db.database(), root, Duration.ofHours(1), Clock.systemUTC(), CardImporter.none(), List::of);
            service.start();
            PersonalityId[] ids = all.stream().map(Personality::id).toArray(PersonalityId[]::new);
            report(
                    "current (registry lookup)",
                    measure(1_000, 1_000, () -> sink = service.current(ids[index[0]++ % ids.length])));
            report("sync baseline (list + read files)", measure(300, 1, () -> sink = readAll(root)));
            report("sync (one unchanged poll tick)", measure(300, 1, service::sync));
            service.close();
        }
    }

    private static Object readAll(Path root) {
        try (Stream<Path> dirs = Files.list(root)) {
            long bytes = 0;
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        bytes += Files.readAllBytes(file).length;
                    }
                }
            }
            return bytes;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Returns per-operation nanoseconds for {@code samples} samples of {@code batch} operations, after warming up. */
    private static double[] measure(int samples, int batch, Runnable operation) {
        for (int i = 0; i < Math.max(200, samples * batch / 10); i++) {
            operation.run();
        }
        double[] perOp = new double[samples];
        for (int s = 0; s < perOp.length; s++) {
            long start = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                operation.run();
            }
            perOp[s] = (System.nanoTime() - start) / (double) batch;
        }
        Arrays.sort(perOp);
        return perOp;
    }

    private static void report(String name, double[] sorted) {
        double median = sorted[sorted.length / 2];
        double p99 = sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
        System.out.printf(Locale.ROOT, "%-40s median %12s   p99 %12s%n", name, format(median), format(p99));
    }

    private static String format(double nanos) {
        return nanos >= 1_000_000
                ? String.format(Locale.ROOT, "%.2f ms", nanos / 1e6)
                : nanos >= 1_000
                        ? String.format(Locale.ROOT, "%.2f µs", nanos / 1e3)
                        : String.format(Locale.ROOT, "%.0f ns", nanos);
    }
}
