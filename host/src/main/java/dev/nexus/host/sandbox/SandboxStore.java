package dev.nexus.host.sandbox;

import java.util.List;
import java.util.Optional;

/**
 * Where admitted sandboxed plugins and their states are kept. Implementations are thread-safe; each
 * method is atomic on its own.
 */
interface SandboxStore {

    Optional<SandboxPlugin> find(String sha256);

    /** Returns every admitted plugin, oldest admission first. */
    List<SandboxPlugin> all();

    /** Adds a newly admitted plugin; returns false (and changes nothing) when its hash is already known. */
    boolean insert(SandboxPlugin plugin);

    /** Replaces the stored plugin with the same hash. */
    void update(SandboxPlugin plugin);

    /** Returns the stored refusal of the jar with this hash, if it was refused. */
    Optional<AdmissionReport> refusal(String sha256);

    /** Remembers a refusal by its hash (replacing an earlier one, e.g. judged by an older policy). */
    void refuse(AdmissionReport report, java.time.Instant at);
}
