package dev.nexus.host.openai;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Node scripts under {@code src/test/node} (real third-party clients from npm). The packages
 * are installed on first use with {@code npm ci} from the committed lock file (the npm registry is the
 * only network the suite uses besides loopback).
 */
final class NodeClient {

    static final Path DIR = Path.of("src", "test", "node").toAbsolutePath();

    private NodeClient() {}

    /** Installs the locked packages when {@code node_modules} lacks {@code marker} (a package directory). */
    static synchronized void install(String marker) throws IOException, InterruptedException {
        if (Files.isDirectory(DIR.resolve("node_modules").resolve(marker))) {
            return;
        }
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
    }

    /** Runs {@code node script args…} and returns its standard output; fails with its output when it exits non-zero. */
    static String node(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        return run(command, 120);
    }

    private static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("nexus-node-", ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(DIR.toFile())
                    .redirectError(log.toFile())
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
            }
            String stdout = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " exited with " + process.exitValue() + "\nstdout: " + stdout
                        + "\nstderr: " + Files.readString(log));
            }
            return stdout;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
