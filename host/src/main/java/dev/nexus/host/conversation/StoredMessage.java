package dev.nexus.host.conversation;

import dev.nexus.host.persona.PersonalityId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One stored message of a conversation. Immutable.
 *
 * @param id the message id
 * @param conversation the conversation id
 * @param seq the position in the store, increasing with insertion (orders a conversation)
 * @param role {@code user}, {@code assistant}, or {@code tool} (the outcome of a tool call that waited for
 *     approval, appended once it was decided; the model reads it as a note in the user's turn)
 * @param content the text
 * @param platform where it came from or went to ({@code api}, {@code webhook}, …)
 * @param externalId the platform's id of an inbound message, if it has one
 * @param user the user's id
 * @param personality the personality the conversation is with
 * @param personalityVersion the personality version that wrote a reply (empty for user messages)
 * @param traits the trait values used for a reply (empty for user messages)
 * @param model the model that wrote a reply, as {@code provider/name}
 * @param metadata details of a reply: offline flag, usage, recalled ids, finish reason
 * @param inReplyTo for a reply, the id of the user message it answers
 * @param state {@code pending}, {@code answered} or {@code failed} for user messages; {@code complete} for replies
 * @param createdAt when it was stored
 * @param speaker who said a user message when it was not simply the conversation's user (issue 16: a group
 *     chat); empty for the user's own turns and for replies
 */
public record StoredMessage(
        String id,
        String conversation,
        long seq,
        String role,
        String content,
        String platform,
        Optional<String> externalId,
        String user,
        PersonalityId personality,
        Optional<Integer> personalityVersion,
        Map<String, Double> traits,
        Optional<String> model,
        Map<String, Object> metadata,
        Optional<String> inReplyTo,
        String state,
        Instant createdAt,
        Optional<Speaker> speaker) {

    /** The role of a person's message. */
    public static final String USER = "user";
    /** The role of a personality's reply. */
    public static final String ASSISTANT = "assistant";
    /** The role of a decided tool call's outcome, appended after the reply that asked for the call. */
    public static final String TOOL = "tool";

    /** Copies the maps. */
    public StoredMessage {
        traits = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(traits));
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
        speaker = speaker == null ? Optional.empty() : speaker;
    }

    /**
     * Returns who said this message when it was someone other than the conversation's user: a named
     * speaker of a chat-API turn whose id is not the user's. On platforms every sender acts as their own
     * user (issue 11), so a platform message's speaker is the user themself and this is empty.
     */
    public Optional<Speaker> otherSpeaker() {
        return speaker.filter(s -> ChatRequest.API.equals(platform) && !s.is(user));
    }

    /** Returns true for a personality's reply. */
    public boolean fromAssistant() {
        return ASSISTANT.equals(role);
    }
}
