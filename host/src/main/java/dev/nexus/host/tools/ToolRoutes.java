package dev.nexus.host.tools;

import dev.nexus.api.tool.ToolSpec;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import dev.nexus.host.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Calling a tool without a model ({@code POST /v1/tools/{name}/invoke}, admin) and listing the tools on
 * offer ({@code GET /v1/tools}). The call goes through the same {@link ToolExecutor#execute} path as a
 * model's tool call: the arguments are checked against the tool's schema, a risk level that needs a
 * human goes to the approval queue (202 with the proposal id) instead of running, and the rest runs
 * with the executor's time limit and isolation. A plugin author tries a tool with one {@code curl}.
 * Stateless.
 */
public final class ToolRoutes {

    private static final String DEFAULT_PERSONALITY = "manual-invoke";

    private final ToolExecutor tools;

    public ToolRoutes(ToolExecutor tools) {
        this.tools = tools;
    }

    /** The body of {@code POST /v1/tools/{name}/invoke}; every field optional. */
    record InvokeBody(Map<String, Object> arguments, String user, String personality) {}

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.get(
                        "/v1/tools",
                        Access.ADMIN,
                        exchange -> exchange.respond(
                                200,
                                Map.of(
                                        "tools",
                                        tools.available().stream()
                                                .map(ToolRoutes::view)
                                                .toList()))),
                Route.post("/v1/tools/{name}/invoke", Access.ADMIN, this::invoke));
    }

    private void invoke(Exchange exchange) {
        String name = exchange.pathParam("name");
        if (tools.available().stream().noneMatch(spec -> spec.name().equals(name))) {
            throw new NotFoundException(
                    "there is no tool named '" + InvalidInputException.cap(name) + "'; GET /v1/tools lists "
                            + "the tools on offer (a tool plugin must be started: see GET /v1/plugins)");
        }
        InvokeBody body =
                exchange.bodyBytes().length == 0 ? new InvokeBody(null, null, null) : exchange.json(InvokeBody.class);
        String user = body.user() == null || body.user().isBlank()
                ? exchange.caller().principal()
                : body.user().strip();
        String personality = body.personality() == null || body.personality().isBlank()
                ? DEFAULT_PERSONALITY
                : body.personality().strip();
        String callId = "invoke-" + UUID.randomUUID();
        ToolOutcome outcome = tools.execute(
                callId, name, Json.write(body.arguments() == null ? Map.of() : body.arguments()), user, personality);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("tool", name);
        view.put("callId", callId);
        switch (outcome) {
            case ToolOutcome.Done done -> {
                view.put("outcome", "done");
                view.put("content", done.content());
                view.put("truncated", done.truncated());
                exchange.respond(200, view);
            }
            case ToolOutcome.Failed failed -> {
                view.put("outcome", "failed");
                view.put("reason", failed.reason());
                view.put("retriable", failed.retriable());
                exchange.respond(200, view);
            }
            case ToolOutcome.AwaitingApproval waiting -> {
                view.put("outcome", "awaiting-approval");
                view.put("proposalId", waiting.proposalId());
                exchange.respond(202, view);
            }
        }
    }

    private static Map<String, Object> view(ToolSpec spec) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", spec.name());
        view.put("description", spec.description());
        view.put("risk", spec.risk().name().toLowerCase(java.util.Locale.ROOT));
        view.put("parameters", Json.readMap(spec.parametersSchema()));
        return view;
    }
}
