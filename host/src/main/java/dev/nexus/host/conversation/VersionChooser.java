package dev.nexus.host.conversation;

import dev.nexus.host.persona.PersonalityVersion;
import java.util.Map;

/**
 * Picks which version of a personality answers a user's turn: normally the current one; during an
 * A/B experiment ({@code host.experiment}) the version of the user's arm. Implementations are
 * thread-safe and cheap (called once per turn).
 */
@FunctionalInterface
public interface VersionChooser {

    /** Always the current version: no experiment. */
    VersionChooser CURRENT = (current, user) -> new Chosen(current, Map.of());

    /**
     * Returns the version that answers {@code user}, given the current version of the personality.
     *
     * @return the version, and what to record in the reply's metadata about the choice (empty when
     *     nothing was chosen)
     */
    Chosen choose(PersonalityVersion current, String user);

    /**
     * A choice.
     *
     * @param version the personality version that answers
     * @param metadata added to the reply's metadata, e.g. {@code {"experiment": {...}}}
     */
    record Chosen(PersonalityVersion version, Map<String, Object> metadata) {

        /** Copies the metadata. */
        public Chosen {
            metadata = Map.copyOf(metadata);
        }
    }
}
