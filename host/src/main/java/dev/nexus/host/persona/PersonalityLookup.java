package dev.nexus.host.persona;

import java.util.Optional;

/**
 * Finds the current version of a personality. Implemented by the personality registry; other
 * features depend on this narrow view. Thread-safe.
 */
@FunctionalInterface
public interface PersonalityLookup {

    /** Returns the current version of {@code id}, or empty when no such personality exists. */
    Optional<PersonalityVersion> current(PersonalityId id);
}
