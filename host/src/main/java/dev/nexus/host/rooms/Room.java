package dev.nexus.host.rooms;

import java.time.Instant;
import java.util.List;

/**
 * A room as stored: its settings and who is in it now. Immutable.
 *
 * @param id the room id
 * @param title a title for people
 * @param createdBy the user who created it
 * @param policy how the next speaker is chosen after a person speaks
 * @param maxConsecutive the most personality turns in a row before a person must speak again (loop guard)
 * @param tokenBudget the most model tokens (prompt and reply) the room's personality turns may use in all
 * @param tokensUsed the tokens used so far
 * @param borrowed trait loans for the whole room
 * @param present who is in the room now, in the order they joined
 * @param createdAt when it was created
 */
public record Room(
        String id,
        String title,
        String createdBy,
        TurnPolicy policy,
        int maxConsecutive,
        int tokenBudget,
        int tokensUsed,
        List<TraitLoan> borrowed,
        List<Participant> present,
        Instant createdAt) {

    /** Copies the collections. */
    public Room {
        borrowed = List.copyOf(borrowed);
        present = List.copyOf(present);
    }

    /** Returns the personality ids present, in the order they joined. */
    public List<String> personalities() {
        return present.stream()
                .filter(p -> p.kind() == Participant.Kind.PERSONALITY)
                .map(Participant::name)
                .toList();
    }

    /** Returns the user ids present, in the order they joined. */
    public List<String> users() {
        return present.stream()
                .filter(p -> p.kind() == Participant.Kind.USER)
                .map(Participant::name)
                .toList();
    }

    /** Returns true when {@code participant} is in the room now. */
    public boolean has(Participant participant) {
        return present.contains(participant);
    }

    /** Returns the tokens the room may still spend. */
    public int tokensLeft() {
        return Math.max(0, tokenBudget - tokensUsed);
    }
}
