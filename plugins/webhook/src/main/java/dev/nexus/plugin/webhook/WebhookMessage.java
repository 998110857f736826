package dev.nexus.plugin.webhook;

import dev.nexus.api.platform.InboundMessage;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The body of an inbound webhook request, validated. Immutable.
 *
 * <pre>
 * {"id": "evt-123",              required, the sender's unique message id, 1-128 characters
 *  "user": "ada",                required, the sender's user id, 1-128 characters
 *  "personality": "stoic-mentor", required, a personality id
 *  "conversation": "c-9",        optional, continue this conversation
 *  "text": "Hello!",             required, not blank, at most max-text-chars
 *  "callbackUrl": "https://…"}   optional, where the reply goes; its host must be in callback-hosts
 * </pre>
 *
 * @param id the sender's message id
 * @param user the sender's user id
 * @param personality the personality addressed
 * @param conversation the conversation to continue, if given
 * @param text the message text
 * @param callbackUrl the per-message reply address, if given
 */
record WebhookMessage(
        String id,
        String user,
        String personality,
        Optional<String> conversation,
        String text,
        Optional<URI> callbackUrl) {

    /** The key under which a per-message callback URL travels in {@code replyTo}. */
    static final String CALLBACK_URL = "callbackUrl";

    private static final List<String> FIELDS =
            List.of("id", "user", "personality", "conversation", "text", CALLBACK_URL);
    private static final Pattern PERSONALITY = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /**
     * Validates a parsed body.
     *
     * @throws IllegalArgumentException naming the field, what it must be and, capped, what it was
     */
    static WebhookMessage from(Map<String, Object> body, WebhookSettings settings) {
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + WebhookSettings.cap(field)
                        + "'; allowed fields are " + String.join(", ", FIELDS));
            }
        }
        String personality = required(body, "personality", 64);
        if (!PERSONALITY.matcher(personality).matches()) {
            throw new IllegalArgumentException(
                    "field 'personality' must be a personality id (lower-case letters, digits" + " and dashes), got '"
                            + WebhookSettings.cap(personality) + "'");
        }
        String text = string(body, "text").orElseThrow(() -> missing("text"));
        if (text.isBlank()) {
            throw new IllegalArgumentException("field 'text' must not be blank");
        }
        if (text.length() > settings.maxTextChars()) {
            throw new IllegalArgumentException(
                    "field 'text' is " + text.length() + " characters long; the limit is " + settings.maxTextChars());
        }
        Optional<URI> callback = string(body, CALLBACK_URL).map(url -> callback(url, settings));
        Optional<String> conversation = string(body, "conversation");
        conversation.ifPresent(value -> checkLine("conversation", value, 128));
        return new WebhookMessage(
                required(body, "id", 128), required(body, "user", 128), personality, conversation, text, callback);
    }

    /** Returns the message as the host's inbound message, received at {@code receivedAt}. */
    InboundMessage toInbound(String platform, Instant receivedAt) {
        Map<String, String> replyTo =
                callbackUrl.map(url -> Map.of(CALLBACK_URL, url.toString())).orElse(Map.of());
        return new InboundMessage(platform, id, user, personality, conversation, text, receivedAt, replyTo);
    }

    private static URI callback(String url, WebhookSettings settings) {
        URI uri = WebhookSettings.url(url, "field 'callbackUrl'");
        if (!settings.callbackHosts().allows(uri.getHost())) {
            throw new IllegalArgumentException(
                    "field 'callbackUrl' points at host '" + WebhookSettings.cap(uri.getHost())
                            + "', which is not in plugins.config.webhook.callback-hosts; leave callbackUrl out to use the"
                            + " configured callback-url, or ask an operator to allow the host");
        }
        return uri;
    }

    static String required(Map<String, Object> body, String field, int maxLength) {
        String value = string(body, field).orElseThrow(() -> missing(field));
        checkLine(field, value, maxLength);
        return value;
    }

    private static void checkLine(String field, String value, int maxLength) {
        if (value.isBlank() || value.length() > maxLength) {
            throw new IllegalArgumentException(
                    "field '" + field + "' must be 1-" + maxLength + " characters, not blank");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("field '" + field + "' must not contain control characters");
        }
    }

    static Optional<String> string(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("field '" + field + "' must be a string, got " + kind(value));
        }
        return Optional.of(text);
    }

    private static IllegalArgumentException missing(String field) {
        return new IllegalArgumentException("field '" + field + "' is required");
    }

    static String kind(Object value) {
        return switch (value) {
            case Map<?, ?> map -> "an object";
            case List<?> list -> "an array";
            case Boolean flag -> "a boolean";
            case Number number -> "a number";
            default -> value.getClass().getSimpleName();
        };
    }
}
