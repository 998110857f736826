package dev.nexus.host.evolution;

import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.EliteSelector;
import io.jenetics.Genotype;
import io.jenetics.Phenotype;
import io.jenetics.TournamentSelector;
import io.jenetics.engine.Engine;
import io.jenetics.engine.Evaluator;
import io.jenetics.engine.EvolutionResult;
import io.jenetics.engine.EvolutionStart;
import io.jenetics.util.DoubleRange;
import io.jenetics.util.Factory;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.random.RandomGeneratorFactory;

/**
 * Evolves a personality's traits from feedback: a genetic search (Jenetics) over the evolvable traits,
 * inside a trust region around the current values, for the vector with the best predicted
 * satisfaction. Immutable and thread-safe; one run is confined to the calling thread.
 *
 * <p>Reproducible: the same request (seed, evidence, sizes, external functions' answers) gives the
 * same outcome. The run uses its own seeded random generator through {@link RandomRegistry} and
 * evaluates on the calling thread (Jenetics' default executor is a shared pool whose scheduling
 * would make runs differ).
 *
 * <p>Fitness (see {@link RunFitness}): the {@link RatingSurrogate rating surrogate} minus the
 * {@link CritiqueModel critique} penalty plus the weighted external scores; the search also adds an
 * exploration bonus for candidates the ratings say little about. A run proposes a change only when
 * the best candidate beats the current vector on that objective.
 */
public final class EvolutionEngine {

    /** The smallest objective gain (in rating units) worth a person's review, overall and per trait. */
    private static final double MIN_GAIN = 1e-3;

    /** Runs one evolution; never changes anything itself (the outcome becomes a proposal). */
    public EvolutionOutcome evolve(EvolutionRequest request) {
        return evolve(request, generation -> {});
    }

    /**
     * Runs one evolution, telling {@code progress} about each finished generation (on the calling
     * thread; a rerun after an external function failed starts the count again).
     */
    public EvolutionOutcome evolve(EvolutionRequest request, java.util.function.Consumer<GenerationStats> progress) {
        TraitSpace space = TraitSpace.of(request.traits(), request.trustRadius());
        List<WeightedFitness> active = new ArrayList<>(request.external());
        Map<WeightedFitness, String> leftOut = new LinkedHashMap<>();
        while (true) {
            try {
                return run(request, space, active, leftOut, progress);
            } catch (RunFitness.ExternalFailure failure) {
                // Leave the function out and start again: every candidate must be judged alike.
                active.remove(failure.function);
                leftOut.put(failure.function, failure.getMessage());
            }
        }
    }

    private static EvolutionOutcome run(
            EvolutionRequest request,
            TraitSpace space,
            List<WeightedFitness> active,
            Map<WeightedFitness, String> leftOut,
            java.util.function.Consumer<GenerationStats> progress) {
        RatingSurrogate ratings =
                RatingSurrogate.fit(space.names(), space.center(), request.evidence(), request.tuning());
        CritiqueModel critiques = CritiqueModel.fit(
                space.names(), space.center(), space.min(), space.max(), request.evidence(), request.tuning());
        RunFitness fitness = new RunFitness(request, space, ratings, critiques, active);
        double[] current = space.center();
        List<GenerationStats> stats = new ArrayList<>();
        double[] best = space.dimensions() == 0
                ? current
                : RandomRegistry.with(
                        RandomGeneratorFactory.of("L64X128MixRandom").create(request.seed()),
                        random -> search(request, space, fitness, generation -> {
                            stats.add(generation);
                            progress.accept(generation);
                        }));
        double[] proposed = sparse(fitness, current, space.tidy(best));
        double[] objective = fitness.objective(List.of(current, proposed));
        if (objective[1] <= objective[0] + MIN_GAIN) {
            proposed = current;
        }
        double[] exploit = fitness.exploit(List.of(current, proposed));
        return outcome(request, space, ratings, fitness, current, proposed, exploit, stats, leftOut);
    }

    /** Puts back every trait whose change gains less than {@link #MIN_GAIN}: proposals stay small and readable. */
    private static double[] sparse(RunFitness fitness, double[] current, double[] proposed) {
        double[] result = proposed.clone();
        double value = fitness.objective(List.of(result))[0];
        for (int i = 0; i < result.length; i++) {
            if (result[i] == current[i]) {
                continue;
            }
            double[] without = result.clone();
            without[i] = current[i];
            double reduced = fitness.objective(List.of(without))[0];
            if (reduced >= value - MIN_GAIN) {
                result = without;
                value = reduced;
            }
        }
        return result;
    }

