package dev.nexus.host.tools;

import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolResult;
import dev.nexus.api.tool.ToolSpec;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NexusException;
import dev.nexus.host.json.Json;
import dev.nexus.host.json.JsonSchema;
import dev.nexus.host.plugins.Contribution;
import dev.nexus.host.plugins.PluginRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tools plugins contribute, on behalf of a personality: finds the tool by name, checks the
 * arguments against the tool's schema, sends calls whose risk level needs a human to the approval
 * queue instead of running them, and runs the rest with a time limit, isolating plugin failures and
 * capping result size. Every outcome is a value the model can read; nothing here throws for a bad
 * call. Thread-safe.
 *
 * <p>Limitation: a tool that ignores interruption keeps its (virtual) thread after its time limit;
 * the call is reported as timed out and the thread is abandoned, not killed.
 */
public final class ToolExecutor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ToolExecutor.class);
    private static final String TIMED_OUT = "did not answer within";
    private static final String INTERRUPTED = "interrupted while waiting for tool";

    private final PluginRuntime runtime;
    private final ToolsConfig config;
    private final ToolApprovals approvals;
    private final Supplier<List<ExternalTool>> external;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    /** Compiled parameter schemas by schema text: tools are few and their schemas fixed, so this stays small. */
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    public ToolExecutor(PluginRuntime runtime, ToolsConfig config, ToolApprovals approvals) {
        this(runtime, config, approvals, List::of);
    }

    /**
     * Creates an executor that also offers tools from outside the plugins (e.g. MCP servers); plugin
     * tools win a name clash.
     */
    public ToolExecutor(
            PluginRuntime runtime, ToolsConfig config, ToolApprovals approvals, Supplier<List<ExternalTool>> external) {
        this.runtime = runtime;
        this.config = config;
        this.approvals = approvals;
        this.external = external;
    }

    /** One tool on offer: a plugin's or an external one. */
    private record Offered(
            String source, ToolSpec spec, Optional<Contribution<Tool>> plugin, Optional<ExternalTool> outside) {}

    /** Returns the specs of every tool offered to models, one per name (the first plugin by id wins a clash). */
    public List<ToolSpec> available() {
        return new ArrayList<>(byName().values().stream().map(Offered::spec).toList());
    }

    /**
     * One tool on offer, with where it comes from. Immutable.
     *
     * @param source the plugin id (or e.g. {@code mcp:files} for an external tool): the task executor's "integration"
     * @param spec the tool's name, description, schema and risk
     * @param needsApproval whether a call waits for a human ({@code tools.approval-for} names its risk)
     */
    public record Offer(String source, ToolSpec spec, boolean needsApproval) {}

    /** Returns every tool on offer with its source, one per name. */
    public List<Offer> offers() {
        return byName().values().stream()
                .map(o -> new Offer(
                        o.source(),
                        o.spec(),
                        config.approvalFor().contains(o.spec().risk())))
                .toList();
    }

    /**
     * Checks {@code arguments} against tool {@code name}'s schema.
     *
     * @return the problems, each naming its field; empty when the arguments fit
     * @throws dev.nexus.host.NotFoundException when no such tool is on offer
     */
    public List<String> problems(String name, Map<String, Object> arguments) {
        Offered tool = byName().get(name);
        if (tool == null) {
            throw dev.nexus.host.NotFoundException.of("tool", name);
        }
        return schema(tool.spec()).problems(arguments);
    }

    /**
     * Handles one call the model asked for.
     *
     * @param callId the model's id for the call
     * @param name the tool name
     * @param argumentsJson the arguments as the model wrote them (a JSON object)
     * @param user the user the personality acts for
     * @param personality the personality's id
     */
    public ToolOutcome execute(String callId, String name, String argumentsJson, String user, String personality) {
        Map<String, Offered> offered = byName();
        Offered tool = offered.get(name);
        if (tool == null) {
            return new ToolOutcome.Failed(
                    "there is no tool named '" + InvalidInputException.cap(name) + "'; available tools are "
                            + offered.keySet(),
                    false);
        }
        ToolSpec spec = tool.spec();
        Map<String, Object> arguments;
        try {
            arguments = Json.readMap(argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson);
        } catch (InvalidInputException e) {
            return new ToolOutcome.Failed("the arguments are not a JSON object: " + e.getMessage(), false);
        }
        List<String> problems;
        try {
            problems = schema(spec).problems(arguments);
        } catch (InvalidInputException e) {
            return new ToolOutcome.Failed(e.getMessage(), false);
        }
        if (!problems.isEmpty()) {
            return new ToolOutcome.Failed(
                    "invalid arguments for '" + name + "': " + String.join("; ", problems), false);
        }
        ToolCall call = new ToolCall(callId, name, arguments, user, personality);
        if (config.approvalFor().contains(spec.risk())) {
            try {
                return new ToolOutcome.AwaitingApproval(approvals.propose(call, spec, tool.source()));
            } catch (NexusException e) {
                return new ToolOutcome.Failed(e.getMessage(), false);
            }
        }
        return invoke(tool, call);
    }

    /**
     * Runs a call a human has approved. The tool must still exist and the arguments still fit its schema.
     */
    public ToolOutcome runApproved(ToolCall call) {
        Offered tool = byName().get(call.tool());
        if (tool == null) {
            return new ToolOutcome.Failed("tool '" + call.tool() + "' is no longer available", false);
        }
        List<String> problems;
        try {
            problems = schema(tool.spec()).problems(call.arguments());
        } catch (InvalidInputException e) {
            return new ToolOutcome.Failed(e.getMessage(), false);
        }
        if (!problems.isEmpty()) {
            return new ToolOutcome.Failed(
                    "the approved arguments no longer fit the tool: " + String.join("; ", problems), false);
        }
        return invoke(tool, call);
    }

    private ToolOutcome invoke(Offered offered, ToolCall call) {
        Future<ToolResult> running;
        if (offered.plugin().isPresent()) {
            Contribution<Tool> tool = offered.plugin().get();
            running = threads.submit(() ->
                    runtime.call(tool, "invoke of tool '" + call.tool() + "'", extension -> extension.invoke(call)));
        } else {
            ExternalTool tool = offered.outside().orElseThrow();
            running = threads.submit(() -> tool.invoker().invoke(call));
        }
        try {
            ToolResult result = running.get(config.timeoutMillis(), TimeUnit.MILLISECONDS);
            return switch (result) {
                case ToolResult.Success success -> truncate(success.content() == null ? "" : success.content());
                case ToolResult.Failure failure -> new ToolOutcome.Failed(failure.message(), failure.retriable());
                case null -> {
                    offered.plugin()
                            .ifPresent(tool -> runtime.fail(
                                    tool.pluginId(),
                                    "invoke of tool '" + call.tool() + "'",
                                    new IllegalStateException("returned null instead of a ToolResult")));
                    yield new ToolOutcome.Failed(
                            "tool '" + call.tool() + "' misbehaved"
                                    + (offered.plugin().isPresent() ? " and has been disabled" : ""),
                            false);
                }
            };
        } catch (TimeoutException e) {
            running.cancel(true);
            LOG.warn("tool {} from {} timed out after {} ms", call.tool(), offered.source(), config.timeoutMillis());
            return new ToolOutcome.Failed(
                    "tool '" + call.tool() + "' " + TIMED_OUT + " " + config.timeoutMillis() + " ms", true);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new ToolOutcome.Failed(
                    cause instanceof NexusException nexus
                            ? nexus.getMessage()
                            : "tool failed: " + (offered.plugin().isPresent() ? cause : cause.getMessage()),
                    false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.cancel(true);
            return new ToolOutcome.Failed(INTERRUPTED + " '" + call.tool() + "'", true);
        }
    }

    /**
     * Returns true when {@code outcome} is a call abandoned while it ran (its time limit passed, or the
     * waiting thread was interrupted): the tool may still have done its work (a write may have
     * happened), so a caller must not blindly repeat a risky one.
     */
    public static boolean abandoned(ToolOutcome outcome) {
        return outcome instanceof ToolOutcome.Failed failed
                && failed.retriable()
                && (failed.reason().contains(TIMED_OUT) || failed.reason().startsWith(INTERRUPTED));
    }

    private ToolOutcome truncate(String content) {
        return content.length() <= config.maxResultChars()
                ? new ToolOutcome.Done(content, false)
                : new ToolOutcome.Done(content.substring(0, config.maxResultChars()), true);
    }

    private JsonSchema schema(ToolSpec spec) {
        return schemas.computeIfAbsent(
                spec.parametersSchema(),
                text -> JsonSchema.compile(text, "the parameters schema of tool '" + spec.name() + "'"));
    }

    private Map<String, Offered> byName() {
        Map<String, Offered> tools = new LinkedHashMap<>();
        for (Contribution<Tool> contribution : runtime.extensions(Tool.class)) {
            Optional<ToolSpec> spec = spec(contribution);
            if (spec.isEmpty() || config.disabled().contains(spec.get().name())) {
                continue;
            }
            offer(tools, new Offered(contribution.pluginId(), spec.get(), Optional.of(contribution), Optional.empty()));
        }
        for (ExternalTool tool : external.get()) {
            if (!config.disabled().contains(tool.spec().name())) {
                offer(tools, new Offered(tool.source(), tool.spec(), Optional.empty(), Optional.of(tool)));
            }
        }
        return tools;
    }

    private static void offer(Map<String, Offered> tools, Offered tool) {
        Offered clash = tools.putIfAbsent(tool.spec().name(), tool);
        if (clash != null) {
            LOG.warn(
                    "tool '{}' is offered by {} and {}; using {}",
                    tool.spec().name(),
                    clash.source(),
                    tool.source(),
                    clash.source());
        }
    }

    private Optional<ToolSpec> spec(Contribution<Tool> contribution) {
        try {
            return Optional.ofNullable(runtime.call(contribution, "spec", Tool::spec));
        } catch (NexusException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
