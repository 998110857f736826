package dev.nexus.host.conversation;

import java.util.Map;
import java.util.Optional;

/**
 * A person's message to a personality, from the chat API or a platform. Immutable; validated by
 * {@link ConversationService}, which reports what is wrong.
 *
 * @param personality the personality id
 * @param user the user's id, 1–200 characters
 * @param conversation the conversation to continue; empty starts one (API) or continues the latest
 *     one of this user with this personality on this platform (platforms)
 * @param message the text
 * @param platform {@code api} or a connector's platform name
 * @param externalId the platform's id of the message (makes delivery exactly-once); empty for the API
 * @param replyTo where a platform reply goes, handed back unchanged to the connector
 */
public record ChatRequest(
        String personality,
        String user,
        Optional<String> conversation,
        String message,
        String platform,
        Optional<String> externalId,
        Map<String, String> replyTo) {

    /** The platform name of the HTTP chat API. */
    public static final String API = "api";

    /** Replaces absent values with empty ones. */
    public ChatRequest {
        personality = personality == null ? "" : personality;
        user = user == null ? "" : user;
        conversation = conversation == null ? Optional.empty() : conversation.filter(id -> !id.isBlank());
        message = message == null ? "" : message;
        platform = platform == null || platform.isBlank() ? API : platform;
        externalId = externalId == null ? Optional.empty() : externalId.filter(id -> !id.isBlank());
        replyTo = replyTo == null ? Map.of() : Map.copyOf(replyTo);
    }

    /** Returns a request from the HTTP chat API. */
    public static ChatRequest api(String personality, String user, Optional<String> conversation, String message) {
        return new ChatRequest(personality, user, conversation, message, API, Optional.empty(), Map.of());
    }
}
