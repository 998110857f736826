package dev.nexus.host.persona;

import dev.nexus.host.InvalidInputException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A personality's trait vector, in declaration order. Immutable.
 *
 * <p>Well-known names (rendered into concrete prompt instructions): warmth, verbosity, formality,
 * humor, directness, curiosity, empathy, creativity, confidence, playfulness. Other names are allowed
 * and rendered generically.
 */
public final class Traits {

    /** The trait names the host knows how to render, in their canonical order. */
    public static final List<String> WELL_KNOWN = List.of(
            "warmth",
            "verbosity",
            "formality",
            "humor",
            "directness",
            "curiosity",
            "empathy",
            "creativity",
            "confidence",
            "playfulness");

    private static final Traits NONE = new Traits(Map.of());

    private final Map<String, Trait> byName;

    private Traits(Map<String, Trait> byName) {
        this.byName = byName;
    }

    /** Returns an empty trait vector. */
    public static Traits none() {
        return NONE;
    }

    /** Returns traits from a list; names must be unique. */
    public static Traits of(Collection<Trait> traits) {
        LinkedHashMap<String, Trait> map = new LinkedHashMap<>();
        for (Trait trait : traits) {
            if (map.put(trait.name(), trait) != null) {
                throw new InvalidInputException("trait '" + trait.name() + "' is declared twice");
            }
        }
        return new Traits(java.util.Collections.unmodifiableMap(map));
    }

    /** Returns the traits in declaration order. */
    public List<Trait> all() {
        return List.copyOf(byName.values());
    }

    /** Returns the trait {@code name}, if declared. */
    public Optional<Trait> trait(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Returns the value of {@code name}, or {@code fallback} when not declared. */
    public double value(String name, double fallback) {
        Trait trait = byName.get(name);
        return trait == null ? fallback : trait.value();
    }

    /** Returns the values by name, in declaration order. */
    public Map<String, Double> values() {
        LinkedHashMap<String, Double> values = new LinkedHashMap<>();
        byName.forEach((name, trait) -> values.put(name, trait.value()));
        return java.util.Collections.unmodifiableMap(values);
    }

    /**
     * Returns a copy with the given values replaced; names not declared are refused.
     *
     * @throws InvalidInputException naming the unknown trait
     */
    public Traits withValues(Map<String, Double> values) {
        LinkedHashMap<String, Trait> map = new LinkedHashMap<>(byName);
        values.forEach((name, value) -> {
            Trait trait = map.get(name);
            if (trait == null) {
                throw new InvalidInputException("unknown trait '" + name + "'; declared traits are " + byName.keySet());
            }
            map.put(name, new Trait(name, value, trait.evolvable(), trait.min(), trait.max()));
        });
        return new Traits(java.util.Collections.unmodifiableMap(map));
    }

    /** Returns true when no trait is declared. */
    public boolean isEmpty() {
        return byName.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Traits that && byName.equals(that.byName);
    }

    @Override
    public int hashCode() {
        return byName.hashCode();
    }

    @Override
    public String toString() {
        return byName.values().toString();
    }
}
