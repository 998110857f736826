package dev.nexus.host.sandbox;

import dev.nexus.api.evolution.FitnessRequest;
import dev.nexus.host.plugins.PluginText;
import dev.nexus.host.sandbox.SandboxConfig.NetworkIsolation;
import dev.nexus.host.sandbox.ScoreOutcome.Failed;
import dev.nexus.host.sandbox.ScoreOutcome.Kind;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one enabled plugin in its own reusable child JVM: starts the child and loads the plugin on
 * first use (and again after the child was killed or died), sends score calls, and validates every
 * reply on the host: exactly one finite score in [0, 1] per candidate. Failures come back as
 * {@link Failed} values (never with {@code disabled} set; the sandbox decides that). One child per
 * plugin, so a plugin that exhausts its heap or hangs takes down only itself. Thread-safe: calls are
 * serialised.
 */
final class PluginRunner implements AutoCloseable {

    private static final int FRAME_SLACK = 4096;

    private final SandboxConfig config;
    private final ChildLauncher launcher;
    private final Path jar;
    private final String sha256;
    private final String fitnessClass;
    private String label;
    private ChildJvm child;
    private String fitnessId;
    private boolean retired;

    PluginRunner(SandboxConfig config, ChildLauncher launcher, Path jar, SandboxPlugin plugin) {
        this.config = config;
        this.launcher = launcher;
        this.jar = jar;
        this.sha256 = plugin.sha256();
        this.fitnessClass = plugin.fitnessClass();
        this.label = plugin.label();
    }

    /** Returns the plugin's {@code id()}, once it has been loaded. */
    synchronized Optional<String> fitnessId() {
        return Optional.ofNullable(fitnessId);
    }

    /** Scores {@code request}; never throws for anything the plugin or its JVM does. */
    synchronized ScoreOutcome score(FitnessRequest request) {
        if (retired) {
            // A call that raced with disabling: never start a child for a plugin that was just stopped.
            return new Failed(Kind.NOT_ENABLED, label + " was stopped", false);
        }
        try {
            if (child == null || !child.alive()) {
                Optional<Failed> notStarted = start();
                if (notStarted.isPresent()) {
                    return notStarted.get();
                }
            }
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("op", "score");
            call.put("request", RequestCodec.encode(request));
            return validate(
                    child.call(call, config.callTimeout()), request.candidates().size());
        } catch (ChildJvm.Failed e) {
            child = null;
            Kind kind = switch (e.trouble()) {
                case TIMEOUT -> Kind.TIMEOUT;
                case CRASH, PROTOCOL -> Kind.CRASH;
                case INTERRUPTED -> Kind.UNAVAILABLE;
            };
            return new Failed(kind, label + ": " + e.getMessage(), false);
        }
    }

    /** Stops the child for good: later calls fail as not enabled instead of starting a new one. */
    synchronized void retire() {
        retired = true;
        close();
    }

    /** Stops the child; the next call starts a new one. */
    @Override
    public synchronized void close() {
        if (child != null) {
            child.close();
            child = null;
        }
    }

    private Optional<Failed> start() throws ChildJvm.Failed {
        close();
        ChildLauncher.Launch launch = launcher.command(jar);
        child = ChildJvm.start(
                launch.command(),
                launcher.workDirectory(),
                config.maxHeap(),
                config.maxOutputBytes() + FRAME_SLACK,
                config.startTimeout());
        if (launcher.isolation() != Isolation.NONE && child.nonLoopbackInterfaces() != 0) {
            launcher.downgrade("a child saw " + child.nonLoopbackInterfaces() + " non-loopback network interfaces");
            if (config.isolationMode() == NetworkIsolation.REQUIRED) {
                close();
                return Optional.of(new Failed(
                        Kind.UNAVAILABLE,
                        label + ": network isolation is required but not effective on this machine",
                        false));
            }
        }
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("op", "load");
        load.put("jar", launch.jarInChild());
        load.put("sha256", sha256);
        load.put("className", fitnessClass);
        Map<?, ?> reply = child.call(load, config.startTimeout());
        Optional<Failed> lingering = lingering(reply);
        if (lingering.isPresent()) {
            return lingering;
        }
        if (!Boolean.TRUE.equals(reply.get("ok"))) {
            close();
            return Optional.of(
                    new Failed(Kind.ERROR, label + " could not be loaded: " + text(reply.get("error")), false));
        }
        Object id = reply.get("id");
        if (!(id instanceof String s) || !s.matches("[a-z0-9-]{1,64}")) {
            close();
            return Optional.of(new Failed(
                    Kind.INVALID_OUTPUT, label + ": id() must return 1 to 64 of [a-z0-9-], got " + text(id), false));
        }
        fitnessId = s;
        label = s + " (" + sha256.substring(0, Math.min(12, sha256.length())) + ")";
        return Optional.empty();
    }

    /**
     * The child reports threads still alive, or CPU still burning, after plugin code returned: whatever the
     * plugin's answer, the child is killed (the next call starts a fresh one) and the call is a failure.
     */
    private Optional<Failed> lingering(Map<?, ?> reply) {
        if (reply.get("lingering") instanceof String what) {
            close();
            return Optional.of(new Failed(
                    Kind.LINGERING,
                    label + " left work running after its call returned (" + text(what) + "); the child JVM was killed",
                    false));
        }
        return Optional.empty();
    }

    /** Checks a score reply: one finite score in [0, 1] per candidate, or a decline. */
    private ScoreOutcome validate(Map<?, ?> reply, int candidates) {
        Optional<Failed> lingering = lingering(reply);
        if (lingering.isPresent()) {
            return lingering.get();
        }
        if (!Boolean.TRUE.equals(reply.get("ok"))) {
            Kind kind = Boolean.TRUE.equals(reply.get("outputTooLarge")) ? Kind.INVALID_OUTPUT : Kind.ERROR;
            return new Failed(kind, label + (kind == Kind.ERROR ? " threw " : ": ") + text(reply.get("error")), false);
        }
        if (reply.get("declined") instanceof String reason) {
            return new ScoreOutcome.Declined(JarContents.cap(reason, 300));
        }
        if (!(reply.get("scores") instanceof List<?> scores)) {
            return invalid("the reply has neither scores nor a decline");
        }
        if (scores.size() != candidates) {
            return invalid("expected " + candidates + " scores (one per candidate), got " + scores.size());
        }
        double[] values = new double[candidates];
        for (int i = 0; i < candidates; i++) {
            Object score = scores.get(i);
            if (!(score instanceof Number number) || !Double.isFinite(number.doubleValue())) {
                return invalid("score " + i + " is not a finite number: " + text(score));
            }
            values[i] = number.doubleValue();
            if (values[i] < 0 || values[i] > 1) {
                return invalid("score " + i + " is " + values[i] + ", outside [0, 1]");
            }
        }
        return new ScoreOutcome.Scored(values);
    }

    private Failed invalid(String why) {
        return new Failed(Kind.INVALID_OUTPUT, label + " returned invalid output: " + why, false);
    }

    /** Plugin-controlled text (ids, messages), escaped, capped and marked for logs and HTTP responses. */
    private static String text(Object value) {
        return PluginText.quote(String.valueOf(value), 300);
    }
}
