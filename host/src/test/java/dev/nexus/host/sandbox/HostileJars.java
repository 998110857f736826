package dev.nexus.host.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Jars built to hurt the admission desk rather than to escape at run time (issue 19): each is dropped
 * into a sandbox directory and must come out refused with a reason, never as a start-up failure.
 */
final class HostileJars {

    /** File name to the reason (a fragment) it must be refused with. */
    static final Map<String, String> REASONS = Map.of(
            "deep-annotations.jar", "nest too deeply to scan",
            "huge-version.jar", "Implementation-Version is 300 characters long; at most 100",
            "huge-class-name.jar", "Nexus-Fitness-Class is 607 characters long; at most 500",
            "cost-bomb.jar", "(scan-cost bomb)",
            "report-bomb.jar", "(report bomb)");

    private HostileJars() {}

    /** Writes every hostile jar of {@link #REASONS} into {@code directory}. */
    static void writeAll(Path directory) {
        write(
                directory.resolve("deep-annotations.jar"),
                TestJars.bytes("evil.Deep", Map.of("evil/Deep.class", HandMade.deepAnnotation("evil/Deep", 200_000))));
        write(
                directory.resolve("huge-version.jar"),
                TestJars.bytes(
                        Map.of(JarContents.FITNESS_CLASS, "evil.Versioned", "Implementation-Version", "9".repeat(300)),
                        Map.of("evil/Versioned.class", HandMade.fitness("evil/Versioned", code -> {}))));
        String longName = "evil/" + "a".repeat(600) + "/F";
        write(
                directory.resolve("huge-class-name.jar"),
                TestJars.bytes(
                        longName.replace('/', '.'),
                        Map.of(longName + ".class", HandMade.fitness(longName, code -> {}))));
        Map<String, byte[]> cost = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            cost.put("evil/Cost" + i + ".class", HandMade.manyOwnCalls("evil/Cost" + i, i * 15_000, 15_000));
        }
        write(directory.resolve("cost-bomb.jar"), TestJars.bytes("evil.Cost0", cost));
        write(
                directory.resolve("report-bomb.jar"),
                TestJars.bytes("evil.Bomb", Map.of("evil/Bomb.class", HandMade.manySymbols("evil/Bomb", 20_000))));
    }

    private static void write(Path target, byte[] bytes) {
        try {
            Files.write(target, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
