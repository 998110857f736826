package dev.nexus.host.evolution;

/**
 * How one external fitness function took part in a run, for the run's evidence. Immutable.
 *
 * @param id the function's id
 * @param version its version
 * @param sha256 the hash of its code
 * @param weight its weight in the fitness
 * @param status {@code used}, or why it was left out (declined, failed, invalid output)
 */
public record FitnessUse(String id, String version, String sha256, double weight, String status) {

    /** Returns true when the function's scores were part of the fitness. */
    public boolean used() {
        return "used".equals(status);
    }
}
