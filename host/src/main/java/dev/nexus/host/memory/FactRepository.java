package dev.nexus.host.memory;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Facts in {@code memory_fact}. Thread-safe. */
final class FactRepository {

    private static final String COLUMNS =
            "id, user_id, personality, fact, category, source, slot, confidence, importance, "
                    + "retrieval_count, created_at, updated_at, occurred_at, valid_until, superseded_by, pinned, external_id, metadata, "
                    + "source_message, about_relation, about_name";

    /** A fact with its stored vector, for loading the index. */
    record Stored(Fact fact, Optional<byte[]> embedding, String model) {}

    private final Database database;

    FactRepository(Database database) {
        this.database = database;
    }

    void insert(Fact fact, byte[] embedding, String model) {
        insertAll(List.of(new Stored(fact, Optional.ofNullable(embedding), model)));
    }

    /** Inserts {@code fact} and, in the same transaction, marks {@code older} as superseded by it from its occurredAt. */
    void insertSuperseding(Fact fact, byte[] embedding, String model, String older) {
        insertAll(List.of(new Stored(fact, Optional.ofNullable(embedding), model)), Optional.of(older));
    }

    void insertAll(List<Stored> facts) {
        insertAll(facts, Optional.empty());
    }

    private void insertAll(List<Stored> facts, Optional<String> supersede) {
        database.jdbi().useTransaction(h -> {
            supersede.ifPresent(older -> h.createUpdate(
                            "UPDATE memory_fact SET valid_until = :until, superseded_by = :newer " + "WHERE id = :id")
                    .bind("until", time(facts.get(0).fact().occurredAt()))
                    .bind("newer", facts.get(0).fact().id())
                    .bind("id", older)
                    .execute());
            PreparedBatch batch =
                    h.prepareBatch("INSERT INTO memory_fact (" + COLUMNS + ", embedding, embedding_model) VALUES "
                            + "(:id, :user, :personality, :fact, :category, :source, :slot, :confidence, :importance, "
                            + ":retrievals, :created, :updated, :occurred, :until, :supersededBy, :pinned, :externalId, :metadata, "
                            + ":sourceMessage, :aboutRelation, :aboutName, :embedding, :model)");
            for (Stored stored : facts) {
                Fact f = stored.fact();
                batch.bind("id", f.id())
                        .bind("user", f.user())
                        .bind("personality", f.personality().orElse(""))
                        .bind("fact", f.text())
                        .bind("category", f.category().label())
                        .bind("source", f.source().label())
                        .bind("slot", f.slot().orElse(null))
                        .bind("confidence", f.confidence())
                        .bind("importance", f.importance())
                        .bind("retrievals", f.retrievalCount())
                        .bind("created", time(f.createdAt()))
                        .bind("updated", time(f.updatedAt()))
                        .bind("occurred", time(f.occurredAt()))
                        .bind("until", f.validUntil().map(FactRepository::time).orElse(null))
                        .bind("supersededBy", f.supersededBy().orElse(null))
                        .bind("pinned", f.pinned())
                        .bind("externalId", f.externalId().orElse(null))
                        .bind("metadata", f.metadata().isEmpty() ? null : Json.write(f.metadata()))
                        .bind("sourceMessage", f.sourceMessage().orElse(null))
                        .bind(
                                "aboutRelation",
                                f.about()
                                        .map(Person::relation)
                                        .filter(r -> !r.isEmpty())
                                        .orElse(null))
                        .bind(
                                "aboutName",
                                f.about()
                                        .map(Person::name)
                                        .filter(n -> !n.isEmpty())
                                        .orElse(null))
                        .bind("embedding", stored.embedding().orElse(null))
                        .bind("model", stored.model())
                        .add();
            }
            batch.execute();
        });
    }

    /** Replaces the text, confidence, importance, vector and update time of a fact. */
    void restate(
            String id, String text, double confidence, double importance, Instant at, byte[] embedding, String model) {
        database.jdbi()
                .useHandle(h -> h.createUpdate(
                                "UPDATE memory_fact SET fact = :fact, confidence = :confidence, "
                                        + "importance = :importance, updated_at = :at, embedding = :embedding, embedding_model = :model WHERE id = :id")
                        .bind("fact", text)
                        .bind("confidence", confidence)
                        .bind("importance", importance)
                        .bind("at", time(at))
                        .bind("embedding", embedding)
                        .bind("model", model)
                        .bind("id", id)
                        .execute());
    }

