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
 * @param thread a platform's group chat or thread: every message with the same thread continues one
 *     conversation per (platform, personality, thread), whoever sent it; {@code conversation} is then
 *     ignored. Empty for direct conversations and the API
 * @param speaker who said the message when it is not simply the user (a group chat relayed through the
 *     API, a platform's group thread); empty for the user's own turn
 */
public record ChatRequest(
        String personality,
        String user,
        Optional<String> conversation,
        String message,
        String platform,
        Optional<String> externalId,
        Map<String, String> replyTo,
        Optional<String> thread,
        Optional<Speaker> speaker) {

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
        thread = thread == null ? Optional.empty() : thread.filter(key -> !key.isBlank());
        speaker = speaker == null ? Optional.empty() : speaker;
    }

    /** A request without a named speaker (the user's own turn). */
    public ChatRequest(
            String personality,
            String user,
            Optional<String> conversation,
            String message,
            String platform,
            Optional<String> externalId,
            Map<String, String> replyTo,
            Optional<String> thread) {
        this(personality, user, conversation, message, platform, externalId, replyTo, thread, Optional.empty());
    }

    /** Returns this request said by {@code value} (empty: the user's own turn). */
    public ChatRequest withSpeaker(Optional<Speaker> value) {
        return new ChatRequest(personality, user, conversation, message, platform, externalId, replyTo, thread, value);
    }

    /** A request of a direct conversation (no group chat or thread). */
    public ChatRequest(
            String personality,
            String user,
            Optional<String> conversation,
            String message,
            String platform,
            Optional<String> externalId,
            Map<String, String> replyTo) {
        this(
                personality,
                user,
                conversation,
                message,
                platform,
                externalId,
                replyTo,
                Optional.empty(),
                Optional.empty());
    }

    /**
     * Returns the user a group chat's or thread's conversation belongs to: the thread itself, not the
     * human who happened to write first (so one member's erasure or export does not take the others'
     * messages with it).
     */
    public static String threadOwner(String platform, String thread) {
        return "thread:" + platform + ":" + thread;
    }

    /** Returns a request from the HTTP chat API. */
    public static ChatRequest api(String personality, String user, Optional<String> conversation, String message) {
        return new ChatRequest(personality, user, conversation, message, API, Optional.empty(), Map.of());
    }
}
