package dev.nexus.host.evolution;

import io.jenetics.Alterer;
import io.jenetics.AltererResult;
import io.jenetics.Chromosome;
import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import io.jenetics.util.Seq;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Moves genes by a small Gaussian step instead of redrawing them. Jenetics' {@code GaussianMutator}
 * draws a new value around the middle of the range, which throws away a good candidate's position;
 * fine steps need a nudge {@code v + N(0, (scale * width)^2)}, reflected back into the gene's range.
 * Immutable; its randomness comes from {@link RandomRegistry} (seeded by the engine).
 */
final class NudgeMutator implements Alterer<DoubleGene, Double> {

    private final double probability;
    private final double scale;

    NudgeMutator(double probability, double scale) {
        this.probability = probability;
        this.scale = scale;
    }

    @Override
    public AltererResult<DoubleGene, Double> alter(Seq<Phenotype<DoubleGene, Double>> population, long generation) {
        RandomGenerator random = RandomRegistry.random();
        List<Phenotype<DoubleGene, Double>> altered = new ArrayList<>(population.size());
        int alterations = 0;
        for (Phenotype<DoubleGene, Double> phenotype : population) {
            List<Chromosome<DoubleGene>> chromosomes = new ArrayList<>();
            boolean changed = false;
            for (Chromosome<DoubleGene> chromosome : phenotype.genotype()) {
                List<DoubleGene> genes = new ArrayList<>();
                for (DoubleGene gene : chromosome) {
                    if (random.nextDouble() < probability) {
                        genes.add(nudge(gene, random));
                        changed = true;
                        alterations++;
                    } else {
                        genes.add(gene);
                    }
                }
                chromosomes.add(DoubleChromosome.of(genes));
            }
            altered.add(changed ? Phenotype.of(Genotype.of(chromosomes), generation) : phenotype);
        }
        return new AltererResult<>(ISeq.of(altered), alterations);
    }

    private DoubleGene nudge(DoubleGene gene, RandomGenerator random) {
        double low = gene.min();
        double high = Math.nextDown(gene.max()); // the gene's range is half-open: [min, max)
        double width = high - low;
        if (width <= 0) {
            return gene;
        }
        double value = gene.doubleValue() + random.nextGaussian() * scale * width;
        return gene.newInstance(reflect(value, low, high));
    }

    /** Reflects {@code value} into [low, high], then clamps (a huge step could reflect twice). */
    static double reflect(double value, double low, double high) {
        double reflected = value;
        if (reflected < low) {
            reflected = low + (low - reflected);
        }
        if (reflected > high) {
            reflected = high - (reflected - high);
        }
        return Math.max(low, Math.min(high, reflected));
    }
}
