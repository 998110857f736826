package dev.nexus.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OS layer on its own (issue 19): code that neither the scan nor the class-loader filter ever saw —
 * a plain main class with full access to files, threads and sockets — runs under the child's OS sandbox
 * and still cannot write outside its private temp directory, reach the network or run as the host's user.
 * Requires bubblewrap; {@code ./nexus test} installs it and sets {@code nexus.test.sandbox=required}, so
 * there this test never skips.
 */
class OsSandboxTest {

    private static final String ESCAPE = """
            package escape;

            import java.nio.file.Files;
            import java.nio.file.Path;

            public final class Main {
                public static void main(String[] args) throws Exception {
                    for (String target : new String[] {args[0], "/x", "/root/x", "/usr/lib/x", "/nexus/classes/x",
                            "/nexus/plugin.jar", "/etc/x", "/tmp/inside.txt"}) {
                        try {
                            Files.writeString(Path.of(target), "pwned");
                            System.out.println("wrote " + target);
                        } catch (Exception e) {
                            System.out.println("denied " + target);
                        }
                    }
                    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                        if (line.startsWith("Uid:") || line.startsWith("NoNewPrivs:") || line.startsWith("CapEff:")) {
                            System.out.println(line.replaceAll("\\\\s+", " "));
                        }
                    }
                    try (var socket = new java.net.Socket("127.0.0.1", Integer.parseInt(args[1]))) {
                        System.out.println("connected");
                    } catch (Exception e) {
                        System.out.println("no network");
                    }
                    System.out.println("home " + Files.exists(Path.of(System.getProperty("user.home"), ".bashrc")));
                    System.out.flush();
                    byte[] chunk = new byte[1 << 20];
                    try (var out = Files.newOutputStream(Path.of("/tmp/big"))) {
                        for (int i = 0; i < 64; i++) {
                            out.write(chunk);
                        }
                    }
                    System.out.println("wrote 64 MiB");
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void codeThatBypassedScanAndLoader_cannotWriteOutsideItsTempDirNorReachTheNetwork() throws Exception {
        Path classes = TestJars.compile(Map.of("escape.Main", ESCAPE));
        readableByAll(classes.getParent());
        Path canary = dir.resolve("canary.txt");
        Path jar = Files.writeString(dir.resolve("plugin.jar"), "");
        readableByAll(dir);
        ChildLauncher launcher = new ChildLauncher(SandboxFixtures.config(dir), classes, dir);
        requireOsSandbox(launcher);

        List<String> command = new ArrayList<>(launcher.command(jar).command());
        command.subList(command.size() - 2, command.size()).clear();
        List<String> output;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            command.addAll(List.of("escape.Main", canary.toString(), Integer.toString(server.getLocalPort())));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().clear();
            Process process = builder.start();
            byte[] bytes = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            output = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        }

        assertThat(output)
                .contains(
                        "denied " + canary,
                        "denied /x",
                        "denied /root/x",
                        "denied /usr/lib/x",
                        "denied /nexus/classes/x",
                        "denied /nexus/plugin.jar",
                        "denied /etc/x",
                        "wrote /tmp/inside.txt",
                        "no network",
                        "NoNewPrivs: 1",
                        "CapEff: 0000000000000000",
                        "home false");
        if (ChildLauncher.root()) {
            assertThat(output).anySatisfy(line -> assertThat(line).startsWith("Uid: 65534 65534"));
        }
        assertThat(output).as("the file size limit stops a 64 MiB write").doesNotContain("wrote 64 MiB");
        assertThat(canary).doesNotExist();
        assertThat(Files.readString(jar)).isEmpty();
        assertThat(Path.of("/x")).doesNotExist();
        try (Stream<Path> written = Files.list(classes)) {
            assertThat(written).noneMatch(p -> p.getFileName().toString().equals("x"));
        }
    }

    /** Skips where the OS cannot give the sandbox, unless the build requires it ({@code ./nexus test} does). */
    static void requireOsSandbox(ChildLauncher launcher) {
        if ("required".equals(System.getProperty("nexus.test.sandbox"))) {
            assertThat(launcher.isolation())
                    .as("bubblewrap works on this machine (nexus.test.sandbox=required)")
                    .isEqualTo(Isolation.OS_SANDBOX);
        }
        assumeThat(launcher.isolation()).as("this machine allows bubblewrap").isEqualTo(Isolation.OS_SANDBOX);
    }

    private static void readableByAll(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                ChildLauncher.readableByAll(path);
            }
        }
    }
}
