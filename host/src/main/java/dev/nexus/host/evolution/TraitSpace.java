package dev.nexus.host.evolution;

import dev.nexus.host.persona.Trait;
import dev.nexus.host.persona.Traits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dimensions a run may change: the evolvable traits whose bounds leave room to move, each with
 * its current value, its bounds and the trust region around the current value. Immutable.
 */
final class TraitSpace {

    private final Traits traits;
    private final List<String> names;
    private final double[] center;
    private final double[] min;
    private final double[] max;
    private final double[] low;
    private final double[] high;

    private TraitSpace(Traits traits, List<String> names, double[] center, double[] min, double[] max, double radius) {
        this.traits = traits;
        this.names = List.copyOf(names);
        this.center = center;
        this.min = min;
        this.max = max;
        this.low = new double[center.length];
        this.high = new double[center.length];
        for (int i = 0; i < center.length; i++) {
            low[i] = Math.max(min[i], center[i] - radius);
            high[i] = Math.min(max[i], center[i] + radius);
        }
    }

    static TraitSpace of(Traits traits, double radius) {
        List<Trait> movable = traits.all().stream()
                .filter(t -> t.evolvable() && t.min() < t.max())
                .toList();
        List<String> names = new ArrayList<>();
        double[] center = new double[movable.size()];
        double[] min = new double[movable.size()];
        double[] max = new double[movable.size()];
        for (int i = 0; i < movable.size(); i++) {
            Trait trait = movable.get(i);
            names.add(trait.name());
            center[i] = trait.value();
            min[i] = trait.min();
            max[i] = trait.max();
        }
        return new TraitSpace(traits, names, center, min, max, radius);
    }

    List<String> names() {
        return names;
    }

    int dimensions() {
        return names.size();
    }

    double[] center() {
        return center.clone();
    }

    double[] min() {
        return min.clone();
    }

    double[] max() {
        return max.clone();
    }

    /** The lowest value dimension {@code i} may take in this run (bounds and trust region). */
    double low(int i) {
        return low[i];
    }

    /** The highest value dimension {@code i} may take in this run, inclusive. */
    double high(int i) {
        return high[i];
    }

    /** Rounds to 3 decimals (proposals are read by people) and keeps the result inside the run's box. */
    double[] tidy(double[] x) {
        double[] tidy = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double rounded = Math.round(x[i] * 1000) / 1000.0;
            tidy[i] = Math.max(low[i], Math.min(high[i], rounded));
        }
        return tidy;
    }

    /** Returns every trait's value, in declaration order, with the dimensions set from {@code x}. */
    Map<String, Double> values(double[] x) {
        Map<String, Double> values = new LinkedHashMap<>(traits.values());
        for (int i = 0; i < x.length; i++) {
            values.put(names.get(i), x[i]);
        }
        return values;
    }

    /** Returns the vector of {@code values} over the dimensions; a missing trait counts as its current value. */
    double[] vector(Map<String, Double> values) {
        double[] x = new double[names.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = values.getOrDefault(names.get(i), center[i]);
        }
        return x;
    }
}
