package dev.nexus.host.sandbox;

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
 * @param consecutiveFailures timeouts, crashes, errors and invalid outputs since the last good call
 * @param reason why it was last disabled or why it last failed, if any
 * @param admittedAt when admission accepted it
 * @param changedAt when its state or failure count last changed
 * @param report the admission report
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
        AdmissionReport report) {

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
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException("consecutiveFailures must be >= 0, got " + consecutiveFailures);
        }
    }

    /** Returns a short name for messages: the fitness id when known, else the file name, with a hash prefix. */
    public String label() {
        return fitnessId.orElse(fileName) + " (" + sha256.substring(0, Math.min(12, sha256.length())) + ")";
    }

    SandboxPlugin withState(SandboxState newState, Optional<String> newReason, Instant at) {
        return new SandboxPlugin(sha256, fileName, fitnessClass, version, fitnessId, newState,
                newState == SandboxState.ENABLED ? 0 : consecutiveFailures, newReason, admittedAt, at, report);
    }

    SandboxPlugin withFailure(String failure, Instant at) {
        return new SandboxPlugin(sha256, fileName, fitnessClass, version, fitnessId, state, consecutiveFailures + 1,
                Optional.of(failure), admittedAt, at, report);
    }

    SandboxPlugin withSuccess(Instant at) {
        return consecutiveFailures == 0 ? this : new SandboxPlugin(sha256, fileName, fitnessClass, version, fitnessId,
                state, 0, reason, admittedAt, at, report);
    }

    SandboxPlugin withFitnessId(String id) {
        return new SandboxPlugin(sha256, fileName, fitnessClass, version, Optional.of(id), state, consecutiveFailures,
                reason, admittedAt, changedAt, report);
    }
}
