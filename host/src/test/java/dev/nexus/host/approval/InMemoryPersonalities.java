package dev.nexus.host.approval;

import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import dev.nexus.host.persona.PersonalityVersion;
import dev.nexus.host.persona.Trait;
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
 * real registry's, refusing what the real one refuses (checked by {@link PersonalityWriterContract},
 * which both pass). Unlike the real registry it does not join a database transaction: a write stays
 * when the caller's transaction rolls back. Thread-safe.
 */
public final class InMemoryPersonalities implements PersonalityWriter, PersonalityLookup {

    private final Map<PersonalityId, List<PersonalityVersion>> versions = new ConcurrentHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();

    /** Adds version 1 of a personality with {@code traits}. */
    public InMemoryPersonalities add(String id, Traits traits) {
        return add(Personality.minimal(id, id, "a test personality").withTraits(traits));
    }

    /** Adds version 1 of {@code personality}. */
    public synchronized InMemoryPersonalities add(Personality personality) {
        versions.put(
                personality.id(),
                new ArrayList<>(List.of(new PersonalityVersion(personality, 1, "api", Instant.EPOCH))));
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
    public synchronized PersonalityVersion applyTraits(
            PersonalityId id, int baseVersion, Map<String, Double> values, String source) {
        requireSource(source, "a trait change");
        PersonalityVersion current = check(id, baseVersion);
        Traits traits = current.personality().traits();
        if (values.isEmpty()) {
            throw new InvalidInputException("a trait change for '" + id + "' names no traits; give at least one value");
        }
        values.forEach((name, value) -> {
            Trait trait = traits.trait(name)
                    .orElseThrow(
                            () -> new InvalidInputException("personality '" + id + "' has no trait '" + name + "'"));
            if (value == null || !Double.isFinite(value)) {
                throw new InvalidInputException("trait '" + name + "' needs a finite value, got " + value);
            }
            if (!trait.evolvable() && value != trait.value()) {
                throw new InvalidInputException("trait '" + name + "' of '" + id + "' is not evolvable");
            }
            if (value < trait.min() || value > trait.max()) {
                throw new InvalidInputException("trait '" + name + "' of '" + id + "' must stay within [" + trait.min()
                        + ", " + trait.max() + "], got " + value);
            }
        });
        return write(id, current.personality().withTraits(traits.withValues(values)), source);
    }

    private static void requireSource(String source, String what) {
        if (source == null || source.isBlank() || source.length() > 200) {
            throw new InvalidInputException(what + " needs a source of 1-200 characters");
        }
    }

    @Override
    public synchronized PersonalityVersion restore(
            PersonalityId id, int baseVersion, int targetVersion, String source) {
        requireSource(source, "a rollback");
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
            throw new ConflictException("personality '" + id + "' is at version " + current.version()
                    + " but this change was" + " based on version " + baseVersion);
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
