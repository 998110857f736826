package dev.nexus.host.rooms;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Stores rooms, who was in them when, and their messages ({@code rooms}, {@code room_participants},
 * {@code room_messages}). A message takes its number by incrementing the room's {@code last_seq} in
 * the same transaction, so writers of one room are serialised and a join sees a settled number.
 * Thread-safe.
 */
final class RoomRepository {

    private static final String MESSAGE_COLUMNS =
            "m.id, m.room_id, m.seq, m.speaker_kind, m.speaker, m.content, m.metadata, m.created_at";

    private final Jdbi jdbi;

    RoomRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    /** A new room's row and its first participants (joined before any message). */
    void create(
            String id,
            String title,
            String createdBy,
            TurnPolicy policy,
            int maxConsecutive,
            int tokenBudget,
            List<TraitLoan> borrowed,
            List<Participant> participants,
            Supplier<String> ids,
            Instant at) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO rooms (id, title, created_by, policy, max_consecutive, token_budget, tokens_used, borrowed,
                                       last_seq, created_at)
                    VALUES (:id, :title, :by, :policy, :max, :budget, 0, :borrowed, 0, :at)""")
                    .bind("id", id)
                    .bind("title", title)
                    .bind("by", createdBy)
                    .bind("policy", policy.word())
                    .bind("max", maxConsecutive)
                    .bind("budget", tokenBudget)
                    .bind(
                            "borrowed",
                            Json.write(Map.of(
                                    "loans",
                                    borrowed.stream()
                                            .map(l -> Map.of(
                                                    "personality",
                                                    l.personality(),
                                                    "trait",
                                                    l.trait(),
                                                    "from",
                                                    l.from()))
                                            .toList())))
                    .bind("at", at(at))
                    .execute();
            for (Participant p : participants) {
                insertParticipant(h, id, p, 0, ids.get(), at);
            }
        });
    }

    Optional<Room> room(String id) {
        return jdbi.withHandle(h -> room(h, id));
    }

    private static Optional<Room> room(Handle h, String id) {
        Optional<Map<String, Object>> row =
                h.createQuery("""
                SELECT id, title, created_by, policy, max_consecutive, token_budget, tokens_used, borrowed, created_at
                FROM rooms WHERE id = :id""").bind("id", id).map((rs, ctx) -> roomRow(rs)).findOne();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        List<Participant> present = h.createQuery("""
                SELECT kind, name FROM room_participants WHERE room_id = :id AND left_through IS NULL
                ORDER BY joined_after, joined_at, id""")
                .bind("id", id)
                .map((rs, ctx) -> new Participant(Participant.Kind.of(rs.getString("kind")), rs.getString("name")))
                .list();
        Map<String, Object> r = row.get();
        List<TraitLoan> borrowed = ((List<?>)
                        Json.readMap((String) r.get("borrowed")).getOrDefault("loans", List.of()))
                .stream()
                        .map(l -> (Map<?, ?>) l)
                        .map(l -> new TraitLoan(
                                (String) l.get("personality"), (String) l.get("trait"), (String) l.get("from")))
                        .toList();
        return Optional.of(new Room(
                (String) r.get("id"),
                (String) r.get("title"),
                (String) r.get("by"),
                TurnPolicy.of((String) r.get("policy")),
                (Integer) r.get("max"),
                (Integer) r.get("budget"),
                (Integer) r.get("used"),
                borrowed,
                present,
                (Instant) r.get("at")));
    }

    private static Map<String, Object> roomRow(ResultSet rs) throws SQLException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", rs.getString("id"));
        r.put("title", rs.getString("title"));
        r.put("by", rs.getString("created_by"));
        r.put("policy", rs.getString("policy"));
        r.put("max", rs.getInt("max_consecutive"));
        r.put("budget", rs.getInt("token_budget"));
        r.put("used", rs.getInt("tokens_used"));
        r.put("borrowed", rs.getString("borrowed"));
        r.put("at", rs.getObject("created_at", OffsetDateTime.class).toInstant());
        return r;
    }

    /** Returns the ids of the rooms {@code user} is in now, newest first. */
    List<String> roomsOf(String user) {
        return jdbi.withHandle(
                h -> h.createQuery("""
                SELECT r.id FROM rooms r WHERE EXISTS (SELECT 1 FROM room_participants p WHERE p.room_id = r.id
                    AND p.kind = 'user' AND p.name = :user AND p.left_through IS NULL)
                ORDER BY r.created_at DESC, r.id""").bind("user", user).mapTo(String.class).list());
    }

    /** Returns every room id, newest first (for admins). */
    List<String> allRooms(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM rooms ORDER BY created_at DESC, id")
                .setMaxRows(limit)
                .mapTo(String.class)
                .list());
    }

    /** Returns true when {@code user} is in room {@code id} now. */
    boolean present(String id, Participant participant) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT COUNT(*) FROM room_participants WHERE room_id = :id AND kind = :kind AND name = :name
                AND left_through IS NULL""")
                        .bind("id", id)
                        .bind("kind", participant.kind().word())
                        .bind("name", participant.name())
                        .mapTo(Integer.class)
                        .one()
                > 0);
    }

    /**
     * Adds {@code participant} after the room's last message and stores {@code note} (a system message
     * saying so) in the same transaction. Returns the note, or empty when the participant was already present.
     */
    Optional<RoomMessage> join(String room, Participant participant, String participantRow, NewMessage note) {
        return jdbi.inTransaction(h -> {
            long last = lock(h, room);
            if (present(h, room, participant)) {
                return Optional.empty();
            }
            insertParticipant(h, room, participant, last, participantRow, note.at());
            return Optional.of(insertMessage(h, room, last + 1, note));
        });
    }

    /** Marks {@code participant} gone after the room's last message; the note is stored first, so they witness their own leaving. */
    Optional<RoomMessage> leave(String room, Participant participant, NewMessage note) {
        return jdbi.inTransaction(h -> {
            long last = lock(h, room);
            if (!present(h, room, participant)) {
                return Optional.empty();
            }
            RoomMessage stored = insertMessage(h, room, last + 1, note);
            h.createUpdate("""
                    UPDATE room_participants SET left_through = :seq WHERE room_id = :id AND kind = :kind AND name = :name
                    AND left_through IS NULL""")
                    .bind("seq", last + 1)
                    .bind("id", room)
                    .bind("kind", participant.kind().word())
                    .bind("name", participant.name())
                    .execute();
            return Optional.of(stored);
        });
    }

    /** A message to store. */
    record NewMessage(
            String id,
            String speakerKind,
            String speaker,
            String content,
            Map<String, Object> metadata,
            int tokens,
            Instant at) {}

    /** Stores {@code message} as the room's next one and adds its tokens to the room's use. */
    RoomMessage append(String room, NewMessage message) {
        return jdbi.inTransaction(h -> {
            long last = lock(h, room);
            if (message.tokens() > 0) {
                h.createUpdate("UPDATE rooms SET tokens_used = tokens_used + :t WHERE id = :id")
                        .bind("t", message.tokens())
                        .bind("id", room)
                        .execute();
            }
            return insertMessage(h, room, last + 1, message);
        });
    }

    /** Returns the room's messages after {@code afterSeq}, oldest first, at most {@code limit}. */
    List<RoomMessage> messages(String room, long afterSeq, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + MESSAGE_COLUMNS
                        + " FROM room_messages m WHERE m.room_id = :id AND m.seq > :after ORDER BY m.seq")
                .bind("id", room)
                .bind("after", afterSeq)
                .setMaxRows(limit)
                .map((rs, ctx) -> message(rs))
                .list());
    }

    /**
     * Returns the messages {@code viewer} witnessed (said while it was in the room), after
     * {@code afterSeq}, oldest first, at most {@code limit}.
     */
    List<RoomMessage> witnessed(String room, Participant viewer, long afterSeq, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + MESSAGE_COLUMNS + """
                         FROM room_messages m WHERE m.room_id = :id AND m.seq > :after AND EXISTS (
                            SELECT 1 FROM room_participants p WHERE p.room_id = m.room_id AND p.kind = :kind AND p.name = :name
                            AND m.seq > p.joined_after AND (p.left_through IS NULL OR m.seq <= p.left_through))
                        ORDER BY m.seq""")
                .bind("id", room)
                .bind("after", afterSeq)
                .bind("kind", viewer.kind().word())
                .bind("name", viewer.name())
                .setMaxRows(limit)
                .map((rs, ctx) -> message(rs))
                .list());
    }

    /** Returns the last {@code count} messages {@code viewer} witnessed, oldest first. */
    List<RoomMessage> lastWitnessed(String room, Participant viewer, int count) {
        List<RoomMessage> newestFirst = jdbi.withHandle(h -> h.createQuery("SELECT " + MESSAGE_COLUMNS + """
                         FROM room_messages m WHERE m.room_id = :id AND EXISTS (
                            SELECT 1 FROM room_participants p WHERE p.room_id = m.room_id AND p.kind = :kind AND p.name = :name
                            AND m.seq > p.joined_after AND (p.left_through IS NULL OR m.seq <= p.left_through))
                        ORDER BY m.seq DESC""")
                .bind("id", room)
                .bind("kind", viewer.kind().word())
                .bind("name", viewer.name())
                .setMaxRows(count)
                .map((rs, ctx) -> message(rs))
                .list());
        return newestFirst.reversed();
    }

    /** Returns the message {@code id} of room {@code room}. */
    Optional<RoomMessage> message(String room, String id) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + MESSAGE_COLUMNS + " FROM room_messages m WHERE m.id = :id AND m.room_id = :room")
                .bind("id", id)
                .bind("room", room)
                .map((rs, ctx) -> message(rs))
                .findOne());
    }

    private static long lock(Handle h, String room) {
        int updated = h.createUpdate("UPDATE rooms SET last_seq = last_seq + 0 WHERE id = :id")
                .bind("id", room)
                .execute();
        if (updated == 0) {
            throw dev.nexus.host.NotFoundException.of("room", room);
        }
        return h.createQuery("SELECT last_seq FROM rooms WHERE id = :id")
                .bind("id", room)
                .mapTo(Long.class)
                .one();
    }

    private static boolean present(Handle h, String room, Participant p) {
        return h.createQuery("""
                SELECT COUNT(*) FROM room_participants WHERE room_id = :id AND kind = :kind AND name = :name
                AND left_through IS NULL""")
                        .bind("id", room)
                        .bind("kind", p.kind().word())
                        .bind("name", p.name())
                        .mapTo(Integer.class)
                        .one()
                > 0;
    }

    private static void insertParticipant(
            Handle h, String room, Participant p, long joinedAfter, String id, Instant at) {
        h.createUpdate("""
                INSERT INTO room_participants (id, room_id, kind, name, joined_after, left_through, joined_at)
                VALUES (:id, :room, :kind, :name, :after, NULL, :at)""")
                .bind("id", id)
                .bind("room", room)
                .bind("kind", p.kind().word())
                .bind("name", p.name())
                .bind("after", joinedAfter)
                .bind("at", at(at))
                .execute();
    }

    private static RoomMessage insertMessage(Handle h, String room, long seq, NewMessage m) {
        h.createUpdate("UPDATE rooms SET last_seq = :seq WHERE id = :id")
                .bind("seq", seq)
                .bind("id", room)
                .execute();
        h.createUpdate("""
                INSERT INTO room_messages (id, room_id, seq, speaker_kind, speaker, content, metadata, created_at)
                VALUES (:id, :room, :seq, :kind, :speaker, :content, :metadata, :at)""")
                .bind("id", m.id())
                .bind("room", room)
                .bind("seq", seq)
                .bind("kind", m.speakerKind())
                .bind("speaker", m.speaker())
                .bind("content", m.content())
                .bind("metadata", Json.write(m.metadata()))
                .bind("at", at(m.at()))
                .execute();
        return new RoomMessage(
                m.id(),
                room,
                seq,
                m.speakerKind(),
                m.speaker(),
                m.content(),
                Json.readMap(Json.write(m.metadata())),
                m.at());
    }

    private static RoomMessage message(ResultSet rs) throws SQLException {
        return new RoomMessage(
                rs.getString("id"),
                rs.getString("room_id"),
                rs.getLong("seq"),
                rs.getString("speaker_kind"),
                rs.getString("speaker"),
                rs.getString("content"),
                Json.readMap(rs.getString("metadata")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
