package dev.nexus.host.platform;

import java.util.List;
import java.util.Optional;

/**
 * The platform feature's port to feedback: records a reaction to a reply as feedback, once per
 * source. The host wires it to the evolution feature, so platforms never depend on how feedback is
 * stored or judged. Implementations are thread-safe.
 */
@FunctionalInterface
public interface ReactionFeedback {

    /**
     * Records {@code reaction} as feedback on its reply, unless feedback from its source exists.
     *
     * @return the feedback id and whether the source was already recorded (nothing new stored then)
     * @throws dev.nexus.host.InvalidInputException for a bad rating, an unknown or contradictory
     *     critique, no signal at all, or a second feedback by the same rater on the same reply
     * @throws dev.nexus.host.NotFoundException when the reply does not exist
     */
    Recorded record(Reaction reaction);

    /**
     * A reaction ready to record. Immutable.
     *
     * @param source a unique name of the reaction, {@code <platform>:<reaction external id>}
     * @param rater who reacted, {@code <platform>:<user>}
     * @param replyId the host's message id of the reply reacted to
     * @param rating {@code "up"}, {@code "down"}, or a star count as given (validated by the recorder), if any
     * @param critiques the critique terms as given (validated by the recorder)
     */
    record Reaction(String source, String rater, String replyId, Optional<String> rating, List<String> critiques) {

        /** Copies the critiques. */
        public Reaction {
            critiques = List.copyOf(critiques);
        }
    }

    /**
     * A recorded reaction. Immutable.
     *
     * @param feedbackId the id of the stored feedback
     * @param duplicate true when the source had been recorded before
     */
    record Recorded(String feedbackId, boolean duplicate) {}
}
