package dev.nexus.host.persona;

/**
 * Five equal bands of a trait value in [0, 1]: the unit in which traits change the prompt.
 * A value on a boundary belongs to the higher band (0.2 is {@link #LOW}).
 */
public enum TraitBand {
    /** [0, 0.2). */
    VERY_LOW("very low"),
    /** [0.2, 0.4). */
    LOW("low"),
    /** [0.4, 0.6). */
    MODERATE("moderate"),
    /** [0.6, 0.8). */
    HIGH("high"),
    /** [0.8, 1]. */
    VERY_HIGH("very high");

    private final String label;

    TraitBand(String label) {
        this.label = label;
    }

    /** Returns the band of {@code value}; values outside [0, 1] are clamped. */
    public static TraitBand of(double value) {
        if (value < 0.2) {
            return VERY_LOW;
        }
        if (value < 0.4) {
            return LOW;
        }
        if (value < 0.6) {
            return MODERATE;
        }
        return value < 0.8 ? HIGH : VERY_HIGH;
    }

    /** Returns the band's name in words, e.g. "very high". */
    public String label() {
        return label;
    }
}