    Optional<Fact> find(String id) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM memory_fact WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> fact(rs))
                        .findOne());
    }

    List<Fact> findAll(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM memory_fact WHERE id IN (<ids>)")
                        .bindList("ids", List.copyOf(ids))
                        .map((rs, ctx) -> fact(rs))
                        .list());
    }

    /** Returns the current fact in {@code slot}, if any. */
    Optional<Fact> findBySlot(String user, String personality, String slot) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM memory_fact "
                                + "WHERE user_id = :user AND personality = :personality AND slot = :slot AND valid_until IS NULL "
                                + "ORDER BY occurred_at DESC, updated_at DESC")
                        .bind("user", user)
                        .bind("personality", personality)
                        .bind("slot", slot)
                        .map((rs, ctx) -> fact(rs))
                        .findFirst());
    }

    /** Returns current facts of {@code user} newest first, optionally only for one personality and category. */
    List<Fact> list(String user, Optional<String> personality, Optional<FactCategory> category, int limit, int offset) {
        return list(user, personality, category, limit, offset, false);
    }

    /** Returns facts of {@code user} newest first; superseded ones only when {@code history}. */
    List<Fact> list(
            String user,
            Optional<String> personality,
            Optional<FactCategory> category,
            int limit,
            int offset,
            boolean history) {
        return database.jdbi().withHandle(h -> {
            var query = h.createQuery("SELECT " + COLUMNS + " FROM memory_fact WHERE user_id = :user"
                    + (history ? "" : " AND valid_until IS NULL")
                    + (personality.isPresent() ? " AND personality IN (:personality, '')" : "")
                    + (category.isPresent() ? " AND category = :category" : "")
                    + " ORDER BY updated_at DESC, id DESC LIMIT :limit OFFSET :offset");
            personality.ifPresent(p -> query.bind("personality", p));
            category.ifPresent(c -> query.bind("category", c.label()));
            return query.bind("user", user)
                    .bind("limit", limit)
                    .bind("offset", offset)
                    .map((rs, ctx) -> fact(rs))
                    .list();
        });
    }

    /** Returns the fact of {@code user} with the caller's {@code externalId}, if any. */
    Optional<Fact> findByExternalId(String user, String externalId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM memory_fact "
                                + "WHERE user_id = :user AND external_id = :external ORDER BY created_at LIMIT 1")
                        .bind("user", user)
                        .bind("external", externalId)
                        .map((rs, ctx) -> fact(rs))
                        .findOne());
    }

    /** Returns every version of a slot (oldest first): the facts of that user, scope and slot. */
    List<Fact> versions(String user, String personality, String slot) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT " + COLUMNS + " FROM memory_fact "
                                        + "WHERE user_id = :user AND personality = :personality AND slot = :slot ORDER BY occurred_at, created_at")
                        .bind("user", user)
                        .bind("personality", personality)
                        .bind("slot", slot)
                        .map((rs, ctx) -> fact(rs))
                        .list());
    }

    /** Returns up to {@code limit} facts of {@code user} whose text contains {@code word} (any case). */
    List<Fact> containing(String user, String word, int limit) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT " + COLUMNS + " FROM memory_fact "
                                        + "WHERE user_id = :user AND LOWER(fact) LIKE :pattern ORDER BY importance DESC, updated_at DESC LIMIT :limit")
                        .bind("user", user)
                        .bind("pattern", "%" + word.replace("%", "").replace("_", "") + "%")
                        .bind("limit", limit)
                        .map((rs, ctx) -> fact(rs))
                        .list());
    }

    /** Returns the most important, most recent facts of {@code user} (candidates when no vector is at hand). */
    List<Fact> mostImportant(String user, int limit) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT " + COLUMNS + " FROM memory_fact "
                                        + "WHERE user_id = :user AND valid_until IS NULL ORDER BY importance DESC, updated_at DESC LIMIT :limit")
                        .bind("user", user)
                        .bind("limit", limit)
                        .map((rs, ctx) -> fact(rs))
                        .list());
    }

    /** Returns ids of the least valuable unpinned facts of {@code user} (pinned facts are never dropped). */
    List<String> leastValuable(String user, int limit) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT id FROM memory_fact WHERE user_id = :user AND pinned = FALSE "
                                + "ORDER BY importance * (1 + retrieval_count) ASC, updated_at ASC LIMIT :limit")
                        .bind("user", user)
                        .bind("limit", limit)
                        .mapTo(String.class)
                        .list());
    }

    int count(String user) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM memory_fact WHERE user_id = :user")
                        .bind("user", user)
                        .mapTo(Integer.class)
                        .one());
    }

    List<String> users() {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT DISTINCT user_id FROM memory_fact")
                        .mapTo(String.class)
                        .list());
    }

    /** Pins or unpins one fact; returns whether it exists. */
    boolean setPinned(String id, boolean pinned) {
        return database.jdbi()
                .withHandle(h -> h.createUpdate("UPDATE memory_fact SET pinned = :pinned WHERE id = :id")
                                .bind("pinned", pinned)
                                .bind("id", id)
                                .execute()
                        > 0);
    }

    boolean delete(String id) {
        return database.jdbi()
                .withHandle(h -> h.createUpdate("DELETE FROM memory_fact WHERE id = :id")
                                .bind("id", id)
                                .execute()
                        > 0);
    }

    void deleteAll(Collection<String> ids) {
        if (!ids.isEmpty()) {
            database.jdbi()
                    .useHandle(h -> h.createUpdate("DELETE FROM memory_fact WHERE id IN (<ids>)")
                            .bindList("ids", List.copyOf(ids))
                            .execute());
        }
    }

    /** Deletes every fact of {@code user}; returns their ids. */
    List<String> deleteUser(String user) {
        return database.jdbi().inTransaction(h -> {
            List<String> ids = h.createQuery("SELECT id FROM memory_fact WHERE user_id = :user")
                    .bind("user", user)
                    .mapTo(String.class)
                    .list();
            h.createUpdate("DELETE FROM memory_fact WHERE user_id = :user")
                    .bind("user", user)
                    .execute();
            return ids;
        });
    }

    void recordRetrieval(Collection<String> ids, Instant at) {
        if (!ids.isEmpty()) {
            database.jdbi()
                    .useHandle(h -> h.createUpdate("UPDATE memory_fact SET retrieval_count = retrieval_count + 1, "
                                    + "last_retrieved_at = :at WHERE id IN (<ids>)")
                            .bind("at", time(at))
                            .bindList("ids", List.copyOf(ids))
                            .execute());
        }
    }

    /** Streams every fact with its vector (for rebuilding the index at start-up). */
    void forEachStored(Consumer<Stored> consumer) {
        database.jdbi()
                .useHandle(h -> h.createQuery("SELECT " + COLUMNS + ", embedding, embedding_model FROM memory_fact")
                        .setFetchSize(1000)
                        .map((rs, ctx) -> new Stored(
                                fact(rs),
                                Optional.ofNullable(rs.getBytes("embedding")),
                                rs.getString("embedding_model") == null ? "" : rs.getString("embedding_model")))
                        .forEach(consumer));
    }

    /** Returns one fact with its embedding. */
    Optional<Stored> stored(String id) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT " + COLUMNS + ", embedding, embedding_model FROM memory_fact WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> new Stored(
                                fact(rs),
                                Optional.ofNullable(rs.getBytes("embedding")),
                                rs.getString("embedding_model") == null ? "" : rs.getString("embedding_model")))
                        .findOne());
    }

    void saveEmbedding(String id, byte[] embedding, String model) {
        database.jdbi()
                .useHandle(h -> h.createUpdate(
                                "UPDATE memory_fact SET embedding = :e, embedding_model = :m WHERE id = :id")
                        .bind("e", embedding)
                        .bind("m", model)
                        .bind("id", id)
                        .execute());
    }

    @SuppressWarnings("unchecked")
    static Fact fact(ResultSet rs) throws SQLException {
        String personality = rs.getString("personality");
        Instant created = instant(rs, "created_at");
        OffsetDateTime occurred = rs.getObject("occurred_at", OffsetDateTime.class);
        OffsetDateTime until = rs.getObject("valid_until", OffsetDateTime.class);
        String metadata = rs.getString("metadata");
        return new Fact(
                rs.getString("id"),
                rs.getString("user_id"),
                personality.isEmpty() ? Optional.empty() : Optional.of(personality),
                rs.getString("fact"),
                FactCategory.parse(rs.getString("category")),
                FactSource.parse(rs.getString("source")),
                rs.getDouble("confidence"),
                rs.getDouble("importance"),
                rs.getInt("retrieval_count"),
                created,
                instant(rs, "updated_at"),
                Optional.ofNullable(rs.getString("slot")),
                occurred == null ? created : occurred.toInstant(),
                Optional.ofNullable(until).map(OffsetDateTime::toInstant),
                Optional.ofNullable(rs.getString("superseded_by")),
                rs.getBoolean("pinned"),
                Optional.ofNullable(rs.getString("external_id")),
                metadata == null ? Map.of() : (Map<String, String>) (Map<?, ?>) Json.read(metadata, Map.class),
                Optional.ofNullable(rs.getString("source_message")),
                person(rs.getString("about_relation"), rs.getString("about_name")));
    }

    private static Optional<Person> person(String relation, String name) {
        return relation == null && name == null ? Optional.empty() : Optional.of(new Person(relation, name));
    }

    /** Returns {@code user}'s current facts about other people, newest first (their relationship graph). */
    List<Fact> aboutPeople(String user, int limit) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM memory_fact WHERE user_id = :user "
                                + "AND valid_until IS NULL AND (about_relation IS NOT NULL OR about_name IS NOT NULL) "
                                + "ORDER BY occurred_at DESC, id DESC LIMIT :limit")
                        .bind("user", user)
                        .bind("limit", limit)
                        .map((rs, ctx) -> fact(rs))
                        .list());
    }

    static OffsetDateTime time(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
