package dev.nexus.host.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link SandboxStore} in memory: states are lost at restart (plugins return as pending approval).
 * Used until the database-backed store is wired. Thread-safe.
 */
final class InMemorySandboxStore implements SandboxStore {

    private final Map<String, SandboxPlugin> plugins = new LinkedHashMap<>();
    private final Map<String, AdmissionReport> refusals = new LinkedHashMap<>();

    @Override
    public synchronized Optional<AdmissionReport> refusal(String sha256) {
        return Optional.ofNullable(refusals.get(sha256));
    }

    @Override
    public synchronized void refuse(AdmissionReport report, java.time.Instant at) {
        refusals.put(report.sha256(), report);
    }

    @Override
    public synchronized Optional<SandboxPlugin> find(String sha256) {
        return Optional.ofNullable(plugins.get(sha256));
    }

    @Override
    public synchronized List<SandboxPlugin> all() {
        return List.copyOf(new ArrayList<>(plugins.values()));
    }

    @Override
    public synchronized boolean insert(SandboxPlugin plugin) {
        return plugins.putIfAbsent(plugin.sha256(), plugin) == null;
    }

    @Override
    public synchronized void update(SandboxPlugin plugin) {
        if (plugins.replace(plugin.sha256(), plugin) == null) {
            throw new IllegalStateException("no stored sandbox plugin " + plugin.sha256());
        }
    }
}
