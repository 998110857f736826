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
 * BLX-alpha recombination across the whole genotype: each trait of a child is drawn on the segment
 * between its parents' values, extended by {@code alpha} on both sides, then clamped to the gene's
 * range. Jenetics' point crossovers work inside one chromosome, and each trait is its own chromosome
 * here (so each can have its own bounds). Immutable; randomness from {@link RandomRegistry}.
 */
final class BlendCrossover implements Alterer<DoubleGene, Double> {

    private final double probability;
    private final double alpha;

    BlendCrossover(double probability, double alpha) {
        this.probability = probability;
        this.alpha = alpha;
    }

    @Override
    public AltererResult<DoubleGene, Double> alter(Seq<Phenotype<DoubleGene, Double>> population, long generation) {
        RandomGenerator random = RandomRegistry.random();
        List<Phenotype<DoubleGene, Double>> altered = new ArrayList<>(population.asList());
        int alterations = 0;
        for (int i = 0; i + 1 < altered.size(); i += 2) {
            if (random.nextDouble() >= probability) {
                continue;
            }
            Genotype<DoubleGene> first = altered.get(i).genotype();
            Genotype<DoubleGene> second = altered.get(i + 1).genotype();
            altered.set(i, Phenotype.of(blend(first, second, random), generation));
            altered.set(i + 1, Phenotype.of(blend(second, first, random), generation));
            alterations += 2;
        }
        return new AltererResult<>(ISeq.of(altered), alterations);
    }

    private Genotype<DoubleGene> blend(Genotype<DoubleGene> self, Genotype<DoubleGene> other, RandomGenerator random) {
        List<Chromosome<DoubleGene>> chromosomes = new ArrayList<>(self.length());
        for (int c = 0; c < self.length(); c++) {
            Chromosome<DoubleGene> mine = self.get(c);
            Chromosome<DoubleGene> theirs = other.get(c);
            List<DoubleGene> genes = new ArrayList<>(mine.length());
            for (int g = 0; g < mine.length(); g++) {
                DoubleGene gene = mine.get(g);
                double a = gene.doubleValue();
                double b = theirs.get(g).doubleValue();
                double u = -alpha + random.nextDouble() * (1 + 2 * alpha);
                double value = a + u * (b - a);
                genes.add(gene.newInstance(Math.max(gene.min(), Math.min(Math.nextDown(gene.max()), value))));
            }
            chromosomes.add(DoubleChromosome.of(genes));
        }
        return Genotype.of(chromosomes);
    }
}
