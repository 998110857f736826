package dev.nexus.host.tools;

import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolSpec;

/**
 * Where risky tool calls go to wait for a human: the approval queue implements this. When the
 * proposal is approved, the queue runs the call through {@link ToolExecutor#runApproved}.
 */
@FunctionalInterface
public interface ToolApprovals {

    /**
     * Files a proposal to run {@code call}; returns the proposal id.
     *
     * @param call the validated call
     * @param spec the tool's spec (its risk level and description, for the reviewer)
     * @param pluginId the plugin that provides the tool
     */
    String propose(ToolCall call, ToolSpec spec, String pluginId);

    /** Returns approvals that refuse every call: used until the approval queue is wired. */
    static ToolApprovals refuseAll() {
        return (call, spec, pluginId) -> {
            throw new dev.nexus.host.ConflictException(
                    "tool '" + spec.name() + "' needs human approval but no approval queue is configured");
        };
    }
}
