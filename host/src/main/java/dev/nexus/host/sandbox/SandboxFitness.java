package dev.nexus.host.sandbox;

import dev.nexus.api.evolution.FitnessRequest;
import dev.nexus.api.evolution.FitnessResult;
import dev.nexus.host.DependencyException;
import dev.nexus.host.evolution.ExternalFitness;
import java.util.Locale;

/**
 * An enabled sandboxed plugin as evolution sees it: an {@link ExternalFitness} whose scores come from
 * the plugin's child JVM through {@link FitnessSandbox#score}. A sandbox failure (timeout, crash,
 * invalid output, plugin error, plugin disabled meanwhile) is thrown as a {@link DependencyException}
 * naming it, so the run leaves the function out and its evidence says why. Thread-safe.
 */
final class SandboxFitness implements ExternalFitness {

    private final FitnessSandbox sandbox;
    private final SandboxPlugin plugin;

    SandboxFitness(FitnessSandbox sandbox, SandboxPlugin plugin) {
        this.sandbox = sandbox;
        this.plugin = plugin;
    }

    /** Returns the plugin's own {@code id()} once it has run, else its jar's file name. */
    @Override
    public String id() {
        return sandbox.plugin(plugin.sha256())
                .flatMap(SandboxPlugin::fitnessId)
                .orElse(plugin.fitnessId().orElse(plugin.fileName()));
    }

    @Override
    public String version() {
        return plugin.version().orElse("unknown");
    }

    @Override
    public String sha256() {
        return plugin.sha256();
    }

    @Override
    public FitnessResult score(FitnessRequest request) {
        return switch (sandbox.score(plugin.sha256(), request)) {
            case ScoreOutcome.Scored scored -> new FitnessResult.Scores(scored.values());
            case ScoreOutcome.Declined declined -> new FitnessResult.Declined(declined.reason());
            case ScoreOutcome.Failed failed ->
                throw new DependencyException(
                        "sandbox "
                                + failed.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": "
                                + failed.reason()
                                + (failed.disabled() ? " (now disabled)" : ""),
                        failed.kind() == ScoreOutcome.Kind.TIMEOUT,
                        null);
        };
    }

    @Override
    public String toString() {
        return "sandboxed " + plugin.label();
    }
}
