package dev.nexus.host.persona;

import java.util.List;

/**
 * A personality in the registry: its current version, who owns it, and the problems its source
 * currently has (an invalid edit keeps the last good version current and lists the problems here).
 * Immutable.
 *
 * @param version the current version
 * @param owner who owns the id
 * @param problems every current problem with its source or with conflicting sources; empty when none
 */
public record Registered(PersonalityVersion version, Owner owner, List<BundleProblem> problems) {

    /** Copies the problems. */
    public Registered {
        problems = List.copyOf(problems);
    }

    /** Returns the personality id. */
    public PersonalityId id() {
        return version.id();
    }
}
