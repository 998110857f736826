package dev.nexus.host.conversation;

import dev.nexus.api.tool.ToolSpec;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The tools a turn may offer the language model, and the way to run a call it asks for. The host
 * implements this with the tool executor (schema-checked arguments, time limit, isolation, risky
 * calls sent to the approval queue); conversations only see this port. Implementations are
 * thread-safe and never throw for a bad call: every problem is an {@link Outcome} the model can read.
 */
public interface ToolBox {

    /** What became of a call, in the words the conversation needs. */
    enum Kind {
        /** The tool ran and succeeded. */
        DONE,
        /** The tool could not run, or ran and failed; the model is told why. */
        FAILED,
        /** The call waits for a human's approval and has not run. */
        AWAITING_APPROVAL;

        /** Returns the name used in metadata and events: {@code done}, {@code failed}, {@code awaiting-approval}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The outcome of one call. Immutable.
     *
     * @param kind what happened
     * @param forModel the text the model receives as the tool's result
     * @param proposal the approval proposal's id when the call awaits approval
     */
    record Outcome(Kind kind, String forModel, Optional<String> proposal) {

        /** Validates. */
        public Outcome {
            if (kind == null) {
                throw new IllegalArgumentException("a tool outcome needs a kind");
            }
            forModel = forModel == null ? "" : forModel;
            proposal = proposal == null ? Optional.empty() : proposal;
        }
    }

    /** Returns the specs of the tools to offer, one per name; empty when there are none. */
    List<ToolSpec> specs();

    /**
     * Handles one call the model asked for.
     *
     * @param callId the model's id for the call
     * @param name the tool name
     * @param argumentsJson the arguments as the model wrote them (a JSON object, unchecked)
     * @param user the user the personality acts for
     * @param personality the personality's id
     */
    Outcome run(String callId, String name, String argumentsJson, String user, String personality);

    /** Returns a tool box with no tools. */
    static ToolBox none() {
        return new ToolBox() {
            @Override
            public List<ToolSpec> specs() {
                return List.of();
            }

            @Override
            public Outcome run(String callId, String name, String argumentsJson, String user, String personality) {
                return new Outcome(Kind.FAILED, "ERROR: no tools are available", Optional.empty());
            }
        };
    }
}
