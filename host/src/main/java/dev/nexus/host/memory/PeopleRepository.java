package dev.nexus.host.memory;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Profiles ({@code memory_profile}) and relationships ({@code memory_relationship}). Thread-safe. */
final class PeopleRepository {

    /** A stored profile row. */
    record ProfileRow(String displayName, Map<String, String> attributes, Instant updatedAt) {}

    private final Database database;

    PeopleRepository(Database database) {
        this.database = database;
    }

    Optional<ProfileRow> profile(String user) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT display_name, attributes, updated_at FROM memory_profile WHERE user_id = :user")
                        .bind("user", user)
                        .map((rs, ctx) -> new ProfileRow(
                                rs.getString("display_name"),
                                attributes(rs.getString("attributes")),
                                FactRepository.instant(rs, "updated_at")))
                        .findOne());
    }

    void saveProfile(String user, Profile.Update update, Instant at) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM memory_profile WHERE user_id = :user")
                    .bind("user", user)
                    .execute();
            h.createUpdate("INSERT INTO memory_profile (user_id, display_name, attributes, updated_at) "
                            + "VALUES (:user, :name, :attributes, :at)")
                    .bind("user", user)
                    .bind("name", update.displayName())
                    .bind("attributes", Json.write(update.attributes()))
                    .bind("at", FactRepository.time(at))
                    .execute();
        });
    }

    /** Deletes the profile and the relationships of {@code user}, in one transaction; returns how many rows. */
    int deleteUser(String user) {
        return database.jdbi()
                .inTransaction(h -> h.createUpdate("DELETE FROM memory_profile WHERE user_id = :user")
                                .bind("user", user)
                                .execute()
                        + h.createUpdate("DELETE FROM memory_relationship WHERE user_id = :user")
                                .bind("user", user)
                                .execute());
    }

    List<Relationship> relationships(String user) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM memory_relationship WHERE user_id = :user "
                                + "ORDER BY last_interaction DESC")
                        .bind("user", user)
                        .map((rs, ctx) -> new Relationship(
                                rs.getString("user_id"),
                                rs.getString("personality"),
                                rs.getLong("interaction_count"),
                                rs.getDouble("sentiment"),
                                FactRepository.instant(rs, "first_interaction"),
                                FactRepository.instant(rs, "last_interaction")))
                        .list());
    }

    /**
     * Counts one more interaction, folding {@code sentiment} into the running average (each new
     * message weighs 20 %). Joins the caller's transaction when there is one (the turn's episodes); the
     * first turn of a user with a personality inserts the row, so two at once fail one with a unique
     * violation, and the caller tries again.
     */
    void recordInteraction(String user, String personality, double sentiment, Instant at) {
        countInteraction(user, personality, sentiment, at);
    }

    private void countInteraction(String user, String personality, double sentiment, Instant at) {
        database.jdbi().useTransaction(h -> {
            int updated = h.createUpdate("UPDATE memory_relationship SET interaction_count = interaction_count + 1, "
                            + "sentiment = sentiment * 0.8 + :s * 0.2, last_interaction = :at "
                            + "WHERE user_id = :user AND personality = :p")
                    .bind("s", sentiment)
                    .bind("at", FactRepository.time(at))
                    .bind("user", user)
                    .bind("p", personality)
                    .execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO memory_relationship (user_id, personality, interaction_count, sentiment, "
                                + "first_interaction, last_interaction) VALUES (:user, :p, 1, :s, :at, :at)")
                        .bind("user", user)
                        .bind("p", personality)
                        .bind("s", sentiment)
                        .bind("at", FactRepository.time(at))
                        .execute();
            }
        });
    }

    private static Map<String, String> attributes(String json) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Json.readMap(json).forEach((k, v) -> attributes.put(k, String.valueOf(v)));
        return attributes;
    }
}
