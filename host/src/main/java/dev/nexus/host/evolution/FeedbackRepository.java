package dev.nexus.host.evolution;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jdbi.v3.core.Jdbi;

/** Stores feedback. Thread-safe. */
final class FeedbackRepository {

    private final Jdbi jdbi;

    FeedbackRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    /** Stores {@code f}; {@code source} names the outside event it came from (unique), if any. */
    void insert(Feedback f, Optional<String> source) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO feedback (id, message_id, personality_id, personality_version, traits, rating, rating_given,
                    critiques, comment, rater, reply_length, message_length, created_at, source)
                VALUES (:id, :message, :personality, :version, :traits, :rating, :given, :critiques, :comment, :rater,
                    :replyLength, :messageLength, :createdAt, :source)""")
                .bind("id", f.id())
                .bind("message", f.message())
                .bind("personality", f.personality())
                .bind("version", f.personalityVersion())
                .bind("traits", Json.write(f.traits()))
                .bind("rating", f.rating().isPresent() ? f.rating().getAsDouble() : null)
                .bind("given", f.ratingGiven().orElse(null))
                .bind("critiques", Json.write(f.critiques()))
                .bind("comment", f.comment().orElse(null))
                .bind("rater", f.rater())
                .bind("replyLength", f.replyLength())
                .bind("messageLength", f.messageLength())
                .bind("createdAt", f.createdAt().atOffset(ZoneOffset.UTC))
                .bind("source", source.orElse(null))
                .execute());
    }

    Optional<Feedback> find(String message, String rater) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM feedback WHERE message_id = :m AND rater = :r")
                .bind("m", message)
                .bind("r", rater)
                .map((rs, ctx) -> read(rs))
                .findOne());
    }

    /** Returns the feedback that came from the outside event {@code source}, if any. */
    Optional<Feedback> findBySource(String source) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM feedback WHERE source = :s")
                .bind("s", source)
                .map((rs, ctx) -> read(rs))
                .findOne());
    }

    /** Returns the feedback on one reply, oldest first. */
    List<Feedback> forMessage(String message) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT * FROM feedback WHERE message_id = :m ORDER BY created_at, id")
                        .bind("m", message)
                        .map((rs, ctx) -> read(rs))
                        .list());
    }

    /** Returns the feedback on any of {@code messages} or given by any of {@code raters}, oldest first. */
    List<Feedback> about(List<String> messages, List<String> raters) {
        List<Feedback> found = new ArrayList<>();
        jdbi.useHandle(h -> {
            for (List<String> chunk : chunks(messages)) {
                found.addAll(h.createQuery("SELECT * FROM feedback WHERE message_id IN (<ids>)")
                        .bindList("ids", chunk)
                        .map((rs, ctx) -> read(rs))
                        .list());
            }
            for (List<String> chunk : chunks(raters)) {
                found.addAll(h.createQuery("SELECT * FROM feedback WHERE rater IN (<raters>)")
                        .bindList("raters", chunk)
                        .map((rs, ctx) -> read(rs))
                        .list());
            }
        });
        Map<String, Feedback> distinct = new LinkedHashMap<>();
        found.stream()
                .sorted(java.util.Comparator.comparing(Feedback::createdAt).thenComparing(Feedback::id))
                .forEach(f -> distinct.putIfAbsent(f.id(), f));
        return List.copyOf(distinct.values());
    }

    /** Deletes the feedback on any of {@code messages} or given by any of {@code raters}, in one transaction; returns how many. */
    int deleteAbout(List<String> messages, List<String> raters) {
        return jdbi.inTransaction(h -> {
            int deleted = 0;
            for (List<String> chunk : chunks(messages)) {
                deleted += h.createUpdate("DELETE FROM feedback WHERE message_id IN (<ids>)")
                        .bindList("ids", chunk)
                        .execute();
            }
            for (List<String> chunk : chunks(raters)) {
                deleted += h.createUpdate("DELETE FROM feedback WHERE rater IN (<raters>)")
                        .bindList("raters", chunk)
                        .execute();
            }
            return deleted;
        });
    }

    /** Splits {@code ids} into lists of at most 500, so no statement exceeds a database's limit of bound values. */
    private static List<List<String>> chunks(List<String> ids) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += 500) {
            chunks.add(List.copyOf(ids.subList(from, Math.min(ids.size(), from + 500))));
        }
        return chunks;
    }

    /** Returns every feedback event on {@code personality}, oldest first (at most {@code limit}, the newest). */
    List<Feedback> forPersonality(String personality, int limit) {
        List<Feedback> newest = jdbi.withHandle(h -> h.createQuery("""
                SELECT * FROM feedback WHERE personality_id = :p ORDER BY created_at DESC, id DESC LIMIT :limit""")
                .bind("p", personality)
                .bind("limit", limit)
                .map((rs, ctx) -> read(rs))
                .list());
        return newest.reversed();
    }

    int countSince(String personality, Instant since) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT COUNT(*) FROM feedback WHERE personality_id = :p AND created_at > :since")
                        .bind("p", personality)
                        .bind("since", since.atOffset(ZoneOffset.UTC))
                        .mapTo(Integer.class)
                        .one());
    }

    private static Feedback read(ResultSet rs) throws SQLException {
        double rating = rs.getDouble("rating");
        OptionalDouble normalised = rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(rating);
        Map<String, Double> traits = new LinkedHashMap<>();
        Json.readMap(rs.getString("traits")).forEach((name, value) -> traits.put(name, ((Number) value).doubleValue()));
        List<String> critiques = Json.read(rs.getString("critiques"), String[].class).length == 0
                ? List.of()
                : List.of(Json.read(rs.getString("critiques"), String[].class));
        return new Feedback(
                rs.getString("id"),
                rs.getString("message_id"),
                rs.getString("personality_id"),
                rs.getInt("personality_version"),
                traits,
                normalised,
                Optional.ofNullable(rs.getString("rating_given")),
                critiques,
                Optional.ofNullable(rs.getString("comment")),
                rs.getString("rater"),
                rs.getInt("reply_length"),
                rs.getInt("message_length"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
