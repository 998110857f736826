package dev.nexus.host.persona;

import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.db.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Stored personalities: immutable versions and a current pointer per id, written in transactions
 * with compare-and-swap on the pointer. Every write runs in {@code jdbi.inTransaction}, so when the
 * caller already has a transaction open on this thread (Jdbi shares one handle per thread) the write
 * joins it; {@link Listener} hears about a change only after the outermost transaction commits.
 * Thread-safe.
 */
final class PersonalityStore {

    /** Hears about committed changes, to keep an in-memory view current. */
    interface Listener {
        /** A version became current for its id under {@code owner}. */
        void stored(PersonalityVersion version, Owner owner);

        /** The id was removed from the registry. */
        void removed(PersonalityId id);
    }

    /** What offering source content did. */
    enum Offer {
        /** A new version was written. */
        NEW_VERSION,
        /** The content was already current (nothing written), or the id was revived unchanged. */
        UNCHANGED,
        /** The id belongs to the API; the source was ignored. */
        OWNED_BY_API
    }

    private final Jdbi jdbi;
    private final PersonaCodec codec;
    private final Clock clock;
    private final PersonalityRepository repository = new PersonalityRepository();
    private final Map<PersonalityId, Map.Entry<Personality, String>> originHashes =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Listener listener = new Listener() {
        @Override
        public void stored(PersonalityVersion version, Owner owner) {}

        @Override
        public void removed(PersonalityId id) {}
    };

    PersonalityStore(Database database, PersonaCodec codec, Clock clock) {
        this.jdbi = database.jdbi();
        this.codec = codec;
        this.clock = clock;
    }

    /** Which host's bundle imports {@link #offer} compares against (see bundle_imports). */
    private volatile String hostId = "local";

    void hostId(String value) {
        this.hostId = value;
    }

    void listener(Listener value) {
        this.listener = value;
    }

    /**
     * Offers content from a bundle or plugin: writes a new version when the source content or the
     * owner changed since it was last applied, revives a removed id, and refuses ids the API owns.
     * Versions made by evolution stay current until the source content itself changes.
     */
    Offer offer(Personality personality, Owner owner) {
        String id = personality.id().value();
        String originHash = originHash(personality);
        if (alreadyImportedHere(id, originHash, owner)) {
            return Offer.UNCHANGED; // every restart with an unchanged directory: read only, no lock, no commit
        }
        return jdbi.inTransaction(h -> {
            Optional<PersonalityRepository.Pointer> pointer = repository.lock(h, id);
            if (pointer.isEmpty()) {
                insertFirst(h, personality, owner, originHash);
                recordImport(h, id, originHash);
                return Offer.NEW_VERSION;
            }
            PersonalityRepository.Pointer row = pointer.get();
            if (row.live() && row.owner().kind() == Owner.Kind.API) {
                return Offer.OWNED_BY_API;
            }
            if (row.originHash().equals(originHash) && row.owner().equals(owner)) {
                if (!row.live()) {
                    repository.revive(h, id, owner, clock.instant());
                    PersonalityVersion current = read(h, id, row.currentVersion());
                    h.afterCommit(() -> listener.stored(current, owner));
                }
                recordImport(h, id, originHash);
                return Offer.UNCHANGED;
            }
            if (row.live() && sameSource(row, owner) && importedBefore(h, id, originHash, owner)) {
                // This host's source is what it (or another host) imported before: another host stored something
                // newer since, and the database is the truth. A source edited here is new content and is taken.
                recordImport(h, id, originHash);
                return Offer.UNCHANGED;
            }
            write(h, row, personality, owner, owner.source(), originHash);
            recordImport(h, id, originHash);
            return Offer.NEW_VERSION;
        });
    }

    /**
     * Creates an API-owned personality (or takes over an id whose source has gone).
     *
     * @throws ConflictException if the id is in use
     */
    PersonalityVersion create(Personality personality) {
        String id = personality.id().value();
        try {
            return jdbi.inTransaction(h -> {
                Optional<PersonalityRepository.Pointer> pointer = repository.lock(h, id);
                if (pointer.isEmpty()) {
                    return insertFirst(h, personality, Owner.api(), hash(codec.encode(personality)));
                }
                if (pointer.get().live()) {
                    throw new ConflictException("personality '" + id + "' already exists (owned by "
                            + pointer.get().owner().describe() + "); choose another id or PUT to /v1/personalities/"
                            + id);
                }
                return write(h, pointer.get(), personality, Owner.api(), "api", hash(codec.encode(personality)));
            });
        } catch (UnableToExecuteStatementException e) {
            throw new ConflictException("personality '" + id + "' was created by someone else at the same moment; "
                    + "choose another id or PUT to /v1/personalities/" + id);
        }
    }