    private static double[] search(
            EvolutionRequest request,
            TraitSpace space,
            RunFitness fitness,
            java.util.function.Consumer<GenerationStats> stats) {
        Factory<Genotype<DoubleGene>> factory = () -> {
            List<DoubleChromosome> chromosomes = new ArrayList<>();
            for (int i = 0; i < space.dimensions(); i++) {
                chromosomes.add(DoubleChromosome.of(range(space, i)));
            }
            return Genotype.of(chromosomes);
        };
        Evaluator<DoubleGene, Double> evaluator = population -> {
            List<double[]> pending = new ArrayList<>();
            for (Phenotype<DoubleGene, Double> phenotype : population) {
                if (phenotype.nonEvaluated()) {
                    pending.add(decode(phenotype.genotype()));
                }
            }
            double[] values = pending.isEmpty() ? new double[0] : fitness.objective(pending);
            List<Phenotype<DoubleGene, Double>> evaluated = new ArrayList<>(population.size());
            int next = 0;
            for (Phenotype<DoubleGene, Double> phenotype : population) {
                evaluated.add(phenotype.isEvaluated() ? phenotype : phenotype.withFitness(values[next++]));
            }
            return ISeq.of(evaluated);
        };
        Engine<DoubleGene, Double> engine = new Engine.Builder<>(evaluator, factory)
                .populationSize(request.population())
                .executor(Runnable::run)
                .offspringSelector(new TournamentSelector<>(3))
                .survivorsSelector(new EliteSelector<>(Math.max(1, request.population() / 10)))
                .alterers(new BlendCrossover(0.6, 0.25), new NudgeMutator(0.3, 0.15))
                .build();
        List<Phenotype<DoubleGene, Double>> initial = new ArrayList<>();
        initial.add(Phenotype.of(encode(space, space.center()), 1));
        while (initial.size() < request.population()) {
            initial.add(Phenotype.of(factory.newInstance(), 1));
        }
        EvolutionStart<DoubleGene, Double> start = EvolutionStart.of(ISeq.of(initial), 1);
        Phenotype<DoubleGene, Double> best = engine.stream(() -> start)
                .limit(request.generations())
                .peek(result -> stats.accept(statistics(result)))
                .collect(EvolutionResult.toBestPhenotype());
        return decode(best.genotype());
    }

    /** The gene range of dimension {@code i}: Jenetics' ranges are half-open, so a bound of exactly 1.0 needs nextUp. */
    private static DoubleRange range(TraitSpace space, int i) {
        return DoubleRange.of(space.low(i), Math.nextUp(space.high(i)));
    }

    private static Genotype<DoubleGene> encode(TraitSpace space, double[] x) {
        List<DoubleChromosome> chromosomes = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            chromosomes.add(DoubleChromosome.of(DoubleGene.of(x[i], range(space, i))));
        }
        return Genotype.of(chromosomes);
    }

    private static double[] decode(Genotype<DoubleGene> genotype) {
        double[] x = new double[genotype.length()];
        for (int i = 0; i < x.length; i++) {
            DoubleGene gene = genotype.get(i).gene();
            x[i] = Math.min(gene.doubleValue(), Math.nextDown(gene.max()));
        }
        return x;
    }

    private static GenerationStats statistics(EvolutionResult<DoubleGene, Double> result) {
        double mean = result.population().stream()
                .mapToDouble(Phenotype::fitness)
                .average()
                .orElse(Double.NaN);
        return new GenerationStats((int) result.generation(), result.bestFitness(), mean);
    }

    private static EvolutionOutcome outcome(
            EvolutionRequest request,
            TraitSpace space,
            RatingSurrogate ratings,
            RunFitness fitness,
            double[] current,
            double[] proposed,
            double[] exploit,
            List<GenerationStats> stats,
            Map<WeightedFitness, String> leftOut) {
        List<TraitChange> diff = new ArrayList<>();
        for (int i = 0; i < current.length; i++) {
            if (proposed[i] != current[i]) {
                diff.add(new TraitChange(space.names().get(i), current[i], proposed[i]));
            }
        }
        List<FitnessUse> uses = new ArrayList<>();
        for (WeightedFitness function : request.external()) {
            ExternalFitness f = function.function();
            uses.add(new FitnessUse(
                    f.id(), f.version(), f.sha256(), function.weight(), leftOut.getOrDefault(function, "used")));
        }
        int rated = ratings.ratedCount();
        int critiqueCount =
                request.evidence().stream().mapToInt(e -> e.critiques().size()).sum();
        RunEvidence evidence = new RunEvidence(
                request.seed(),
                request.generations(),
                request.population(),
                request.trustRadius(),
                request.evidence().size(),
                rated,
                critiqueCount,
                uses);
        OptionalDouble currentRating =
                rated == 0 ? OptionalDouble.empty() : OptionalDouble.of(fitness.predictedRating(current));
        OptionalDouble proposedRating =
                rated == 0 ? OptionalDouble.empty() : OptionalDouble.of(fitness.predictedRating(proposed));
        return new EvolutionOutcome(
                space.values(current),
                space.values(proposed),
                diff,
                stats,
                exploit[0],
                exploit[1],
                currentRating,
                proposedRating,
                evidence);
    }
}
