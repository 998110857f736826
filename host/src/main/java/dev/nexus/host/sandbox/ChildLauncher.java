package dev.nexus.host.sandbox;

import dev.nexus.host.sandbox.SandboxConfig.NetworkIsolation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the command that starts a sandbox child JVM: the host's own {@code java} binary, a hard heap
 * cap, exit on out-of-memory, finalization disabled, JVM output kept off stdout (which carries frames),
 * no attach, the minimal class path, wrapped in the strongest OS isolation this machine allows, probed
 * once by starting a real JVM under it:
 * <ol>
 *   <li>{@link Isolation#OS_SANDBOX}: {@code prlimit} (CPU seconds, processes/threads, file size, open
 *       files, no core) then, when the host runs as root, {@code setpriv} to uid/gid 65534 with no groups
 *       and no new privileges, then {@code bwrap} with every namespace unshared, all capabilities dropped,
 *       read-only binds of the JDK, the system libraries, the child class path and the plugin jar, and an
 *       empty 16 MiB {@code /tmp} as the only writable place;</li>
 *   <li>{@link Isolation#NETWORK_NAMESPACE}: {@code unshare --net} (root) or
 *       {@code unshare --user --map-root-user --net};</li>
 *   <li>{@link Isolation#NONE}.</li>
 * </ol>
 * Thread-safe.
 */
final class ChildLauncher {

    private static final Logger log = LoggerFactory.getLogger(ChildLauncher.class);
    private static final List<List<String>> NAMESPACE_PREFIXES =
            List.of(List.of("--net", "--"), List.of("--user", "--map-root-user", "--net", "--"));
    /** Where the child class path and the plugin jar appear inside the OS sandbox. */
    private static final String INSIDE_CLASSES = "/nexus/classes";

    private static final String INSIDE_JAR = "/nexus/plugin.jar";
    private static final int NOBODY = 65534;
    private static final long TMP_BYTES = 16L << 20;
    private static final int MAX_PROCESSES = 256;
    private static final int MAX_OPEN_FILES = 256;

    /** One child's command line and where the plugin jar is, as the child sees it. */
    record Launch(List<String> command, String jarInChild) {}

    private final SandboxConfig config;
    private final Path classPath;
    private final CompletableFuture<?> classesReady;
    private final Path workDirectory;
    private final String java;
    private final Path javaHome;
    private List<String> prefix;
    private Isolation isolation;

    ChildLauncher(SandboxConfig config, Path classPath, Path workDirectory) {
        this(config, classPath, workDirectory, CompletableFuture.completedFuture(null));
    }

    /**
     * A launcher whose class path directory is still being written ({@code classesReady} completes once it
     * is): every command waits for it, and fails with its failure.
     */
    ChildLauncher(SandboxConfig config, Path classPath, Path workDirectory, CompletableFuture<?> classesReady) {
        this.classesReady = classesReady;
        this.config = config;
        this.classPath = classPath;
        this.workDirectory = workDirectory;
        this.java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        this.javaHome =
                Path.of(System.getProperty("java.home")).toAbsolutePath().normalize();
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
        if (isolation != Isolation.NONE) {
            log.warn("Sandbox isolation is not effective ({}); continuing without it", why);
            isolation = Isolation.NONE;
            prefix = List.of();
        }
    }

    /** Returns the full command line for one child JVM that will load {@code jar}. */
    synchronized Launch command(Path jar) {
        try {
            classesReady.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the sandbox child's class path could not be written", e.getCause());
        }
        isolation();
        return build(isolation, prefix, jar);
    }

    Path workDirectory() {
        return workDirectory;
    }

    private Launch build(Isolation level, List<String> namespacePrefix, Path jar) {
        boolean os = level == Isolation.OS_SANDBOX;
        String tmp = os ? "/tmp" : workDirectory.toString();
        List<String> command = new ArrayList<>(os ? osSandbox(jar) : namespacePrefix);
        command.addAll(List.of(
                os ? javaHome.resolve("bin/java").toString() : java,
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
                // Finalizers would run plugin code on a JVM thread after a call returned (issue 19).
                "--finalization=disabled",
                "-XX:ErrorFile=" + tmp + "/hs_err_%p.log",
                "-Djava.io.tmpdir=" + tmp,
                "-Dfile.encoding=UTF-8",
                "-cp",
                os ? INSIDE_CLASSES : classPath.toString(),
                SandboxChild.class.getName(),
                Integer.toString(config.maxOutputBytes())));
        return new Launch(
                List.copyOf(command), os ? INSIDE_JAR : jar.toAbsolutePath().toString());
    }

    /** prlimit, then setpriv to nobody when root, then bwrap: everything before the java binary. */
    private List<String> osSandbox(Path jar) {
        List<String> command = new ArrayList<>(List.of(
                executable("prlimit").orElseThrow().toString(),
                "--cpu=" + config.maxCpuSeconds(),
                "--nproc=" + MAX_PROCESSES,
                "--fsize=" + TMP_BYTES,
                "--nofile=" + MAX_OPEN_FILES,
                "--core=0",
                "--"));
        if (root()) {
            command.addAll(List.of(
                    executable("setpriv").orElseThrow().toString(),
                    "--reuid=" + NOBODY,
                    "--regid=" + NOBODY,
                    "--clear-groups",
                    "--no-new-privs",
                    "--"));
        }
        command.addAll(List.of(
                executable("bwrap").orElseThrow().toString(),
                "--unshare-all",
                "--die-with-parent",
                "--new-session",
                "--cap-drop",
                "ALL",
                "--ro-bind",
                javaHome.toString(),
                javaHome.toString()));
        for (String libraries : List.of("/usr/lib", "/usr/lib64", "/usr/lib32")) {
            if (Files.isDirectory(Path.of(libraries))) {
                command.addAll(List.of("--ro-bind", libraries, libraries));
            }
        }
        for (String link : List.of("lib", "lib64", "lib32")) {
            if (Files.isSymbolicLink(Path.of("/" + link))) {
                command.addAll(List.of("--symlink", "usr/" + link, "/" + link));
            } else if (Files.isDirectory(Path.of("/" + link))) {
                command.addAll(List.of("--ro-bind", "/" + link, "/" + link));
            }
        }
        command.addAll(List.of(
                "--ro-bind",
                classPath.toString(),
                INSIDE_CLASSES,
                "--ro-bind",
                jar.toAbsolutePath().toString(),
                INSIDE_JAR,
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--size",
                Long.toString(TMP_BYTES),
                "--tmpfs",
                "/tmp",
                "--remount-ro",
                "/",
                "--chdir",
                "/tmp",
                "--"));
        return command;
    }

    private void probe() {
        prefix = List.of();
        isolation = Isolation.NONE;
        if (config.isolationMode() == NetworkIsolation.OFF) {
            return;
        }
        if (probeOsSandbox()) {
            isolation = Isolation.OS_SANDBOX;
            return;
        }
        Optional<Path> unshare = executable("unshare");
        Optional<Path> trueCommand = executable("true");
        if (unshare.isEmpty() || trueCommand.isEmpty()) {
            log.warn("Sandbox: neither bwrap nor unshare(1) works here; sandboxed plugins run without OS isolation");
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
                log.warn("Sandbox: bwrap (Debian package bubblewrap) is missing or not permitted; child JVMs get only "
                        + "a network namespace (isolation network-namespace); approvers must accept that level");
                return;
            }
        }
        log.warn("Sandbox: no OS isolation is permitted here; sandboxed plugins run with isolation none");
    }

    /** Starts {@code java -version} under the full OS sandbox: the only honest test that it works here. */
    private boolean probeOsSandbox() {
        if (executable("bwrap").isEmpty()
                || executable("prlimit").isEmpty()
                || (root() && executable("setpriv").isEmpty())) {
            return false;
        }
        try {
            Path probeJar = Files.createTempFile(workDirectory, "probe", ".jar");
            readableByAll(probeJar);
            try {
                List<String> command = new ArrayList<>(osSandbox(probeJar));
                command.addAll(List.of(javaHome.resolve("bin/java").toString(), "-Xshare:auto", "-version"));
                return succeeds(command);
            } finally {
                Files.deleteIfExists(probeJar);
            }
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes a file or directory readable (and a directory traversable) by every user: the OS-sandboxed child
     * runs as nobody and bwrap binds these paths as that user. They hold only copies of public code.
     */
    static void readableByAll(Path path) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(
                    path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
        }
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean succeeds(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().clear();
            Process process = builder.start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
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
