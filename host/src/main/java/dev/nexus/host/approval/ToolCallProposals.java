package dev.nexus.host.approval;

import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolSpec;
import dev.nexus.host.tools.ToolApprovals;
import dev.nexus.host.tools.ToolExecutor;
import dev.nexus.host.tools.ToolOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Risky tool calls through the approval queue: the tool executor files a {@code tool-call} proposal
 * (proposer {@code system:tools}); once approved, the call runs through
 * {@link ToolExecutor#runApproved}. The call runs inside the approval's transaction, so a tool with
 * external side effects has run even if recording its result then fails; the proposal would stay
 * pending and could be approved again. Stateless.
 */
public final class ToolCallProposals implements ToolApprovals {

    static final String PROPOSER = "system:tools";

    private final ProposalService proposals;

    public ToolCallProposals(ProposalService proposals) {
        this.proposals = proposals;
    }

    @Override
    public String propose(ToolCall call, ToolSpec spec, String pluginId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("call", call.id());
        payload.put("tool", call.tool());
        payload.put("arguments", call.arguments());
        payload.put("user", call.user());
        payload.put("personality", call.personality());
        payload.put("plugin", pluginId);
        payload.put("risk", spec.risk().name().toLowerCase(java.util.Locale.ROOT));
        payload.put("description", spec.description());
        return proposals.propose(new NewProposal(ProposalKind.TOOL_CALL, spec.name(), OptionalInt.empty(), payload), PROPOSER)
                .id();
    }

    /** Installs the applier that runs approved calls with {@code executor}. */
    public void runApprovedWith(ToolExecutor executor) {
        proposals.register(ProposalKind.TOOL_CALL, proposal -> {
            Map<String, Object> p = proposal.payload();
            @SuppressWarnings("unchecked")
            Map<String, Object> arguments = p.get("arguments") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            ToolCall call = new ToolCall(String.valueOf(p.get("call")), String.valueOf(p.get("tool")), arguments,
                    String.valueOf(p.get("user")), String.valueOf(p.get("personality")));
            ToolOutcome outcome = executor.runApproved(call);
            Map<String, Object> result = new LinkedHashMap<>();
            switch (outcome) {
                case ToolOutcome.Done done -> {
                    result.put("outcome", "done");
                    result.put("content", done.content());
                    result.put("truncated", done.truncated());
                }
                case ToolOutcome.Failed failed -> {
                    result.put("outcome", "failed");
                    result.put("reason", failed.reason());
                }
                case ToolOutcome.AwaitingApproval waiting -> result.put("outcome", "awaiting approval " + waiting.proposalId());
            }
            return result;
        });
    }
}
