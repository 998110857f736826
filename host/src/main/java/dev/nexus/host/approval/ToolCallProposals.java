package dev.nexus.host.approval;

import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolSpec;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.tools.ToolApprovals;
import dev.nexus.host.tools.ToolExecutor;
import dev.nexus.host.tools.ToolOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Risky tool calls through the approval queue: a {@code tool-call} proposal (proposer
 * {@code system:tools}). On a host with the task executor (issue 15) the proposal names a task
 * ({@link #proposeTask}): approving it only releases the task, in the approval's transaction, and the
 * task executor runs it once after the approval has committed. Without one (or for proposals filed
 * before it existed) the approved call runs through {@link ToolExecutor#runApproved} inside the
 * approval's transaction, so a tool with external side effects has run even if recording its result
 * then fails; the proposal would stay pending and could be approved again. Once decided, the conversation that asked for the call goes on
 * ({@link #onDecided}): the host appends {@link Decided#outcome()} and asks the model to continue.
 * Stateless.
 */
public final class ToolCallProposals implements ToolApprovals {

    static final String PROPOSER = "system:tools";

    private final ProposalService proposals;
    private volatile ToolExecutor legacy;
    private volatile java.util.function.Function<String, Map<String, Object>> release;

    public ToolCallProposals(ProposalService proposals) {
        this.proposals = proposals;
    }

    @Override
    public String propose(ToolCall call, ToolSpec spec, String pluginId) {
        return proposals
                .propose(
                        new NewProposal(
                                ProposalKind.TOOL_CALL,
                                spec.name(),
                                OptionalInt.empty(),
                                payload(call, spec, pluginId)),
                        PROPOSER)
                .id();
    }

    /**
     * Files a proposal to run {@code call} as task {@code task} of the task executor: approving it
     * only releases the task (in the approval's transaction, through the function installed with
     * {@link #releaseTasksWith}); the task runs after the approval has committed. Returns the proposal id.
     */
    public String proposeTask(String task, ToolCall call, ToolSpec spec, String pluginId) {
        Map<String, Object> payload = payload(call, spec, pluginId);
        payload.put("task", task);
        return proposals
                .propose(new NewProposal(ProposalKind.TOOL_CALL, spec.name(), OptionalInt.empty(), payload), PROPOSER)
                .id();
    }

    /**
     * Installs what approving a task's proposal does: {@code release} gets the task id inside the
     * approval's transaction and returns the proposal's result (e.g. {@code {"task": id, "outcome": "queued"}}).
     */
    public void releaseTasksWith(java.util.function.Function<String, Map<String, Object>> release) {
        this.release = release;
        install();
    }

    /** Returns the state label of proposal {@code id} ({@code pending}, {@code applied}, …), or empty when there is none. */
    public Optional<String> stateOf(String id) {
        try {
            return Optional.of(proposals.get(id).state().label());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Calls {@code wake} (must not block) on every tool-call proposal transition; close the handle to stop. */
    public AutoCloseable onTransition(Runnable wake) {
        return proposals.subscribe(event -> {
            if (ProposalKind.TOOL_CALL.label().equals(event.kind())) {
                wake.run();
            }
        });
    }

    private static Map<String, Object> payload(ToolCall call, ToolSpec spec, String pluginId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("call", call.id());
        payload.put("tool", call.tool());
        payload.put("arguments", call.arguments());
        payload.put("user", call.user());
        payload.put("personality", call.personality());
        payload.put("plugin", pluginId);
        payload.put("risk", spec.risk().name().toLowerCase(java.util.Locale.ROOT));
        payload.put("description", spec.description());
        return payload;
    }

    /**
     * What a decided call tells the conversation that asked for it. Immutable.
     *
     * @param proposal the proposal's id
     * @param outcome the words the model reads: the call's result, or why it did not run
     * @param metadata kept with the conversation's note: {@code tool}, {@code state}, {@code outcome}
     */
    public record Decided(String proposal, String outcome, Map<String, Object> metadata) {}

    /**
     * Tells {@code listener}, on {@code executor}, about every tool-call proposal once it is decided
     * (applied, rejected, expired). Close the handle to stop.
     */
    public AutoCloseable onDecided(Consumer<Decided> listener, Executor executor) {
        return proposals.subscribe(event -> {
            if (ProposalKind.TOOL_CALL.label().equals(event.kind())
                    && !ProposalState.PENDING.label().equals(event.to())) {
                try {
                    executor.execute(() -> decided(event.proposal()).ifPresent(listener));
                } catch (RejectedExecutionException e) {
                    // The host is stopping; the conversation continues when it next starts (see decided()).
                }
            }
        });
    }

    /** Returns what a tool-call proposal came to, or empty while it is pending (or when it is no tool call). */
    public Optional<Decided> decided(String proposalId) {
        Proposal p;
        try {
            p = proposals.get(proposalId);
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        if (p.kind() != ProposalKind.TOOL_CALL || p.state() == ProposalState.PENDING) {
            return Optional.empty();
        }
        if (p.state() == ProposalState.APPLIED && p.payload().containsKey("task")) {
            return Optional.empty(); // an approved task tells the conversation itself, once it has run
        }
        String tool = String.valueOf(p.payload().get("tool"));
        String reason = p.decision()
                .map(Proposal.Decision::reason)
                .filter(r -> !r.isBlank())
                .orElse("none given");
        Object outcome = p.result().get("outcome");
        String text = switch (p.state()) {
            case APPLIED ->
                "done".equals(outcome)
                        ? "[Tool result] A reviewer approved your call to the tool '" + tool
                                + "', and it ran. Its result:\n" + p.result().get("content")
                        : "[Tool result] A reviewer approved your call to the tool '" + tool + "', but it failed: "
                                + p.result().getOrDefault("reason", outcome);
            case REJECTED ->
                "[Tool result] A reviewer rejected your call to the tool '" + tool + "', so it did not run. "
                        + "Their reason: " + reason + ". Tell the user.";
            case EXPIRED ->
                "[Tool result] Your call to the tool '" + tool + "' was not approved in time, so it did not run. "
                        + "Tell the user.";
            default ->
                "[Tool result] Your call to the tool '" + tool + "' did not run ("
                        + p.state().label() + "). Tell the user.";
        };
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("tool", tool);
        metadata.put("state", p.state().label());
        if (outcome != null) {
            metadata.put("outcome", String.valueOf(outcome));
        }
        return Optional.of(new Decided(p.id(), text, metadata));
    }

    /**
     * Installs the applier that runs approved calls with {@code executor}, inside the approval's
     * transaction (proposals filed before the task executor existed, or when none is installed).
     */
    public void runApprovedWith(ToolExecutor executor) {
        this.legacy = executor;
        install();
    }

    private synchronized void install() {
        proposals.register(ProposalKind.TOOL_CALL, proposal -> {
            Map<String, Object> p = proposal.payload();
            if (p.get("task") instanceof String task) {
                var releaser = release;
                if (releaser == null) {
                    throw new dev.nexus.host.ConflictException("proposal " + proposal.id() + " releases task " + task
                            + " but no task executor is installed on this host; it stays pending");
                }
                return releaser.apply(task);
            }
            ToolExecutor executor = legacy;
            if (executor == null) {
                throw new dev.nexus.host.ConflictException("no tool executor is installed on this host, so proposal "
                        + proposal.id() + " cannot run; it stays pending");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> arguments =
                    p.get("arguments") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            ToolCall call = new ToolCall(
                    String.valueOf(p.get("call")),
                    String.valueOf(p.get("tool")),
                    arguments,
                    String.valueOf(p.get("user")),
                    String.valueOf(p.get("personality")));
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
                case ToolOutcome.AwaitingApproval waiting ->
                    result.put("outcome", "awaiting approval " + waiting.proposalId());
            }
            return result;
        });
    }
}