    /**
     * Replaces an API-owned personality with new content; identical content makes no new version.
     *
     * @throws NotFoundException if there is no such personality
     * @throws ConflictException if a bundle or plugin owns it
     */
    PersonalityVersion replace(Personality personality) {
        String id = personality.id().value();
        return jdbi.inTransaction(h -> {
            PersonalityRepository.Pointer row = live(h, id);
            requireApiOwned(row, "replace", "edit");
            PersonalityVersion current = read(h, id, row.currentVersion());
            if (current.personality().equals(personality)) {
                return current;
            }
            return write(h, row, personality, Owner.api(), "api", hash(codec.encode(personality)));
        });
    }

    /**
     * Removes an API-owned personality from the registry; its versions stay stored.
     *
     * @throws NotFoundException if there is no such personality
     * @throws ConflictException if a bundle or plugin owns it
     */
    void delete(PersonalityId id) {
        jdbi.useTransaction(h -> {
            PersonalityRepository.Pointer row = live(h, id.value());
            requireApiOwned(row, "delete", "remove");
            repository.markDeleted(h, id.value(), clock.instant());
            h.afterCommit(() -> listener.removed(id));
        });
    }

    /** Removes an id whose bundle or plugin source has gone, if {@code owner} still owns it. */
    void retire(PersonalityId id, Owner owner) {
        jdbi.useTransaction(h -> {
            Optional<PersonalityRepository.Pointer> row = repository.lock(h, id.value());
            if (row.isPresent() && row.get().live() && row.get().owner().equals(owner)) {
                repository.markDeleted(h, id.value(), clock.instant());
                h.afterCommit(() -> listener.removed(id));
            }
        });
    }

    /**
     * Writes a new version with some trait values changed, if {@code baseVersion} is still current.
     * Joins the caller's transaction when one is open on this thread.
     *
     * @throws NotFoundException if there is no such personality
     * @throws ConflictException if the current version is no longer {@code baseVersion}
     * @throws InvalidInputException for unknown traits, non-evolvable traits or values outside the bounds
     */
    PersonalityVersion applyTraits(PersonalityId id, int baseVersion, Map<String, Double> values, String source) {
        if (source == null || source.isBlank() || source.length() > 200) {
            throw new InvalidInputException(
                    "a trait change needs a source of 1-200 characters, e.g. 'evolution:<proposal id>'");
        }
        return jdbi.inTransaction(h -> {
            PersonalityRepository.Pointer row = live(h, id.value());
            if (row.currentVersion() != baseVersion) {
                throw new ConflictException("personality '" + id + "' is at version " + row.currentVersion()
                        + " but this change was based on version " + baseVersion
                        + "; it was refused, not merged: propose it again against version " + row.currentVersion());
            }
            Personality current = read(h, id.value(), row.currentVersion()).personality();
            Traits changed = changedTraits(id, current.traits(), values);
            return write(h, row, current.withTraits(changed), row.owner(), source, row.originHash());
        });
    }

    /**
     * Writes a new version whose content is that of the earlier {@code targetVersion}, if
     * {@code baseVersion} is still current. History is never rewritten: the restored content gets a
     * new version number. Joins the caller's transaction when one is open on this thread.
     *
     * @throws NotFoundException if there is no such personality or version
     * @throws ConflictException if the current version is no longer {@code baseVersion}
     */
    PersonalityVersion restore(PersonalityId id, int baseVersion, int targetVersion, String source) {
        if (source == null || source.isBlank() || source.length() > 200) {
            throw new InvalidInputException(
                    "a rollback needs a source of 1-200 characters, e.g. 'rollback:<proposal id>'");
        }
        return jdbi.inTransaction(h -> {
            PersonalityRepository.Pointer row = live(h, id.value());
            if (row.currentVersion() != baseVersion) {
                throw new ConflictException("personality '" + id + "' is at version " + row.currentVersion()
                        + " but this rollback was based on version " + baseVersion
                        + "; it was refused: propose it again against version " + row.currentVersion());
            }
            Personality target = repository
                    .version(h, id.value(), targetVersion)
                    .map(this::decode)
                    .orElseThrow(() -> NotFoundException.of(
                            "version of personality '" + id + "'", Integer.toString(targetVersion)))
                    .personality();
            return write(h, row, target, row.owner(), source, row.originHash());
        });
    }

    /** Returns the current version of {@code id} from storage, if it is live. */
    Optional<Current> current(PersonalityId id) {
        return jdbi.withHandle(h -> repository
                .pointer(h, id.value())
                .filter(PersonalityRepository.Pointer::live)
                .map(row -> new Current(read(h, id.value(), row.currentVersion()), row.owner())));
    }

