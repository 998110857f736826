package dev.nexus.host.rooms;

import java.time.Instant;
import java.util.Map;

/**
 * One message of a room. Immutable.
 *
 * @param id the message id
 * @param room the room id
 * @param seq its place in the room, from 1
 * @param speaker who said it; {@code system} messages (joins, leaves, protocol steps) have kind {@code SYSTEM}
 * @param speakerKind {@code user}, {@code personality} or {@code system}
 * @param content the text
 * @param metadata model, usage, borrowed traits, protocol step, citations…
 * @param createdAt when it was stored
 */
public record RoomMessage(
        String id,
        String room,
        long seq,
        String speakerKind,
        String speaker,
        String content,
        Map<String, Object> metadata,
        Instant createdAt) {

    /** The speaker kind of joins, leaves and protocol announcements. */
    public static final String SYSTEM = "system";

    /** Copies the metadata. */
    public RoomMessage {
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** Returns true when a personality said it. */
    public boolean fromPersonality() {
        return speakerKind.equals(Participant.Kind.PERSONALITY.word());
    }

    /** Returns true when a person said it. */
    public boolean fromUser() {
        return speakerKind.equals(Participant.Kind.USER.word());
    }

    /** Returns the message as the API shows it. */
    public Map<String, Object> body() {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("id", id);
        body.put("room", room);
        body.put("seq", seq);
        body.put("speakerKind", speakerKind);
        body.put("speaker", speaker);
        body.put("content", content);
        body.put("metadata", metadata);
        body.put("createdAt", createdAt);
        return body;
    }
}
