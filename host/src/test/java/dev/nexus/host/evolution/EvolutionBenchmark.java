package dev.nexus.host.evolution;

import dev.nexus.host.evolution.BenchmarkOptimisers.Optimiser;
import dev.nexus.host.evolution.BenchmarkOptimisers.Trace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The simulated-user benchmark of trait evolution: our engine against random search and CMA-ES in
 * the same run, with common random numbers, several seeds and paired comparisons. Prints a Markdown
 * report and renders the median error curves to a PNG.
 *
 * <p>Run: {@code ./nexus bench dev.nexus.host.evolution.EvolutionBenchmark [--seeds 10] [--users 6]
 * [--budget 300] [--threads 2] [--plot docs/evolution-error.png] [--only substring]}.
 */
public final class EvolutionBenchmark {

    private static final int[] BUDGETS = {25, 50, 100, 200, 300};
    private static final double EPSILON = 0.10;

    record Scenario(String name, boolean population, SimulatedAudience.Channels channels) {}

    record Run(int scenario, int algorithm, Trace trace) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int seeds = Integer.parseInt(options.getOrDefault("seeds", "10"));
        int users = Integer.parseInt(options.getOrDefault("users", "6"));
        int budget = Integer.parseInt(options.getOrDefault("budget", "300"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
        String only = options.getOrDefault("only", "");
        Path plot = Path.of(options.getOrDefault("plot", "docs/evolution-error.png"));

        List<Scenario> scenarios = new ArrayList<>();
        for (Scenario scenario : List.of(
                new Scenario("one user, stars sd 0.6", false, SimulatedAudience.Channels.stars(0.6)),
                new Scenario("one user, stars sd 0.3", false, SimulatedAudience.Channels.stars(0.3)),
                new Scenario("one user, stars sd 1.0", false, SimulatedAudience.Channels.stars(1.0)),
                new Scenario("one user, thumbs", false, new SimulatedAudience.Channels(0, true, 0, false)),
                new Scenario(
                        "one user, stars sd 0.6 + critiques p=0.2 per trait",
                        false,
                        new SimulatedAudience.Channels(0.6, false, 0.2, false)),
                new Scenario(
                        "one user, stars sd 0.6 + at most one critique per event, p=0.3",
                        false,
                        new SimulatedAudience.Channels(0.6, false, 0.3, true)),
                new Scenario("population of 40, stars sd 0.6", true, SimulatedAudience.Channels.stars(0.6)),
                new Scenario(
                        "population of 40, stars sd 0.6 + at most one critique per event, p=0.3",
                        true,
                        new SimulatedAudience.Channels(0.6, false, 0.3, true)))) {
            if (scenario.name().contains(only)) {
                scenarios.add(scenario);
            }
        }
        List<Optimiser> algorithms = List.of(
                new BenchmarkOptimisers.RandomSearch(),
                new BenchmarkOptimisers.CmaEs(),
                new BenchmarkOptimisers.Engine("engine (proposal every 5 events)", 5, EvolutionTuning.defaults()),
                new BenchmarkOptimisers.Engine("engine (proposal every event)", 1, EvolutionTuning.defaults()));

        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Run>> futures = new ArrayList<>();
        for (int s = 0; s < scenarios.size(); s++) {
            Scenario scenario = scenarios.get(s);
            for (int seed = 0; seed < seeds; seed++) {
                List<SimulatedAudience.Person> people = SimulatedAudience.people(40, 4, 1000 + seed);
                int audiences = scenario.population() ? 1 : users;
                for (int u = 0; u < audiences; u++) {
                    long eventSeed = 7919L * seed + u;
                    SimulatedAudience audience = scenario.population()
                            ? SimulatedAudience.population(people, budget, scenario.channels(), eventSeed)
                            : SimulatedAudience.single(people.get(u), budget, scenario.channels(), eventSeed);
                    for (int a = 0; a < algorithms.size(); a++) {
                        int scenarioIndex = s;
                        int algorithm = a;
                        futures.add(pool.submit(() -> new Run(
                                scenarioIndex,
                                algorithm,
                                algorithms.get(algorithm).run(audience, budget, eventSeed))));
                    }
                }
            }
        }
        List<Run> runs = new ArrayList<>();
        for (Future<Run> future : futures) {
            runs.add(future.get());
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;

        StringBuilder report = new StringBuilder();
        report.append(String.format(
                Locale.ROOT,
                "seeds %d, users per seed %d (single-user regime), budget %d, %.0f s%n%n",
                seeds,
                users,
                budget,
                seconds));
        Map<String, Map<String, double[]>> curves = new LinkedHashMap<>();
        for (int s = 0; s < scenarios.size(); s++) {
            int scenario = s;
            report.append("### ").append(scenarios.get(s).name()).append("\n\n");
            report.append(
                    "| algorithm | RMS @25 | @50 | @100 | @200 | @300 | within 0.10 @50 | @300 "
                            + "| samples to 0.10 (median) | regret @50 | regret @300 | cumulative regret | proposals/improvement |\n");
            report.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            Map<String, double[]> scenarioCurves = new LinkedHashMap<>();
            List<List<Trace>> byAlgorithm = new ArrayList<>();
            for (int a = 0; a < algorithms.size(); a++) {
                int algorithm = a;
                List<Trace> traces = runs.stream()
                        .filter(r -> r.scenario() == scenario && r.algorithm() == algorithm)
                        .map(Run::trace)
                        .toList();
                byAlgorithm.add(traces);
                report.append(row(algorithms.get(a).name(), traces, budget));
                scenarioCurves.put(algorithms.get(a).name(), medianCurve(traces, budget));
            }
            curves.put(scenarios.get(s).name(), scenarioCurves);
            report.append("\n").append(paired(byAlgorithm, algorithms, budget)).append("\n");
        }
        System.out.println(report);
        ErrorPlot.render(curves, EPSILON, plot);
        System.out.println("plot written to " + plot);
    }

    private static String row(String name, List<Trace> traces, int budget) {
        StringBuilder row = new StringBuilder("| ").append(name);
        for (int b : BUDGETS) {
            row.append(b > budget ? " | –" : String.format(Locale.ROOT, " | %.3f", median(traces, t -> t.error()[b])));
        }
        row.append(String.format(
                Locale.ROOT,
                " | %.0f%% | %.0f%%",
                100 * share(traces, t -> t.error()[Math.min(50, budget)] <= EPSILON),
                100 * share(traces, t -> t.error()[budget] <= EPSILON)));
        double[] hitting =
                traces.stream().mapToDouble(t -> samplesTo(t, budget)).sorted().toArray();
        double medianHit = hitting[hitting.length / 2];
        row.append(Double.isInfinite(medianHit) ? " | >" + budget : String.format(Locale.ROOT, " | %.0f", medianHit));
        row.append(String.format(
                Locale.ROOT,
                " | %.3f | %.3f | %.1f",
                median(traces, t -> t.simpleRegret()[Math.min(50, budget)]),
                median(traces, t -> t.simpleRegret()[budget]),
                median(traces, t -> Arrays.stream(t.queryRegret()).sum())));
        int proposals = traces.stream().mapToInt(Trace::proposals).sum();
        int improvements = traces.stream().mapToInt(Trace::improvements).sum();
        row.append(
                proposals == 0
                        ? " | –"
                        : String.format(
                                Locale.ROOT,
                                " | %.2f (%.1f per run)",
                                improvements == 0 ? Double.POSITIVE_INFINITY : (double) proposals / improvements,
                                (double) proposals / traces.size()));
        return row.append(" |\n").toString();
    }

    /** The first t after which the error stays within epsilon; infinity when it never does. */
    private static double samplesTo(Trace trace, int budget) {
        double[] error = trace.error();
        int last = -1;
        for (int t = budget; t >= 0; t--) {
            if (error[t] > EPSILON) {
                last = t;
                break;
            }
        }
        return last == budget ? Double.POSITIVE_INFINITY : last + 1;
    }

    private static String paired(List<List<Trace>> byAlgorithm, List<Optimiser> algorithms, int budget) {
        StringBuilder text = new StringBuilder();
        List<Trace> cma = byAlgorithm.get(1);
        for (int a = 2; a < algorithms.size(); a++) {
            List<Trace> ours = byAlgorithm.get(a);
            for (int b : new int[] {50, budget}) {
                int wins = 0;
                int losses = 0;
                double[] differences = new double[ours.size()];
                for (int i = 0; i < ours.size(); i++) {
                    double difference = ours.get(i).error()[b] - cma.get(i).error()[b];
                    differences[i] = difference;
                    if (difference < 0) {
                        wins++;
                    } else if (difference > 0) {
                        losses++;
                    }
                }
                Arrays.sort(differences);
                text.append(String.format(
                        Locale.ROOT,
                        "- paired, %s vs CMA-ES @%d: lower error in %d of %d runs, higher in %d; median difference %+.3f; sign test p = %.2g%n",
                        algorithms.get(a).name(),
                        b,
                        wins,
                        ours.size(),
                        losses,
                        differences[differences.length / 2],
                        signTest(wins, losses)));
            }
        }
        return text.toString();
    }

    /** Two-sided exact sign test. */
    static double signTest(int wins, int losses) {
        int n = wins + losses;
        int k = Math.min(wins, losses);
        double tail = 0;
        for (int i = 0; i <= k; i++) {
            tail += Math.exp(logChoose(n, i) - n * Math.log(2));
        }
        return Math.min(1, 2 * tail);
    }

    private static double logChoose(int n, int k) {
        double sum = 0;
        for (int i = 1; i <= k; i++) {
            sum += Math.log(n - k + i) - Math.log(i);
        }
        return sum;
    }

    private static double[] medianCurve(List<Trace> traces, int budget) {
        double[] curve = new double[budget + 1];
        for (int t = 0; t <= budget; t++) {
            int at = t;
            curve[t] = median(traces, trace -> trace.error()[at]);
        }
        return curve;
    }

    private static double median(List<Trace> traces, java.util.function.ToDoubleFunction<Trace> metric) {
        double[] values = traces.stream().mapToDouble(metric).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double share(List<Trace> traces, java.util.function.Predicate<Trace> test) {
        return traces.stream().filter(test).count() / (double) traces.size();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }
}
