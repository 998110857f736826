package dev.nexus.host.vector;

/**
 * How a {@link VectorIndex} trades speed for exactness. Immutable; defaults are stated once here.
 *
 * @param exactBelow below this many entries every search is an exact scan (fast enough, and exact)
 * @param probeFraction the share of clusters scanned per search once clustered (recall vs speed)
 * @param minProbes the least number of clusters scanned per search
 * @param seed the seed of the clustering, so a rebuild from the same data gives the same index
 */
public record IndexSettings(Integer exactBelow, Double probeFraction, Integer minProbes, Long seed) {

    /** Applies defaults and validates. */
    public IndexSettings {
        exactBelow = exactBelow == null ? 8192 : exactBelow;
        probeFraction = probeFraction == null ? 0.06 : probeFraction;
        minProbes = minProbes == null ? 8 : minProbes;
        seed = seed == null ? 42L : seed;
        if (exactBelow < 0) {
            throw new IllegalArgumentException("exactBelow must be >= 0, got " + exactBelow);
        }
        if (!(probeFraction > 0 && probeFraction <= 1)) {
            throw new IllegalArgumentException("probeFraction must be in (0, 1], got " + probeFraction);
        }
        if (minProbes < 1) {
            throw new IllegalArgumentException("minProbes must be >= 1, got " + minProbes);
        }
    }

    /** Returns the defaults. */
    public static IndexSettings defaults() {
        return new IndexSettings(null, null, null, null);
    }
}
