package dev.nexus.host.sandbox;

import dev.nexus.api.evolution.FitnessFunction;
import dev.nexus.api.evolution.FitnessResult;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main class of the sandbox child JVM: serves one plugin over framed JSON on stdin/stdout.
 *
 * <p>Trusted code, started by the host with a minimal class path (this package's child classes, the
 * fitness API and {@code org.pf4j.ExtensionPoint}, nothing else). Before any plugin code runs it keeps
 * the real stdout for frames and points {@code System.out}/{@code System.err} at a capped sink, so a
 * plugin that prints cannot corrupt the protocol or flood the host. Requests: {@code load} (verify the
 * admitted jar's SHA-256, define its classes in a {@link PluginLoader}, instantiate the class named by
 * the manifest) and {@code score}. Every reply echoes the request's {@code n}. Confined to its main thread.
 */
final class SandboxChild {

    private static final int MAX_REQUEST_BYTES = 32 << 20;
    private static final int MAX_JAR_BYTES = 64 << 20;
    private static final int PRINT_BUDGET = 16 << 10;
    private static final int MAX_ERROR_CHARS = 500;

    private final OutputStream frames;
    private final InputStream requests;
    private final int maxOutputBytes;
    private static final int CPU_WINDOW_MILLIS = 10;

    private FitnessFunction fitness;
    private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    private final java.util.Set<Long> threadsBefore = new java.util.HashSet<>();

    private SandboxChild(OutputStream frames, InputStream requests, int maxOutputBytes) {
        this.frames = frames;
        this.requests = requests;
        this.maxOutputBytes = maxOutputBytes;
    }

    /** {@code args[0]}: the largest reply frame, in bytes. */
    public static void main(String[] args) throws IOException {
        OutputStream frames = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
        InputStream requests = new BufferedInputStream(new FileInputStream(FileDescriptor.in));
        PrintStream sink = new PrintStream(
                new CappedSink(new FileOutputStream(FileDescriptor.err), PRINT_BUDGET), true, StandardCharsets.UTF_8);
        System.setOut(sink);
        System.setErr(sink);
        System.setIn(InputStream.nullInputStream());
        new SandboxChild(frames, requests, Integer.parseInt(args[0])).serve();
    }

    private void serve() throws IOException {
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("ready", Boolean.TRUE);
        ready.put("nonLoopbackInterfaces", (long) nonLoopbackInterfaces());
        Frames.write(frames, WireJson.write(ready));
        while (true) {
            String request;
            try {
                request = Frames.read(requests, MAX_REQUEST_BYTES);
            } catch (EOFException e) {
                return;
            }
            Frames.write(frames, bounded(handle(request)));
        }
    }

    private Map<String, Object> handle(String frame) {
        Map<String, Object> reply = new LinkedHashMap<>();
        Object n = null;
        try {
            Map<?, ?> request = (Map<?, ?>) WireJson.read(frame);
            n = request.get("n");
            switch (String.valueOf(request.get("op"))) {
                case "load" ->
                    reply.put("id", load((String) request.get("jar"), (String) request.get("sha256"), (String)
                            request.get("className")));
                case "score" -> score((Map<?, ?>) request.get("request"), reply);
                default -> throw new IllegalArgumentException("unknown op " + request.get("op"));
            }
            reply.put("ok", Boolean.TRUE);
        } catch (Throwable t) {
            reply.clear();
            reply.put("ok", Boolean.FALSE);
            reply.put("error", describe(t));
        }
        String lingering = lingering();
        if (lingering != null) {
            reply.put("lingering", lingering);
        }
        reply.put("n", n);
        return reply;
    }

    /**
     * Marks the threads alive just before plugin code runs: whatever is alive after it returned and is not
     * in this set was started by the plugin (or by the JDK on its behalf: a parallel stream's pool, a
     * virtual thread's carrier).
     */
    private void markThreads() {
        threadsBefore.clear();
        for (long id : threads.getAllThreadIds()) {
            threadsBefore.add(id);
        }
    }

