package dev.nexus.host.evolution;

/**
 * One trait's change in a proposal. Immutable.
 *
 * @param trait the trait name
 * @param from the current value
 * @param to the proposed value
 */
public record TraitChange(String trait, double from, double to) {

    /** Returns {@code to - from}. */
    public double delta() {
        return to - from;
    }
}
