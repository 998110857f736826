package dev.nexus.host.memory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One message of a conversation (episodic memory). Immutable.
 *
 * @param id the episode id
 * @param user the user of the conversation
 * @param personality the personality of the conversation
 * @param conversation the conversation id
 * @param platform where it happened ({@code api}, {@code telegram}, …)
 * @param participants who took part (user id, personality id)
 * @param role {@code user} or {@code personality}: who wrote the text
 * @param text what was written
 * @param importance how much it matters, 0–1 (computed at write time)
 * @param retrievalCount how often it was recalled into a turn
 * @param at when it was written
 * @param speaker who said a user message when it was someone other than the user (issue 16: a group chat);
 *     empty for the user's own messages and the personality's
 */
public record Episode(
        String id,
        String user,
        String personality,
        String conversation,
        String platform,
        List<String> participants,
        String role,
        String text,
        double importance,
        int retrievalCount,
        Instant at,
        Optional<String> speaker) {

    /** Copies the participants. */
    public Episode {
        participants = List.copyOf(participants);
        speaker = speaker == null ? Optional.empty() : speaker;
    }
}