    /**
     * Returns every live personality's current version, by id. A stored version this host can no
     * longer read (written by a newer host, say) is reported to {@code unreadable} and left out, so
     * one bad row cannot stop the registry.
     */
    List<Current> all(java.util.function.BiConsumer<String, InvalidPersonalityException> unreadable) {
        return jdbi.withHandle(h -> {
            List<Current> all = new java.util.ArrayList<>();
            for (PersonalityRepository.Live row : repository.live(h)) {
                try {
                    all.add(new Current(decode(row.current()), row.pointer().owner()));
                } catch (InvalidPersonalityException e) {
                    unreadable.accept(row.pointer().id(), e);
                }
            }
            return all;
        });
    }

    /** Returns the pointers (id, version, owner, live), cheap enough to poll. */
    List<PersonalityRepository.Pointer> pointers() {
        return jdbi.withHandle(repository::pointers);
    }

    /** Returns every version of a live personality, newest first. */
    List<PersonalityVersion> versions(PersonalityId id) {
        return jdbi.withHandle(h -> {
            live(h, id.value());
            return repository.versions(h, id.value()).stream().map(this::decode).toList();
        });
    }

    /** Returns version {@code version} of a live personality. */
    Optional<PersonalityVersion> version(PersonalityId id, int version) {
        return jdbi.withHandle(h -> {
            live(h, id.value());
            return repository.version(h, id.value(), version).map(this::decode);
        });
    }

    /** A current version with its owner. */
    record Current(PersonalityVersion version, Owner owner) {}

    // --- internals ---------------------------------------------------------------------------------

    private PersonalityVersion insertFirst(Handle h, Personality personality, Owner owner, String originHash) {
        String id = personality.id().value();
        Instant now = clock.instant();
        int version = repository.latestVersion(h, id) + 1;
        repository.insertPointer(h, id, owner, version, originHash, now);
        return insertVersion(h, personality, version, owner, owner.source(), now);
    }

    private PersonalityVersion write(
            Handle h,
            PersonalityRepository.Pointer row,
            Personality personality,
            Owner owner,
            String source,
            String originHash) {
        Instant now = clock.instant();
        int version = repository.latestVersion(h, row.id()) + 1;
        if (!repository.movePointer(h, row.id(), row.currentVersion(), version, owner, originHash, now)) {
            throw new ConflictException("personality '" + row.id() + "' changed while this change was being written; "
                    + "reload it and try again");
        }
        return insertVersion(h, personality, version, owner, source, now);
    }

    private PersonalityVersion insertVersion(
            Handle h, Personality personality, int version, Owner owner, String source, Instant now) {
        String document = codec.encode(personality);
        repository.insertVersion(
                h,
                new PersonalityRepository.StoredVersion(
                        personality.id().value(), version, source, hash(document), document, now));
        PersonalityVersion written = new PersonalityVersion(personality, version, source, now);
        h.afterCommit(() -> listener.stored(written, owner));
        return written;
    }

    private PersonalityRepository.Pointer live(Handle h, String id) {
        return repository
                .lock(h, id)
                .filter(PersonalityRepository.Pointer::live)
                .orElseThrow(() -> NotFoundException.of("personality", id));
    }

    private static void requireApiOwned(PersonalityRepository.Pointer row, String verb, String alternative) {
        Owner owner = row.owner();
        if (owner.kind() == Owner.Kind.API) {
            return;
        }
        String how = owner.kind() == Owner.Kind.BUNDLE
                ? alternative + " " + owner.detail() + " in the personalities directory instead"
                : "disable or update plugin '" + owner.detail() + "' instead (plugins.disabled)";
        throw new ConflictException("cannot " + verb + " personality '" + row.id() + "': it comes from "
                + owner.describe() + ", not the API; " + how);
    }

    private static Traits changedTraits(PersonalityId id, Traits traits, Map<String, Double> values) {
        if (values.isEmpty()) {
            throw new InvalidInputException("a trait change for '" + id + "' names no traits; give at least one value");
        }
        values.forEach((name, value) -> {
            Trait trait = traits.trait(name)
                    .orElseThrow(() -> new InvalidInputException(
                            "personality '" + id + "' has no trait '" + InvalidInputException.cap(name)
                                    + "'; its traits are " + traits.values().keySet()));
            if (value == null || !Double.isFinite(value)) {
                throw new InvalidInputException("trait '" + name + "' needs a finite value, got " + value);
            }
            if (!trait.evolvable() && value != trait.value()) {
                throw new InvalidInputException("trait '" + name + "' of '" + id + "' is not evolvable; "
                        + "mark it evolvable in the personality before proposing changes to it");
            }
            if (value < trait.min() || value > trait.max()) {
                throw new InvalidInputException("trait '" + name + "' of '" + id + "' must stay within [" + trait.min()
                        + ", " + trait.max() + "], got " + value);
            }
        });
        return traits.withValues(values);
    }

