package dev.nexus.host.approval;

import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityVersion;
import java.util.Map;

/**
 * The narrow write port approval needs from the personality registry: compare-and-swap version
 * writes. The registry ({@code persona.PersonalityService}, branch {@code persona}) implements it;
 * until it is wired, tests use an in-memory fake. Thread-safe.
 */
public interface PersonalityWriter {

    /**
     * Writes a new version of {@code id} with {@code values} replacing the trait values, if and only if
     * the current version is {@code baseVersion}.
     *
     * @param source the new version's source, e.g. {@code evolution:<proposal id>}
     * @return the new version
     * @throws dev.nexus.host.ConflictException naming both versions when the current one is not {@code baseVersion}
     * @throws dev.nexus.host.NotFoundException when there is no such personality
     */
    PersonalityVersion applyTraits(PersonalityId id, int baseVersion, Map<String, Double> values, String source);

    /**
     * Writes a new version of {@code id} whose content is that of the earlier {@code targetVersion},
     * if and only if the current version is {@code baseVersion}.
     *
     * @throws dev.nexus.host.ConflictException when the current version is not {@code baseVersion}
     * @throws dev.nexus.host.NotFoundException when the personality or the target version does not exist
     */
    PersonalityVersion restore(PersonalityId id, int baseVersion, int targetVersion, String source);
}
