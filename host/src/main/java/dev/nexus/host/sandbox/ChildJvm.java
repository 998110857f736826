package dev.nexus.host.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One running sandbox child JVM, seen from the host: framed JSON requests in, replies out, each call
 * bounded by a wall-clock deadline after which the process is killed. A reader (virtual) thread turns
 * stdout into replies, so a child that stops answering never blocks the caller past its deadline; a
 * second one keeps the last few KiB of stderr for failure messages. Thread-safe: calls are serialised.
 */
final class ChildJvm implements AutoCloseable {

    /** What went wrong with the child, as opposed to with the plugin's answer. */
    enum Trouble {
        TIMEOUT,
        CRASH,
        PROTOCOL,
        INTERRUPTED
    }

    /** The child did not answer properly; it has been killed. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        private final Trouble trouble;

        Failed(Trouble trouble, String message) {
            super(message);
            this.trouble = trouble;
        }

        Trouble trouble() {
            return trouble;
        }
    }

    private static final Object END = new Object();
    private static final int STDERR_TAIL = 4096;

    private record Violation(String message) {}

    private final Process process;
    private final String heap;
    private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private final StderrTail stderr;
    private final Thread stderrReader;
    private long sequence;
    private int nonLoopbackInterfaces;

    private ChildJvm(Process process, String heap, int maxFrameBytes) {
        this.process = process;
        this.heap = heap;
        this.stderr = new StderrTail(process.getErrorStream());
        this.stderrReader =
                Thread.ofVirtual().name("sandbox-child-stderr-" + process.pid()).start(stderr);
        Thread.ofVirtual().name("sandbox-child-stdout-" + process.pid()).start(() -> readReplies(maxFrameBytes));
    }

    /** Starts a child with {@code command} in {@code workDirectory} and waits for its ready frame. */
    static ChildJvm start(List<String> command, Path workDirectory, String heap, int maxFrameBytes, Duration timeout)
            throws Failed {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile());
        // No environment: the host's secrets (API keys, database URLs) must not reach plugin code.
        builder.environment().clear();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new Failed(Trouble.CRASH, "cannot start the sandbox child JVM: " + e.getMessage());
        }
        ChildJvm child = new ChildJvm(process, heap, maxFrameBytes);
        Object ready = child.await(timeout, "start");
        if (!(ready instanceof Map<?, ?> map) || !Boolean.TRUE.equals(map.get("ready"))) {
            child.close();
            throw new Failed(Trouble.PROTOCOL, "the sandbox child did not say it was ready");
        }
        child.nonLoopbackInterfaces = map.get("nonLoopbackInterfaces") instanceof Long n ? n.intValue() : -1;
        return child;
    }

    /** Returns how many non-loopback network interfaces the child saw at start ({@code -1}: unknown). */
    int nonLoopbackInterfaces() {
        return nonLoopbackInterfaces;
    }

    /** Sends {@code request} (a fresh {@code n} is added) and returns the matching reply. */
    synchronized Map<?, ?> call(Map<String, Object> request, Duration timeout) throws Failed {
        long n = ++sequence;
        request.put("n", n);
        String json = WireJson.write(request);
        OutputStream stdin = process.getOutputStream();
        // Written off the caller's thread: a child that stops reading must not block us past the deadline.
        Thread.ofVirtual().start(() -> {
            try {
                Frames.write(stdin, json);
            } catch (IOException e) {
                // The reader sees the child's death and reports it.
            }
        });
        Object reply = await(timeout, String.valueOf(request.get("op")));
        if (!(reply instanceof Map<?, ?> map) || !(map.get("n") instanceof Long echoed) || echoed != n) {
            close();
            throw new Failed(Trouble.PROTOCOL, "the sandbox child answered out of turn");
        }
        return map;
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Object await(Duration timeout, String what) throws Failed {
        Object reply;
        try {
            reply = replies.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new Failed(Trouble.INTERRUPTED, "interrupted while waiting for the sandbox child");
        }
        if (reply == null) {
            close();
            throw new Failed(
                    Trouble.TIMEOUT,
                    "no reply to '" + what + "' within " + timeout.toMillis() + " ms; the child JVM was killed");
        }
        if (reply == END) {
            throw new Failed(Trouble.CRASH, "the child JVM died during '" + what + "': " + death());
        }
        if (reply instanceof Violation violation) {
            close();
            throw new Failed(
                    Trouble.PROTOCOL, "the child JVM broke the protocol: " + violation.message() + "; it was killed");
        }
        return reply;
    }

    private String death() {
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                close();
                return "it closed its output and was killed";
            }
            stderrReader.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String tail = stderr.tail();
        if (tail.contains("OutOfMemoryError")) {
            return "it ran out of memory (heap cap " + heap + ")";
        }
        String last = tail.strip().lines().reduce((a, b) -> b).orElse("");
        return "exit code " + process.exitValue()
                + (last.isEmpty() ? "" : ", last error output: " + JarContents.cap(last, 200));
    }

    private void readReplies(int maxFrameBytes) {
        InputStream stdout = process.getInputStream();
        try {
            while (true) {
                replies.add(WireJson.read(Frames.read(stdout, maxFrameBytes)));
            }
        } catch (EOFException e) {
            replies.add(END);
        } catch (IOException | WireJson.Malformed e) {
            process.destroyForcibly();
            replies.add(new Violation(e.getMessage()));
        }
    }

    /** Drains stderr, keeping only the last few KiB. */
    private static final class StderrTail implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        StderrTail(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[4096];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    keep(buffer, n);
                }
            } catch (IOException e) {
                // The process is gone; what we kept is all there is.
            }
        }

        private synchronized void keep(byte[] buffer, int n) {
            kept.write(buffer, 0, n);
            if (kept.size() > 2 * STDERR_TAIL) {
                byte[] all = kept.toByteArray();
                kept.reset();
                kept.write(all, all.length - STDERR_TAIL, STDERR_TAIL);
            }
        }

        synchronized String tail() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}
