package dev.nexus.host.evolution;

import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.Trait;
import dev.nexus.host.persona.Traits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.apache.commons.math3.random.MersenneTwister;

/** The algorithms the evolution benchmark compares, each run against one simulated audience. */
final class BenchmarkOptimisers {

    private BenchmarkOptimisers() {}

    /**
     * What one algorithm did over the budget: the error of its recommendation after each event
     * ({@code error[t]} after t events), the regret of each queried vector, and its proposals.
     */
    record Trace(double[] error, double[] simpleRegret, double[] queryRegret, int proposals, int improvements) {}

    interface Optimiser {
        String name();

        Trace run(SimulatedAudience audience, int budget, long seed);
    }

    static double[] centre() {
        double[] x = new double[SimulatedAudience.DIMENSIONS];
        Arrays.fill(x, 0.5);
        return x;
    }

    /** Queries uniform random vectors; recommends the best-rated one so far. */
    static final class RandomSearch implements Optimiser {
        @Override
        public String name() {
            return "random search";
        }

        @Override
        public Trace run(SimulatedAudience audience, int budget, long seed) {
            SplittableRandom random = new SplittableRandom(seed ^ 0xABCDL);
            double[] error = new double[budget + 1];
            double[] regret = new double[budget + 1];
            double[] queries = new double[budget];
            double[] best = centre();
            double bestRating = Double.NEGATIVE_INFINITY;
            error[0] = audience.error(best);
            regret[0] = audience.regret(best);
            for (int t = 0; t < budget; t++) {
                double[] x = new double[SimulatedAudience.DIMENSIONS];
                for (int i = 0; i < x.length; i++) {
                    x[i] = random.nextDouble();
                }
                double rating = audience.feedback(t, x).rating();
                queries[t] = audience.regret(x);
                if (rating > bestRating) {
                    bestRating = rating;
                    best = x;
                }
                error[t + 1] = audience.error(best);
                regret[t + 1] = audience.regret(best);
            }
            return new Trace(error, regret, queries, 0, 0);
        }
    }

    /** commons-math3's CMA-ES on the ratings; recommends the mean of its search distribution. */
    static final class CmaEs implements Optimiser {
        @Override
        public String name() {
            return "CMA-ES";
        }

        @Override
        public Trace run(SimulatedAudience audience, int budget, long seed) {
            double[] error = new double[budget + 1];
            double[] regret = new double[budget + 1];
            double[] queries = new double[budget];
            CMAESOptimizer cma = new CMAESOptimizer(10_000, 0, true, 0, 0, new MersenneTwister(seed), true, null);
            int[] t = {0};
            double[][] recommendation = {centre()};
            error[0] = audience.error(centre());
            regret[0] = audience.regret(centre());
            ObjectiveFunction objective = new ObjectiveFunction(x -> {
                List<RealMatrix> means = cma.getStatisticsMeanHistory();
                if (!means.isEmpty()) {
                    recommendation[0] = clamp(means.get(means.size() - 1).getRow(0));
                }
                int now = t[0]++;
                double rating = audience.feedback(now, x).rating();
                queries[now] = audience.regret(x);
                error[now + 1] = audience.error(recommendation[0]);
                regret[now + 1] = audience.regret(recommendation[0]);
                return Double.isNaN(rating) ? 0.5 : rating;
            });
            try {
                double[] lower = new double[SimulatedAudience.DIMENSIONS];
                double[] upper = new double[SimulatedAudience.DIMENSIONS];
                Arrays.fill(upper, 1);
                double[] sigma = new double[SimulatedAudience.DIMENSIONS];
                Arrays.fill(sigma, 0.3);
                cma.optimize(
                        new MaxEval(budget),
                        objective,
                        GoalType.MAXIMIZE,
                        new InitialGuess(centre()),
                        new SimpleBounds(lower, upper),
                        new CMAESOptimizer.Sigma(sigma),
                        new CMAESOptimizer.PopulationSize(4 + (int) (3 * Math.log(SimulatedAudience.DIMENSIONS))));
            } catch (TooManyEvaluationsException expected) {
                // the budget is spent
            }
            // CMA-ES may stop early (converged): the rest of the budget lives with its last mean.
            for (int rest = t[0]; rest < budget; rest++) {
                queries[rest] = audience.regret(recommendation[0]);
                error[rest + 1] = audience.error(recommendation[0]);
                regret[rest + 1] = audience.regret(recommendation[0]);
            }
            return new Trace(error, regret, queries, 0, 0);
        }

        private static double[] clamp(double[] x) {
            double[] clamped = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                clamped[i] = Math.max(0, Math.min(1, x[i]));
            }
            return clamped;
        }
    }

    /**
     * Our engine as the product runs it: every reply uses the live trait vector; after every
     * {@code round} events an evolution run makes a proposal, which the simulated reviewer approves.
     */
    static final class Engine implements Optimiser {
        private final int round;
        private final EvolutionTuning tuning;
        private final double radius;
        private final String label;
        private final EvolutionEngine engine = new EvolutionEngine();

        Engine(String label, int round, EvolutionTuning tuning) {
            this(label, round, tuning, 0.15);
        }

        Engine(String label, int round, EvolutionTuning tuning, double radius) {
            this.label = label;
            this.round = round;
            this.tuning = tuning;
            this.radius = radius;
        }

        @Override
        public String name() {
            return label;
        }

        @Override
        public Trace run(SimulatedAudience audience, int budget, long seed) {
            double[] error = new double[budget + 1];
            double[] regret = new double[budget + 1];
            double[] queries = new double[budget];
            double[] live = centre();
            List<FeedbackEvidence> evidence = new ArrayList<>();
            int proposals = 0;
            int improvements = 0;
            error[0] = audience.error(live);
            regret[0] = audience.regret(live);
            for (int t = 0; t < budget; t++) {
                SimulatedAudience.Event event = audience.feedback(t, live);
                queries[t] = audience.regret(live);
                evidence.add(new FeedbackEvidence(
                        values(live),
                        event.rating(),
                        event.critiques(),
                        Optional.of(event.person().id()),
                        0,
                        0));
                if ((t + 1) % round == 0) {
                    EvolutionOutcome outcome = engine.evolve(new EvolutionRequest(
                            PersonalityId.of("bench"),
                            traits(live),
                            evidence,
                            seed * 31 + t,
                            40,
                            30,
                            radius,
                            List.of(),
                            tuning));
                    if (outcome.changes()) {
                        double[] next = vector(outcome.proposed());
                        proposals++;
                        if (audience.error(next) < audience.error(live)) {
                            improvements++;
                        }
                        live = next;
                    }
                }
                error[t + 1] = audience.error(live);
                regret[t + 1] = audience.regret(live);
            }
            return new Trace(error, regret, queries, proposals, improvements);
        }

        private static Map<String, Double> values(double[] x) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (int i = 0; i < x.length; i++) {
                values.put(SimulatedAudience.TRAITS.get(i), x[i]);
            }
            return values;
        }

        private static Traits traits(double[] x) {
            List<Trait> traits = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                traits.add(Trait.of(SimulatedAudience.TRAITS.get(i), x[i]));
            }
            return Traits.of(traits);
        }

        private static double[] vector(Map<String, Double> values) {
            double[] x = new double[SimulatedAudience.DIMENSIONS];
            for (int i = 0; i < x.length; i++) {
                x[i] = values.get(SimulatedAudience.TRAITS.get(i));
            }
            return x;
        }
    }
}
