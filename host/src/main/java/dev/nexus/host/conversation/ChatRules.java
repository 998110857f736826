package dev.nexus.host.conversation;

import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.persona.PersonalityId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a chat request must satisfy before anything is stored. Immutable. */
final class ChatRules {

    private static final int MAX_USER_CHARS = 200;

    private final int maxMessageChars;

    ChatRules(int maxMessageChars) {
        this.maxMessageChars = maxMessageChars;
    }

    /**
     * Returns the message text of a valid request.
     *
     * @throws InvalidInputException listing every problem
     */
    String validate(ChatRequest request) {
        List<String> problems = new ArrayList<>();
        if (request.personality().isBlank()) {
            problems.add("personality is required (a personality id, e.g. zen-engineer)");
        }
        if (request.user().isBlank()) {
            problems.add("user is required (your user's id, 1-" + MAX_USER_CHARS + " characters)");
        } else if (request.user().length() > MAX_USER_CHARS
                || request.user().chars().anyMatch(Character::isISOControl)) {
            problems.add("user must be 1-" + MAX_USER_CHARS + " characters without control characters, got '"
                    + InvalidInputException.cap(request.user()) + "'");
        }
        String text = request.message();
        if (text.isBlank()) {
            problems.add("message must not be empty");
        } else if (text.length() > maxMessageChars) {
            problems.add("message is " + text.length() + " characters; the limit is " + maxMessageChars
                    + " (chat.max-message-chars): split it or raise the limit");
        }
        request.speaker().ifPresent(speaker -> problems.addAll(speaker.problems()));
        if (!problems.isEmpty()) {
            throw new InvalidInputException(
                    problems.size() == 1 ? problems.get(0) : "invalid chat message",
                    problems.size() == 1 ? List.of() : problems);
        }
        return text;
    }

    /** Refuses to continue a conversation that is unknown, or with another personality or user. */
    static void checkConversation(
            ChatRequest request, PersonalityId personality, Optional<ConversationRepository.Conversation> found) {
        String id = request.conversation().orElseThrow();
        // Another user's conversation is "unknown", as if it did not exist (issue 11: no existence leak).
        var conversation = found.filter(c -> c.user().equals(request.user()))
                .orElseThrow(() -> NotFoundException.of("conversation", id));
        if (!conversation.personality().equals(personality)) {
            throw new ConflictException("conversation '" + id + "' is with personality '" + conversation.personality()
                    + "', not '" + personality + "'; leave out conversation to start a new one");
        }
    }
}
