package dev.nexus.host.knowledge;

import dev.nexus.host.db.Database;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Imported packs, per-personality activations and World Info timed effects in the database. Thread-safe. */
final class KnowledgeRepository {

    /**
     * A stored pack.
     *
     * @param id the pack id
     * @param document the pack as JSON ({@link PackDocument})
     * @param source what imported it
     */
    record StoredPack(String id, String document, String source) {}

    private final Database database;

    KnowledgeRepository(Database database) {
        this.database = database;
    }

    List<StoredPack> packs() {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT id, document, source FROM knowledge_pack ORDER BY id")
                        .map((rs, ctx) ->
                                new StoredPack(rs.getString("id"), rs.getString("document"), rs.getString("source")))
                        .list());
    }

    void savePack(String id, String name, String document, String source, Instant at) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM knowledge_pack WHERE id = :id")
                    .bind("id", id)
                    .execute();
            h.createUpdate("INSERT INTO knowledge_pack (id, name, document, source, created_at) "
                            + "VALUES (:id, :name, :document, :source, :at)")
                    .bind("id", id)
                    .bind("name", name)
                    .bind("document", document)
                    .bind("source", source)
                    .bind("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                    .execute();
        });
    }

    boolean deletePack(String id) {
        return database.jdbi().inTransaction(h -> {
            h.createUpdate("DELETE FROM knowledge_activation WHERE pack_id = :id")
                    .bind("id", id)
                    .execute();
            return h.createUpdate("DELETE FROM knowledge_pack WHERE id = :id")
                            .bind("id", id)
                            .execute()
                    > 0;
        });
    }

    /** Returns pack id to mode ({@code always} or {@code never}) for {@code personality}. */
    Map<String, String> activations(String personality) {
        return database
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT pack_id, mode FROM knowledge_activation WHERE personality = :p")
                        .bind("p", personality)
                        .map((rs, ctx) -> Map.entry(rs.getString("pack_id"), rs.getString("mode")))
                        .list())
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Returns personality to mode for {@code packId}. */
    Map<String, String> activationsOf(String packId) {
        return database
                .jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT personality, mode FROM knowledge_activation WHERE pack_id = :id ORDER BY personality")
                        .bind("id", packId)
                        .map((rs, ctx) -> Map.entry(rs.getString("personality"), rs.getString("mode")))
                        .list())
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new));
    }

    void setActivation(String packId, String personality, String mode, Instant at) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM knowledge_activation WHERE pack_id = :id AND personality = :p")
                    .bind("id", packId)
                    .bind("p", personality)
                    .execute();
            h.createUpdate("INSERT INTO knowledge_activation (pack_id, personality, mode, updated_at) "
                            + "VALUES (:id, :p, :mode, :at)")
                    .bind("id", packId)
                    .bind("p", personality)
                    .bind("mode", mode)
                    .bind("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                    .execute();
        });
    }

    boolean clearActivation(String packId, String personality) {
        return database.jdbi()
                .withHandle(
                        h -> h.createUpdate("DELETE FROM knowledge_activation WHERE pack_id = :id AND personality = :p")
                                        .bind("id", packId)
                                        .bind("p", personality)
                                        .execute()
                                > 0);
    }

    /** Returns the timed-effect state of {@code conversation}, by entry key. */
    Map<String, WorldInfo.Timed> timed(String conversation) {
        return database
                .jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT entry_key, activated_at, sticky_until, cooldown_until FROM world_info_timed WHERE conversation_id = :c")
                        .bind("c", conversation)
                        .map((rs, ctx) -> Map.entry(
                                rs.getString("entry_key"),
                                new WorldInfo.Timed(
                                        rs.getLong("activated_at"),
                                        rs.getLong("sticky_until"),
                                        rs.getLong("cooldown_until"))))
                        .list())
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
    }

    /**
     * Replaces the effects set at chat length {@code chatLength} (the same turn evaluated again) with
     * {@code now}, the effects this evaluation set; changes nothing when effects from a later turn exist
     * (an older turn regenerated: the conversation went on from that turn's first reply).
     */
    void saveTimed(String conversation, long chatLength, Map<String, WorldInfo.Timed> now, Instant at) {
        database.jdbi().useTransaction(h -> {
            boolean advanced = h.createQuery(
                                    "SELECT COUNT(*) FROM world_info_timed WHERE conversation_id = :c AND activated_at > :len")
                            .bind("c", conversation)
                            .bind("len", chatLength)
                            .mapTo(Long.class)
                            .one()
                    > 0;
            if (advanced) {
                return; // an older turn regenerated: the conversation went on from its first reply, keep its state
            }
            h.createUpdate("DELETE FROM world_info_timed WHERE conversation_id = :c AND activated_at >= :len")
                    .bind("c", conversation)
                    .bind("len", chatLength)
                    .execute();
            for (Map.Entry<String, WorldInfo.Timed> e : now.entrySet()) {
                h.createUpdate("DELETE FROM world_info_timed WHERE conversation_id = :c AND entry_key = :k")
                        .bind("c", conversation)
                        .bind("k", e.getKey())
                        .execute();
                h.createUpdate("INSERT INTO world_info_timed (conversation_id, entry_key, activated_at, sticky_until, "
                                + "cooldown_until, updated_at) VALUES (:c, :k, :a, :s, :cd, :at)")
                        .bind("c", conversation)
                        .bind("k", e.getKey())
                        .bind("a", e.getValue().activatedAt())
                        .bind("s", e.getValue().stickyUntil())
                        .bind("cd", e.getValue().cooldownUntil())
                        .bind("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                        .execute();
            }
        });
    }
}
