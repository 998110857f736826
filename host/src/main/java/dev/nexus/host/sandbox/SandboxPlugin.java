package dev.nexus.host.sandbox;

import dev.nexus.host.plugins.PluginText;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An admitted sandboxed fitness plugin and its state. Immutable; changes produce a new value.
 *
 * @param sha256 the jar's SHA-256: the identity approvals and evolution evidence refer to
 * @param fileName the jar's file name when it was admitted
 * @param fitnessClass the implementation class named by the manifest
 * @param version the jar's {@code Implementation-Version}, if any
 * @param fitnessId what the plugin's {@code id()} returned, known once it has run
 * @param state pending approval, enabled or disabled
 * @param consecutiveFailures timeouts, crashes, errors, invalid outputs and threads or CPU left running after a
 *     call, since the count was last reset; it resets only after {@code clean-calls-to-reset} clean calls in a
 *     row (a decline is neither clean nor a failure), so failing every other call still adds up
 * @param reason why it was last disabled or why it last failed, if any
 * @param admittedAt when admission accepted it
 * @param changedAt when its state or failure count last changed
 * @param report the admission report
 * @param cleanCalls clean calls in a row since the last failure
 * @param acceptedIsolation the isolation level the approver accepted when enabling it, when that was weaker
 *     than the full OS sandbox; the plugin runs only while the machine gives at least that level
 */
public record SandboxPlugin(
        String sha256,
        String fileName,
        String fitnessClass,
        Optional<String> version,
        Optional<String> fitnessId,
        SandboxState state,
        int consecutiveFailures,
        Optional<String> reason,
        Instant admittedAt,
        Instant changedAt,
        AdmissionReport report,
        int cleanCalls,
        Optional<String> acceptedIsolation) {

    /** A plugin with no clean calls counted and no weaker isolation accepted. */
    public SandboxPlugin(
            String sha256,
            String fileName,
            String fitnessClass,
            Optional<String> version,
            Optional<String> fitnessId,
            SandboxState state,
            int consecutiveFailures,
            Optional<String> reason,
            Instant admittedAt,
            Instant changedAt,
            AdmissionReport report) {
        this(
                sha256,
                fileName,
                fitnessClass,
                version,
                fitnessId,
                state,
                consecutiveFailures,
                reason,
                admittedAt,
                changedAt,
                report,
                0,
                Optional.empty());
    }

    /** Requires every component. */
    public SandboxPlugin {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(fitnessClass, "fitnessClass");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(fitnessId, "fitnessId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(admittedAt, "admittedAt");
        Objects.requireNonNull(changedAt, "changedAt");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(acceptedIsolation, "acceptedIsolation");
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException("consecutiveFailures must be >= 0, got " + consecutiveFailures);
        }
    }

    /**
     * Returns a short name for messages and logs: the bound fitness id (always {@code [a-z0-9-]}) when known,
     * else the file name quoted as plugin text, with a hash prefix.
     */
    public String label() {
        return fitnessId.orElseGet(() -> PluginText.quote(fileName, 80)) + " ("
                + sha256.substring(0, Math.min(12, sha256.length())) + ")";
    }

    SandboxPlugin withState(SandboxState newState, Optional<String> newReason, Instant at) {
        boolean enabling = newState == SandboxState.ENABLED;
        return new SandboxPlugin(
                sha256,
                fileName,
                fitnessClass,
                version,
                fitnessId,
                newState,
                enabling ? 0 : consecutiveFailures,
                newReason,
                admittedAt,
                at,
                report,
                enabling ? 0 : cleanCalls,
                acceptedIsolation);
    }

    SandboxPlugin withAcceptedIsolation(Optional<String> level) {
        return new SandboxPlugin(
                sha256,
                fileName,
                fitnessClass,
                version,
                fitnessId,
                state,
                consecutiveFailures,
                reason,
                admittedAt,
                changedAt,
                report,
                cleanCalls,
                level);
    }

    SandboxPlugin withFailure(String failure, Instant at) {
        return new SandboxPlugin(
                sha256,
                fileName,
                fitnessClass,
                version,
                fitnessId,
                state,
                consecutiveFailures + 1,
                Optional.of(failure),
                admittedAt,
                at,
                report,
                0,
                acceptedIsolation);
    }

    /** A clean call: the failure count resets once {@code cleanCallsToReset} clean calls came in a row. */
    SandboxPlugin withSuccess(Instant at, int cleanCallsToReset) {
        if (consecutiveFailures == 0) {
            return this;
        }
        int clean = cleanCalls + 1;
        return clean >= cleanCallsToReset
                ? new SandboxPlugin(
                        sha256,
                        fileName,
                        fitnessClass,
                        version,
                        fitnessId,
                        state,
                        0,
                        reason,
                        admittedAt,
                        at,
                        report,
                        0,
                        acceptedIsolation)
                : new SandboxPlugin(
                        sha256,
                        fileName,
                        fitnessClass,
                        version,
                        fitnessId,
                        state,
                        consecutiveFailures,
                        reason,
                        admittedAt,
                        at,
                        report,
                        clean,
                        acceptedIsolation);
    }

    SandboxPlugin withFitnessId(String id) {
        return new SandboxPlugin(
                sha256,
                fileName,
                fitnessClass,
                version,
                Optional.of(id),
                state,
                consecutiveFailures,
                reason,
                admittedAt,
                changedAt,
                report,
                cleanCalls,
                acceptedIsolation);
    }
}
