package dev.nexus.host.sandbox;

import dev.nexus.host.sandbox.SandboxConfig.NetworkIsolation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the command that starts a sandbox child JVM: the host's own {@code java} binary, a hard heap
 * cap, exit on out-of-memory, JVM output kept off stdout (which carries frames), no attach, the minimal
 * class path, and, where the OS allows, {@code unshare} into an empty network namespace. Which
 * {@code unshare} form works is probed once: plain {@code --net} (needs root or CAP_SYS_ADMIN), then
 * {@code --user --map-root-user --net} (unprivileged user namespaces). Thread-safe.
 */
final class ChildLauncher {

    private static final Logger log = LoggerFactory.getLogger(ChildLauncher.class);
    private static final List<List<String>> NAMESPACE_PREFIXES = List.of(
            List.of("--net", "--"), List.of("--user", "--map-root-user", "--net", "--"));

    private final SandboxConfig config;
    private final Path classPath;
    private final Path workDirectory;
    private final String java;
    private List<String> prefix;
    private Isolation isolation;

    ChildLauncher(SandboxConfig config, Path classPath, Path workDirectory) {
        this.config = config;
        this.classPath = classPath;
        this.workDirectory = workDirectory;
        this.java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Returns the isolation level child JVMs get, probing the OS on the first call. */
    synchronized Isolation isolation() {
        if (isolation == null) {
            probe();
        }
        return isolation;
    }

    /** Records that a child reported network interfaces inside its namespace: isolation did not hold. */
    synchronized void downgrade(String why) {
        if (isolation == Isolation.NETWORK_NAMESPACE) {
            log.warn("Sandbox network isolation is not effective ({}); continuing without it", why);
            isolation = Isolation.NONE;
            prefix = List.of();
        }
    }

    /** Returns the full command line for one child JVM. */
    synchronized List<String> command() {
        isolation();
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java,
                "-Xmx" + config.maxHeap(),
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:MaxMetaspaceSize=64m",
                "-XX:+UseSerialGC",
                "-XX:ActiveProcessorCount=1",
                "-XX:+DisplayVMOutputToStderr",
                "-Xlog:disable",
                "-Xlog:all=warning:stderr",
                "-XX:-UsePerfData",
                "-XX:+DisableAttachMechanism",
                "-XX:ErrorFile=" + workDirectory.resolve("hs_err_%p.log"),
                "-Djava.io.tmpdir=" + workDirectory,
                "-Dfile.encoding=UTF-8",
                "-cp", classPath.toString(),
                SandboxChild.class.getName(),
                Integer.toString(config.maxOutputBytes())));
        return command;
    }

    Path workDirectory() {
        return workDirectory;
    }

    private void probe() {
        prefix = List.of();
        isolation = Isolation.NONE;
        if (config.isolationMode() == NetworkIsolation.OFF) {
            return;
        }
        Optional<Path> unshare = executable("unshare");
        Optional<Path> trueCommand = executable("true");
        if (unshare.isEmpty() || trueCommand.isEmpty()) {
            log.warn("Sandbox: no unshare(1) found; sandboxed plugins run without network isolation");
            return;
        }
        for (List<String> flags : NAMESPACE_PREFIXES) {
            List<String> candidate = new ArrayList<>();
            candidate.add(unshare.get().toString());
            candidate.addAll(flags);
            List<String> probe = new ArrayList<>(candidate);
            probe.add(trueCommand.get().toString());
            if (succeeds(probe)) {
                prefix = List.copyOf(candidate);
                isolation = Isolation.NETWORK_NAMESPACE;
                return;
            }
        }
        log.warn("Sandbox: unshare --net is not permitted here; sandboxed plugins run without network isolation");
    }

    private static boolean succeeds(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().clear();
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<Path> executable(String name) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
