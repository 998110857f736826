package dev.nexus.plugin.webhook;

import dev.nexus.api.platform.InboundReaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The body of a reaction request ({@code POST /hooks/webhook/reactions}), validated for shape. Whether
 * the reply exists, the rating is 1–5 and the critiques are in the vocabulary is the host's call.
 * Immutable.
 *
 * <pre>
 * {"id": "rx-1",                 required, the sender's unique reaction id, 1-128 characters
 *  "user": "ada",                required, the reacting user's id, 1-128 characters
 *  "reply": "01J…",              required, the reply's messageId from the callback (or its delivered id), 1-200
 *  "thumbs": "up",               optional, "up" or "down"; not together with rating
 *  "rating": 4,                  optional, a whole number of stars, 1-5
 *  "critiques": ["too long"]}    optional, terms from the host's critique vocabulary, at most 16 strings
 * </pre>
 *
 * @param id the sender's reaction id
 * @param user the reacting user's id
 * @param reply the reply reacted to
 * @param thumbs thumbs up or down, if given
 * @param rating the star rating, if given
 * @param critiques the critique terms, possibly empty
 */
record WebhookReaction(
        String id,
        String user,
        String reply,
        Optional<InboundReaction.Thumbs> thumbs,
        OptionalInt rating,
        List<String> critiques) {

    static final int MAX_CRITIQUES = 16;
    static final int MAX_CRITIQUE_CHARS = 64;
    private static final List<String> FIELDS = List.of("id", "user", "reply", "thumbs", "rating", "critiques");

    /** Copies the critiques. */
    WebhookReaction {
        critiques = List.copyOf(critiques);
    }

    /**
     * Validates a parsed body.
     *
     * @throws IllegalArgumentException naming the field, what it must be and, capped, what it was
     */
    static WebhookReaction from(Map<String, Object> body) {
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + WebhookSettings.cap(field)
                        + "'; a reaction allows " + String.join(", ", FIELDS));
            }
        }
        String id = WebhookMessage.required(body, "id", 128);
        String user = WebhookMessage.required(body, "user", 128);
        String reply = WebhookMessage.required(body, "reply", 200);
        Optional<InboundReaction.Thumbs> thumbs = WebhookMessage.string(body, "thumbs")
                .map(value -> switch (value) {
                    case "up" -> InboundReaction.Thumbs.UP;
                    case "down" -> InboundReaction.Thumbs.DOWN;
                    default ->
                        throw new IllegalArgumentException(
                                "field 'thumbs' must be \"up\" or \"down\", got '" + WebhookSettings.cap(value) + "'");
                });
        OptionalInt rating = OptionalInt.empty();
        Object stars = body.get("rating");
        if (stars != null) {
            if (!(stars instanceof Integer whole)) {
                throw new IllegalArgumentException(
                        "field 'rating' must be a whole number of stars from 1 to 5, got " + WebhookMessage.kind(stars)
                                + (stars instanceof Number ? " " + WebhookSettings.cap(stars.toString()) : ""));
            }
            rating = OptionalInt.of(whole);
        }
        return new WebhookReaction(id, user, reply, thumbs, rating, critiques(body.get("critiques")));
    }

    /** Returns the reaction as the host's inbound reaction, received at {@code receivedAt}. */
    InboundReaction toInbound(String platform, Instant receivedAt) {
        return new InboundReaction(platform, id, user, reply, thumbs, rating, critiques, receivedAt);
    }

    private static List<String> critiques(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> items)) {
            throw new IllegalArgumentException(
                    "field 'critiques' must be an array of strings, got " + WebhookMessage.kind(value));
        }
        if (items.size() > MAX_CRITIQUES) {
            throw new IllegalArgumentException(
                    "field 'critiques' has " + items.size() + " entries; the limit is " + MAX_CRITIQUES);
        }
        List<String> terms = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof String term)) {
                throw new IllegalArgumentException("field 'critiques' must hold strings only, got "
                        + (item == null ? "null" : WebhookMessage.kind(item)));
            }
            if (term.isBlank()
                    || term.length() > MAX_CRITIQUE_CHARS
                    || term.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("each critique must be 1-" + MAX_CRITIQUE_CHARS
                        + " characters without control characters, such as \"too long\"");
            }
            terms.add(term);
        }
        return terms;
    }
}