    private PersonalityVersion read(Handle h, String id, int version) {
        return decode(repository
                .version(h, id, version)
                .orElseThrow(() -> new IllegalStateException(
                        "personality '" + id + "' points at version " + version + ", which is not stored")));
    }

    private PersonalityVersion decode(PersonalityRepository.StoredVersion stored) {
        Personality personality =
                codec.restore("stored personality " + stored.id() + " v" + stored.version(), stored.document());
        return new PersonalityVersion(personality, stored.version(), stored.source(), stored.createdAt());
    }

    /**
     * The same kind of source as the stored one: bundle paths differ between hosts' directories; a
     * plugin is the same plugin.
     */
    private static boolean sameSource(PersonalityRepository.Pointer row, Owner owner) {
        return row.owner().kind() == owner.kind()
                && (owner.kind() == Owner.Kind.BUNDLE || row.owner().equals(owner));
    }

    /**
     * True when {@link #offer} would change nothing but re-record this host's import: the stored
     * personality is live, comes from this kind of source, and this host last imported exactly this
     * content. Then {@code offer} answers from two reads instead of a locking transaction.
     */
    private boolean alreadyImportedHere(String id, String originHash, Owner owner) {
        return jdbi.withHandle(h -> {
            Optional<PersonalityRepository.Pointer> row = repository.pointer(h, id);
            if (row.isEmpty() || !row.get().live() || !sameSource(row.get(), owner)) {
                return false;
            }
            return h.createQuery(
                            "SELECT origin_hash FROM bundle_imports WHERE host_id = :host AND personality_id = :id")
                    .bind("host", hostId)
                    .bind("id", id)
                    .mapTo(String.class)
                    .findOne()
                    .map(originHash::equals)
                    .orElse(false);
        });
    }

    /**
     * True when this source content was imported before: by this host last time (its directory is
     * unchanged since), or, for a host that never imported this id, by any host or as any earlier
     * version from this kind of source (a host started with an old copy of the directory).
     */
    private boolean importedBefore(Handle h, String id, String originHash, Owner owner) {
        Optional<String> mine = h.createQuery(
                        "SELECT origin_hash FROM bundle_imports WHERE host_id = :host AND personality_id = :id")
                .bind("host", hostId)
                .bind("id", id)
                .mapTo(String.class)
                .findOne();
        if (mine.isPresent()) {
            return mine.get().equals(originHash);
        }
        return h.createQuery("SELECT COUNT(*) FROM bundle_imports WHERE personality_id = :id AND origin_hash = :hash")
                                .bind("id", id)
                                .bind("hash", originHash)
                                .mapTo(Integer.class)
                                .one()
                        > 0
                || h.createQuery(
                                        "SELECT COUNT(*) FROM personality_versions WHERE personality_id = :id AND content_hash = :hash"
                                                + " AND source = :source")
                                .bind("id", id)
                                .bind("hash", originHash)
                                .bind("source", owner.source())
                                .mapTo(Integer.class)
                                .one()
                        > 0;
    }

    private void recordImport(Handle h, String id, String originHash) {
        java.time.OffsetDateTime now = clock.instant().atOffset(java.time.ZoneOffset.UTC);
        int updated = h.createUpdate("UPDATE bundle_imports SET origin_hash = :hash, imported_at = :at"
                        + " WHERE host_id = :host AND personality_id = :id")
                .bind("hash", originHash)
                .bind("at", now)
                .bind("host", hostId)
                .bind("id", id)
                .execute();
        if (updated == 0) {
            h.createUpdate(
                            "INSERT INTO bundle_imports (host_id, personality_id, origin_hash, imported_at) VALUES (:host, :id, :hash, :at)")
                    .bind("hash", originHash)
                    .bind("at", now)
                    .bind("host", hostId)
                    .bind("id", id)
                    .execute();
        }
    }

    /**
     * Returns the hash of {@code personality}'s canonical encoding, which {@link #offer} compares with the
     * stored one. The last hash of each id is kept: a source read again unchanged (every restart, every poll
     * after a change elsewhere in the directory) is not encoded again.
     */
    String originHash(Personality personality) {
        Map.Entry<Personality, String> known = originHashes.get(personality.id());
        if (known != null && known.getKey().equals(personality)) {
            return known.getValue();
        }
        String hash = hash(codec.encode(personality));
        originHashes.put(personality.id(), Map.entry(personality, hash));
        return hash;
    }

    static String hash(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
