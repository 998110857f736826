package dev.nexus.host.tools;

import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolResult;
import dev.nexus.api.tool.ToolSpec;

/**
 * A tool that does not come from a plugin (e.g. one an MCP server offers), run by the same executor
 * as plugin tools: schema-checked, time-limited, approval-gated by its risk level. Immutable.
 *
 * @param source where it comes from, shown in proposals and logs, e.g. {@code mcp:files}
 * @param spec its name, description, JSON Schema and risk level
 * @param invoker runs a call; may block and throw (a throw becomes a failed outcome, the source stays up)
 */
public record ExternalTool(String source, ToolSpec spec, Invoker invoker) {

    /** Runs one call of an external tool. */
    @FunctionalInterface
    public interface Invoker {

        /** Runs {@code call} and returns its result. */
        ToolResult invoke(ToolCall call) throws Exception;
    }
}
