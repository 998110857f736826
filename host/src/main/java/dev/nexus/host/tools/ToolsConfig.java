package dev.nexus.host.tools;

import dev.nexus.api.tool.RiskLevel;
import java.util.List;

/**
 * The {@code tools} configuration section. Immutable.
 *
 * @param timeoutMillis how long one tool call may run before it is abandoned (default 15000)
 * @param maxResultChars results longer than this are cut, with a note, before the model sees them (default 8000)
 * @param approvalFor risk levels whose calls wait for human approval (default {@code [HIGH]})
 * @param disabled tool names never offered to the model
 */
public record ToolsConfig(
        Integer timeoutMillis, Integer maxResultChars, List<RiskLevel> approvalFor, List<String> disabled) {

    /** States the defaults and validates. */
    public ToolsConfig {
        timeoutMillis = timeoutMillis == null ? 15_000 : timeoutMillis;
        maxResultChars = maxResultChars == null ? 8_000 : maxResultChars;
        approvalFor = approvalFor == null ? List.of(RiskLevel.HIGH) : List.copyOf(approvalFor);
        disabled = disabled == null ? List.of() : List.copyOf(disabled);
        if (timeoutMillis < 100 || timeoutMillis > 600_000) {
            throw new IllegalArgumentException("timeout-millis must be 100-600000, got " + timeoutMillis);
        }
        if (maxResultChars < 100) {
            throw new IllegalArgumentException("max-result-chars must be >= 100, got " + maxResultChars);
        }
        if (!approvalFor.contains(RiskLevel.HIGH)) {
            throw new IllegalArgumentException(
                    "approval-for must include HIGH: high-risk tool calls always need a human");
        }
    }
}
