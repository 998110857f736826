package dev.nexus.host.evolution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Simulated people who rate replies, for the evolution benchmark ({@code docs/benchmarks.md}).
 * Each person has a hidden ideal trait vector (an archetype plus individual spread, or an outlier),
 * per-trait importance (some traits irrelevant), a rating bias, a critique tolerance and a critique
 * rate. Their satisfaction is {@code u(x) = exp(-sum w_i (x_i - ideal_i)^2 / (2 l^2 d))}, l = 0.2.
 *
 * <p>Common random numbers: the noise of event {@code t} depends only on (seed, t), never on the
 * algorithm, so every algorithm faces the same draws. Immutable.
 */
final class SimulatedAudience {

    static final int DIMENSIONS = 6;
    static final List<String> TRAITS = List.of("warmth", "verbosity", "formality", "humor", "directness", "curiosity");
    private static final double LENGTH_SCALE = 0.2;

    /** What people are able to say. */
    /**
     * What people are able to say.
     *
     * @param starNoise the sd of the stars' noise (0 for no stars)
     * @param thumbs thumbs up/down instead of stars
     * @param critiqueRate the probability p of critiquing a trait that is more than the person's
     *     tolerance away from their ideal
     * @param oneCritique at most one critique per event (on the worst trait, with probability p);
     *     otherwise each such trait is critiqued independently with probability p
     */
    record Channels(double starNoise, boolean thumbs, double critiqueRate, boolean oneCritique) {
        static Channels stars(double noise) {
            return new Channels(noise, false, 0, false);
        }
    }

    /** One simulated person. */
    record Person(String id, double[] ideal, double[] weights, double bias, double tolerance) {
        double utility(double[] x) {
            double sum = 0;
            for (int i = 0; i < DIMENSIONS; i++) {
                sum += weights[i] * (x[i] - ideal[i]) * (x[i] - ideal[i]);
            }
            return Math.exp(-sum / (2 * LENGTH_SCALE * LENGTH_SCALE * DIMENSIONS));
        }
    }

    /** One feedback event as the engine would store it. */
    record Event(Person person, double rating, Map<String, Integer> critiques) {}

    private final List<Person> people;
    private final int[] schedule;
    private final double[] target;
    private final double[] targetWeights;
    private final double bestUtility;
    private final Channels channels;
    private final long seed;

    private SimulatedAudience(List<Person> people, int[] schedule, Channels channels, long seed) {
        this.people = List.copyOf(people);
        this.schedule = schedule;
        this.channels = channels;
        this.seed = seed;
        this.targetWeights = meanWeights(people);
        this.target = people.size() == 1 ? people.get(0).ideal().clone() : populationOptimum(people);
        this.bestUtility = utility(target);
    }

    /** One person, every event theirs. */
    static SimulatedAudience single(Person person, int budget, Channels channels, long seed) {
        return new SimulatedAudience(List.of(person), new int[budget], channels, seed);
    }

    /** Many people sharing one personality, each giving 1–3 events in turn. */
    static SimulatedAudience population(List<Person> people, int budget, Channels channels, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int[] schedule = new int[budget];
        int t = 0;
        while (t < budget) {
            int person = random.nextInt(people.size());
            int events = 1 + random.nextInt(3);
            for (int e = 0; e < events && t < budget; e++) {
                schedule[t++] = person;
            }
        }
        return new SimulatedAudience(people, schedule, channels, seed);
    }

