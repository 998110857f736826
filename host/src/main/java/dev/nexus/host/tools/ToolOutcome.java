package dev.nexus.host.tools;

/** What became of a tool call, as told to the model and recorded with the turn. */
public sealed interface ToolOutcome {

    /** Returns the text the model receives as the tool's result. */
    String forModel();

    /**
     * The tool ran and succeeded.
     *
     * @param content the (possibly truncated) result
     * @param truncated whether it was cut to {@code tools.max-result-chars}
     */
    record Done(String content, boolean truncated) implements ToolOutcome {
        @Override
        public String forModel() {
            return truncated ? content + "\n[result truncated]" : content;
        }
    }

    /**
     * The tool ran, or could not run, and failed; the model is told why.
     *
     * @param reason what went wrong (never a secret)
     * @param retriable whether trying again later may work
     */
    record Failed(String reason, boolean retriable) implements ToolOutcome {
        @Override
        public String forModel() {
            return "ERROR: " + reason;
        }
    }

    /**
     * The call waits for human approval and has not run.
     *
     * @param proposalId the approval proposal to watch
     */
    record AwaitingApproval(String proposalId) implements ToolOutcome {
        @Override
        public String forModel() {
            return "This action needs a human's approval and has NOT been carried out yet (proposal " + proposalId
                    + "). Tell the user it is waiting for approval.";
        }
    }
}
