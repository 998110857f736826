package dev.nexus.host.conversation;

import dev.nexus.host.persona.PersonalityId;
import java.time.Instant;

/**
 * A conversation as a list of one user's conversations shows it. Immutable.
 *
 * @param id the conversation id
 * @param personality the personality it is with
 * @param user the user it is with
 * @param platform where it started
 * @param createdAt when it started
 * @param updatedAt when it last changed
 * @param title its first user message, cut at 120 characters ("" when it has none)
 * @param messages how many messages it holds (alternatives included)
 */
public record ConversationSummary(
        String id,
        PersonalityId personality,
        String user,
        String platform,
        Instant createdAt,
        Instant updatedAt,
        String title,
        int messages) {}