    /** Draws {@code count} people from {@code archetypes} archetypes, 10% of them outliers. */
    static List<Person> people(int count, int archetypes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<double[]> centres = new ArrayList<>();
        List<double[]> centreWeights = new ArrayList<>();
        for (int a = 0; a < archetypes; a++) {
            centres.add(uniform(random, 0.1, 0.9));
            centreWeights.add(importance(random));
        }
        List<Person> people = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            boolean outlier = random.nextDouble() < 0.1;
            int archetype = random.nextInt(archetypes);
            double[] ideal =
                    outlier ? uniform(random, 0, 1) : centres.get(archetype).clone();
            if (!outlier) {
                for (int i = 0; i < DIMENSIONS; i++) {
                    ideal[i] = Math.max(0, Math.min(1, ideal[i] + 0.07 * random.nextGaussian()));
                }
            }
            double[] weights =
                    outlier ? importance(random) : centreWeights.get(archetype).clone();
            double bias = 0.4 * random.nextGaussian();
            double tolerance = 0.07 + 0.06 * random.nextDouble();
            people.add(new Person("u" + p, ideal, weights, bias, tolerance));
        }
        return people;
    }

    /** The feedback of event {@code t} on a reply written with {@code x}. */
    Event feedback(int t, double[] x) {
        Person person = people.get(schedule[t]);
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + t);
        double utility = person.utility(x);
        double noise = random.nextGaussian();
        double rating = Double.NaN;
        if (channels.thumbs()) {
            rating = 1 + 4 * utility + person.bias() + 0.6 * noise >= 3.5 ? 1 : 0;
        } else if (channels.starNoise() > 0) {
            double stars = Math.rint(1 + 4 * utility + person.bias() + channels.starNoise() * noise);
            rating = (Math.max(1, Math.min(5, stars)) - 1) / 4;
        }
        Map<String, Integer> critiques = new LinkedHashMap<>();
        int worst = -1;
        double worstGap = 0;
        for (int i = 0; i < DIMENSIONS; i++) {
            double draw = random.nextDouble();
            double gap = person.ideal()[i] - x[i];
            if (person.weights()[i] == 0 || Math.abs(gap) <= person.tolerance()) {
                continue;
            }
            if (channels.oneCritique()) {
                double weighted = Math.sqrt(person.weights()[i]) * Math.abs(gap);
                if (weighted > worstGap) {
                    worst = i;
                    worstGap = weighted;
                }
            } else if (draw < channels.critiqueRate()) {
                critiques.put(TRAITS.get(i), gap > 0 ? 1 : -1);
            }
        }
        if (worst >= 0 && random.nextDouble() < channels.critiqueRate()) {
            critiques.put(TRAITS.get(worst), person.ideal()[worst] > x[worst] ? 1 : -1);
        }
        return new Event(person, rating, critiques);
    }

    /** The importance-weighted RMS distance of {@code x} to the target (the ideal, or the population optimum). */
    double error(double[] x) {
        double sum = 0;
        double weights = 0;
        for (int i = 0; i < DIMENSIONS; i++) {
            sum += targetWeights[i] * (x[i] - target[i]) * (x[i] - target[i]);
            weights += targetWeights[i];
        }
        return Math.sqrt(sum / weights);
    }

    /** Simple regret: the best achievable mean satisfaction minus that of {@code x}. */
    double regret(double[] x) {
        return Math.max(0, bestUtility - utility(x));
    }

    /** The target: the single person's ideal, or the vector with the best mean satisfaction. */
    double[] target() {
        return target.clone();
    }

    /** The satisfaction of {@code x} averaged over the audience. */
    double utility(double[] x) {
        double sum = 0;
        for (Person person : people) {
            sum += person.utility(x);
        }
        return sum / people.size();
    }

    private static double[] uniform(SplittableRandom random, double low, double high) {
        double[] x = new double[DIMENSIONS];
        for (int i = 0; i < DIMENSIONS; i++) {
            x[i] = random.nextDouble(low, high);
        }
        return x;
    }

    /** Importance weights: 0.5, 1 or 2 each, one trait in two archetypes irrelevant; normalised to mean 1. */
    private static double[] importance(SplittableRandom random) {
        double[] w = new double[DIMENSIONS];
        double[] levels = {0.5, 1, 2};
        for (int i = 0; i < DIMENSIONS; i++) {
            w[i] = levels[random.nextInt(3)];
        }
        if (random.nextBoolean()) {
            w[random.nextInt(DIMENSIONS)] = 0;
        }
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        for (int i = 0; i < DIMENSIONS; i++) {
            w[i] *= DIMENSIONS / sum;
        }
        return w;
    }

    private static double[] meanWeights(List<Person> people) {
        double[] w = new double[DIMENSIONS];
        for (Person person : people) {
            for (int i = 0; i < DIMENSIONS; i++) {
                w[i] += person.weights()[i] / people.size();
            }
        }
        return w;
    }

    /** The vector with the best mean satisfaction: projected gradient ascent from the mean ideal. */
    private static double[] populationOptimum(List<Person> people) {
        double[] x = new double[DIMENSIONS];
        for (Person person : people) {
            for (int i = 0; i < DIMENSIONS; i++) {
                x[i] += person.ideal()[i] / people.size();
            }
        }
        double step = 0.02;
        for (int iteration = 0; iteration < 3000; iteration++) {
            double[] gradient = new double[DIMENSIONS];
            for (Person person : people) {
                double u = person.utility(x);
                for (int i = 0; i < DIMENSIONS; i++) {
                    gradient[i] -= u
                            * person.weights()[i]
                            * (x[i] - person.ideal()[i])
                            / (LENGTH_SCALE * LENGTH_SCALE * DIMENSIONS)
                            / people.size();
                }
            }
            for (int i = 0; i < DIMENSIONS; i++) {
                x[i] = Math.max(0, Math.min(1, x[i] + step * gradient[i]));
            }
        }
        return x;
    }
}
