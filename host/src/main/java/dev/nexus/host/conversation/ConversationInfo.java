package dev.nexus.host.conversation;

import dev.nexus.host.persona.PersonalityId;
import java.time.Instant;

/**
 * A conversation's identity. Immutable.
 *
 * @param id the conversation id
 * @param personality the personality it is with
 * @param user the user it is with
 * @param platform where it started
 * @param createdAt when it started
 */
public record ConversationInfo(String id, PersonalityId personality, String user, String platform, Instant createdAt) {}