    /**
     * Returns what plugin code left running after it returned, or null: threads that were not alive before
     * it ran, or CPU still burning on any thread but this one over a short window (a finalizer or a pool
     * thread that spins). Only called after {@link #markThreads()}.
     */
    private String lingering() {
        if (threadsBefore.isEmpty()) {
            return null;
        }
        long self = Thread.currentThread().threadId();
        java.util.List<String> stray = new java.util.ArrayList<>();
        for (long id : threads.getAllThreadIds()) {
            if (id != self && !threadsBefore.contains(id)) {
                java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
                if (info != null) {
                    stray.add(info.getThreadName());
                }
            }
        }
        threadsBefore.clear();
        if (!stray.isEmpty()) {
            return stray.size() + " thread(s) still alive after the call: "
                    + String.join(", ", stray.subList(0, Math.min(5, stray.size())));
        }
        long before = otherThreadsCpuNanos(self);
        try {
            Thread.sleep(CPU_WINDOW_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long burnt = otherThreadsCpuNanos(self) - before;
        if (burnt > CPU_WINDOW_MILLIS * 1_000_000L * 3 / 10) {
            return "CPU still in use after the call: " + burnt / 1_000_000 + " ms in a " + CPU_WINDOW_MILLIS
                    + " ms window";
        }
        return null;
    }

    private long otherThreadsCpuNanos(long self) {
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            if (id != self) {
                long cpu = threads.getThreadCpuTime(id);
                total += Math.max(0, cpu);
            }
        }
        return total;
    }

    private String load(String jar, String sha256, String className) throws Exception {
        if (fitness != null) {
            throw new IllegalStateException("a plugin is already loaded in this child");
        }
        Path path = Path.of(jar);
        if (Files.size(path) > MAX_JAR_BYTES) {
            throw new IllegalArgumentException("jar is larger than " + MAX_JAR_BYTES + " bytes");
        }
        byte[] bytes = Files.readAllBytes(path);
        if (!JarContents.sha256(bytes).equals(sha256)) {
            throw new IllegalStateException("jar " + jar + " no longer has the admitted SHA-256 " + sha256);
        }
        Map<String, byte[]> classes = new HashMap<>();
        for (Map.Entry<String, byte[]> entry : JarContents.read(bytes).entries().entrySet()) {
            String name = entry.getKey();
            if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
                classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), entry.getValue());
            }
        }
        PluginLoader loader = new PluginLoader(classes, SandboxChild.class.getClassLoader());
        markThreads();
        Class<? extends FitnessFunction> type =
                Class.forName(className, false, loader).asSubclass(FitnessFunction.class);
        fitness = type.getConstructor().newInstance();
        String id = fitness.id();
        if (id == null) {
            throw new IllegalStateException("id() returned null");
        }
        return id;
    }

    private void score(Map<?, ?> request, Map<String, Object> reply) {
        if (fitness == null) {
            throw new IllegalStateException("no plugin is loaded");
        }
        var decoded = RequestCodec.decode(request);
        markThreads();
        FitnessResult result = fitness.score(decoded);
        switch (result) {
            case null -> throw new IllegalStateException("score returned null");
            case FitnessResult.Scores scores -> reply.put("scores", scores.values());
            case FitnessResult.Declined declined -> reply.put("declined", String.valueOf(declined.reason()));
        }
    }

    /** Replaces a reply over the output limit with an error, so the host never has to read it. */
    private String bounded(Map<String, Object> reply) {
        String json = WireJson.write(reply);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= maxOutputBytes) {
            return json;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("ok", Boolean.FALSE);
        error.put("error", "output too large: " + bytes + " bytes, the limit is " + maxOutputBytes);
        error.put("outputTooLarge", Boolean.TRUE);
        error.put("n", reply.get("n"));
        return WireJson.write(error);
    }

    /** Describes a plugin failure without trusting it: its message is plugin code and may throw. */
    private static String describe(Throwable thrown) {
        Throwable t = thrown instanceof InvocationTargetException wrapper && wrapper.getCause() != null
                ? wrapper.getCause()
                : thrown;
        String message;
        try {
            message = String.valueOf(t.getMessage());
        } catch (Throwable inner) {
            message = "(message unavailable: " + inner.getClass().getName() + ")";
        }
        String text = t.getClass().getName() + ": " + message;
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "…";
    }

    private static int nonLoopbackInterfaces() {
        try {
            return (int) NetworkInterface.networkInterfaces()
                    .filter(i -> {
                        try {
                            return !i.isLoopback();
                        } catch (SocketException e) {
                            return true;
                        }
                    })
                    .count();
        } catch (SocketException e) {
            // The JDK reports an empty interface list (a fresh network namespace) this way.
            return String.valueOf(e.getMessage()).contains("No network interfaces") ? 0 : -1;
        }
    }

    /** Forwards the first {@code budget} bytes a plugin prints to the child's stderr, then discards. */
    private static final class CappedSink extends OutputStream {
        private final OutputStream target;
        private long left;

        CappedSink(OutputStream target, long budget) {
            this.target = target;
            this.left = budget;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            if (left > 0) {
                left--;
                target.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, left);
            if (n > 0) {
                left -= n;
                target.write(b, off, n);
            }
        }
    }
}
