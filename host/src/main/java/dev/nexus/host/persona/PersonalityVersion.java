package dev.nexus.host.persona;

import java.time.Instant;

/**
 * One immutable, numbered version of a personality. Immutable.
 *
 * @param personality the content of this version
 * @param version the version number, 1 for the first, increasing by one per change
 * @param source where this version came from: {@code bundle}, {@code plugin:<id>}, {@code api},
 *     {@code import}, {@code evolution:<proposal id>}, {@code rollback:<proposal id>}
 * @param createdAt when this version was made
 */
public record PersonalityVersion(Personality personality, int version, String source, Instant createdAt) {

    /** Validates the version number. */
    public PersonalityVersion {
        if (version < 1) {
            throw new IllegalArgumentException("personality versions start at 1, got " + version);
        }
    }

    /** Returns the personality's id. */
    public PersonalityId id() {
        return personality.id();
    }
}
