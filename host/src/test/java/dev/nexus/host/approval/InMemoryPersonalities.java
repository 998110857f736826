package dev.nexus.host.approval;

import dev.nexus.host.ConflictException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import dev.nexus.host.persona.PersonalityVersion;
import dev.nexus.host.persona.Traits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written personality registry for tests: versions in memory, compare-and-swap writes like the
 * real registry's. Thread-safe.
 */
public final class InMemoryPersonalities implements PersonalityWriter, PersonalityLookup {

    private final Map<PersonalityId, List<PersonalityVersion>> versions = new ConcurrentHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();

    /** Adds version 1 of a personality with {@code traits}. */
    public synchronized InMemoryPersonalities add(String id, Traits traits) {
        Personality personality = Personality.minimal(id, id, "a test personality").withTraits(traits);
        versions.put(personality.id(), new ArrayList<>(List.of(new PersonalityVersion(personality, 1, "api", Instant.EPOCH))));
        return this;
    }

    @Override
    public synchronized Optional<PersonalityVersion> current(PersonalityId id) {
        List<PersonalityVersion> all = versions.get(id);
        return all == null ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Returns every version of {@code id}, oldest first. */
    public synchronized List<PersonalityVersion> history(String id) {
        return List.copyOf(versions.getOrDefault(PersonalityId.of(id), List.of()));
    }

    /** Returns how many versions were written through the port. */
    public int writes() {
        return writes.get();
    }

    @Override
    public synchronized PersonalityVersion applyTraits(PersonalityId id, int baseVersion, Map<String, Double> values,
            String source) {
        PersonalityVersion current = check(id, baseVersion);
        Traits traits = current.personality().traits().withValues(values);
        return write(id, current.personality().withTraits(traits), source);
    }

    @Override
    public synchronized PersonalityVersion restore(PersonalityId id, int baseVersion, int targetVersion, String source) {
        check(id, baseVersion);
        List<PersonalityVersion> all = versions.get(id);
        if (targetVersion < 1 || targetVersion > all.size()) {
            throw new NotFoundException("personality '" + id + "' has no version " + targetVersion);
        }
        return write(id, all.get(targetVersion - 1).personality(), source);
    }

    private PersonalityVersion check(PersonalityId id, int baseVersion) {
        PersonalityVersion current = current(id).orElseThrow(() -> NotFoundException.of("personality", id.value()));
        if (current.version() != baseVersion) {
            throw new ConflictException("personality '" + id + "' is at version " + current.version() + ", not " + baseVersion);
        }
        return current;
    }

    private PersonalityVersion write(PersonalityId id, Personality content, String source) {
        List<PersonalityVersion> all = versions.get(id);
        PersonalityVersion next = new PersonalityVersion(content, all.size() + 1, source, Instant.EPOCH);
        all.add(next);
        writes.incrementAndGet();
        return next;
    }
}
