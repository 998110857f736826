package dev.nexus.host.memory;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Episodes in {@code memory_episode}. Thread-safe. */
final class EpisodeRepository {

    private static final String COLUMNS = "id, user_id, personality, conversation, platform, participants, role, text, "
            + "importance, retrieval_count, occurred_at, speaker_name";

    /** An episode with its stored vector, for loading the index. */
    record Stored(Episode episode, Optional<byte[]> embedding, String model) {}

    private final Database database;

    EpisodeRepository(Database database) {
        this.database = database;
    }

    void insert(Episode e, byte[] embedding, String model) {
        database.jdbi()
                .useHandle(
                        h -> h.createUpdate("INSERT INTO memory_episode (" + COLUMNS + ", embedding, embedding_model) "
                                        + "VALUES (:id, :user, :personality, :conversation, :platform, :participants, :role, :text, "
                                        + ":importance, :retrievals, :at, :speaker, :embedding, :model)")
                                .bind("speaker", e.speaker().orElse(null))
                                .bind("id", e.id())
                                .bind("user", e.user())
                                .bind("personality", e.personality())
                                .bind("conversation", e.conversation())
                                .bind("platform", e.platform())
                                .bind("participants", Json.write(e.participants()))
                                .bind("role", e.role())
                                .bind("text", e.text())
                                .bind("importance", e.importance())
                                .bind("retrievals", e.retrievalCount())
                                .bind("at", FactRepository.time(e.at()))
                                .bind("embedding", embedding)
                                .bind("model", model)
                                .execute());
    }

    List<Episode> findAll(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM memory_episode WHERE id IN (<ids>)")
                        .bindList("ids", List.copyOf(ids))
                        .map((rs, ctx) -> episode(rs))
                        .list());
    }

    /** Returns the user's oldest episodes written before {@code before}, oldest first. */
    List<Episode> before(String user, Instant before, int limit) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT " + COLUMNS + " FROM memory_episode "
                                        + "WHERE user_id = :user AND occurred_at < :before ORDER BY occurred_at, id LIMIT :limit")
                        .bind("user", user)
                        .bind("before", FactRepository.time(before))
                        .bind("limit", limit)
                        .map((rs, ctx) -> episode(rs))
                        .list());
    }

    /** Returns the user's oldest episodes, oldest first. */
    List<Episode> oldest(String user, int limit) {
        return before(user, Instant.parse("9999-12-31T00:00:00Z"), limit);
    }

    /** Deletes every episode of {@code user}; returns their ids. */
    List<String> deleteUser(String user) {
        return database.jdbi().inTransaction(h -> {
            List<String> ids = h.createQuery("SELECT id FROM memory_episode WHERE user_id = :user")
                    .bind("user", user)
                    .mapTo(String.class)
                    .list();
            h.createUpdate("DELETE FROM memory_episode WHERE user_id = :user")
                    .bind("user", user)
                    .execute();
            return ids;
        });
    }

    List<String> users() {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT DISTINCT user_id FROM memory_episode")
                        .mapTo(String.class)
                        .list());
    }

    int count(String user) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM memory_episode WHERE user_id = :user")
                        .bind("user", user)
                        .mapTo(Integer.class)
                        .one());
    }

    void deleteAll(Collection<String> ids) {
        if (!ids.isEmpty()) {
            database.jdbi()
                    .useHandle(h -> h.createUpdate("DELETE FROM memory_episode WHERE id IN (<ids>)")
                            .bindList("ids", List.copyOf(ids))
                            .execute());
        }
    }

    void recordRetrieval(Collection<String> ids, Instant at) {
        if (!ids.isEmpty()) {
            database.jdbi()
                    .useHandle(h -> h.createUpdate("UPDATE memory_episode SET retrieval_count = retrieval_count + 1, "
                                    + "last_retrieved_at = :at WHERE id IN (<ids>)")
                            .bind("at", FactRepository.time(at))
                            .bindList("ids", List.copyOf(ids))
                            .execute());
        }
    }

    /** Streams every user-written episode with its vector (for rebuilding the index at start-up). */
    void forEachStored(Consumer<Stored> consumer) {
        database.jdbi()
                .useHandle(h -> h.createQuery("SELECT " + COLUMNS + ", embedding, embedding_model FROM memory_episode "
                                + "WHERE role = 'user'")
                        .setFetchSize(1000)
                        .map((rs, ctx) -> new Stored(
                                episode(rs),
                                Optional.ofNullable(rs.getBytes("embedding")),
                                rs.getString("embedding_model") == null ? "" : rs.getString("embedding_model")))
                        .forEach(consumer));
    }

    /** Returns one user episode with its embedding. */
    Optional<Stored> stored(String id) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT " + COLUMNS + ", embedding, embedding_model FROM memory_episode "
                                + "WHERE id = :id AND role = 'user'")
                        .bind("id", id)
                        .map((rs, ctx) -> new Stored(
                                episode(rs),
                                Optional.ofNullable(rs.getBytes("embedding")),
                                rs.getString("embedding_model") == null ? "" : rs.getString("embedding_model")))
                        .findOne());
    }

    void saveEmbedding(String id, byte[] embedding, String model) {
        database.jdbi()
                .useHandle(h -> h.createUpdate(
                                "UPDATE memory_episode SET embedding = :e, embedding_model = :m WHERE id = :id")
                        .bind("e", embedding)
                        .bind("m", model)
                        .bind("id", id)
                        .execute());
    }

    private static Episode episode(ResultSet rs) throws SQLException {
        String[] participants = Json.read(rs.getString("participants"), String[].class);
        return new Episode(
                rs.getString("id"),
                rs.getString("user_id"),
                rs.getString("personality"),
                rs.getString("conversation"),
                rs.getString("platform"),
                Arrays.asList(participants),
                rs.getString("role"),
                rs.getString("text"),
                rs.getDouble("importance"),
                rs.getInt("retrieval_count"),
                FactRepository.instant(rs, "occurred_at"),
                Optional.ofNullable(rs.getString("speaker_name")));
    }
}
