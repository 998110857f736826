package dev.nexus.host.evolution;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One evolution run as the API shows it. Immutable.
 *
 * @param id the run id
 * @param personality the personality evolved
 * @param state {@code queued}, {@code running}, {@code succeeded} or {@code failed}
 * @param seed the seed (replaying with it and the same feedback gives the same proposal)
 * @param generations generations
 * @param population candidates per generation
 * @param trustRadius the largest change of one trait
 * @param trigger {@code api} or {@code schedule}
 * @param requestedBy the key id that asked, or {@code system:evolution} for scheduled runs
 * @param feedbackCount feedback events on the personality when the run was asked for
 * @param progress best and mean fitness per finished generation
 * @param outcome the engine's outcome (proposed values, diff, fitness, evidence), once succeeded
 * @param proposal the proposal it made, when it found an improvement
 * @param error why it failed
 * @param createdAt when it was asked for
 * @param finishedAt when it ended
 */
public record EvolutionRun(
        String id,
        String personality,
        String state,
        long seed,
        int generations,
        int population,
        double trustRadius,
        String trigger,
        String requestedBy,
        int feedbackCount,
        List<GenerationStats> progress,
        Optional<Map<String, Object>> outcome,
        Optional<String> proposal,
        Optional<String> error,
        Instant createdAt,
        Optional<Instant> finishedAt) {

    /** Copies the progress. */
    public EvolutionRun {
        progress = List.copyOf(progress);
    }

    EvolutionRun withProgress(List<GenerationStats> live) {
        return new EvolutionRun(
                id,
                personality,
                state,
                seed,
                generations,
                population,
                trustRadius,
                trigger,
                requestedBy,
                feedbackCount,
                live,
                outcome,
                proposal,
                error,
                createdAt,
                finishedAt);
    }
}
