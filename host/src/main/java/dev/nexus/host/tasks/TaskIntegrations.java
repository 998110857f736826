package dev.nexus.host.tasks;

import dev.nexus.host.json.Json;
import dev.nexus.host.tools.ToolExecutor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Integrations as the task executor shows them: the tools on offer grouped by the plugin (or other
 * source) offering them. An action is the tool's name without its integration's prefix: plugin
 * {@code github}'s tool {@code github_create_issue} is action {@code create_issue}; a tool without the
 * prefix keeps its whole name. Stateless.
 */
public final class TaskIntegrations {

    private TaskIntegrations() {}

    /**
     * One action. Immutable.
     *
     * @param action its name within the integration
     * @param tool the tool name (what a model calls)
     * @param description what it does
     * @param risk {@code low}, {@code medium} or {@code high}
     * @param needsApproval whether a call waits for a human
     * @param parameters the JSON Schema of its parameters
     */
    public record Action(
            String action,
            String tool,
            String description,
            String risk,
            boolean needsApproval,
            Map<String, Object> parameters) {}

    /**
     * An integration and its actions. Immutable.
     *
     * @param integration the plugin id (or {@code mcp:<server>})
     * @param actions its actions, by name
     */
    public record Integration(String integration, List<Action> actions) {}

    /** Returns the action name of tool {@code tool} of integration {@code integration}. */
    public static String action(String integration, String tool) {
        String prefix = integration.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + "_";
        return tool.startsWith(prefix) && tool.length() > prefix.length() ? tool.substring(prefix.length()) : tool;
    }

    static List<Integration> of(List<ToolExecutor.Offer> offers) {
        Map<String, List<Action>> grouped = new LinkedHashMap<>();
        for (ToolExecutor.Offer offer : offers) {
            grouped.computeIfAbsent(offer.source(), s -> new ArrayList<>())
                    .add(new Action(
                            action(offer.source(), offer.spec().name()),
                            offer.spec().name(),
                            offer.spec().description(),
                            offer.spec().risk().name().toLowerCase(Locale.ROOT),
                            offer.needsApproval(),
                            Json.readMap(offer.spec().parametersSchema())));
        }
        List<Integration> out = new ArrayList<>();
        grouped.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.add(new Integration(
                        e.getKey(),
                        e.getValue().stream()
                                .sorted(java.util.Comparator.comparing(Action::action))
                                .toList())));
        return out;
    }
}
