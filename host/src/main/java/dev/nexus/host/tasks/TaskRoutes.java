package dev.nexus.host.tasks;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The task executor's HTTP surface ({@code /v1/tasks}). A task belongs to the user it runs for: a user
 * key sees and cancels only its own user's tasks (another user's task answers 404); admin keys act for
 * anyone. Stateless.
 */
public final class TaskRoutes {

    private final TaskService tasks;

    public TaskRoutes(TaskService tasks) {
        this.tasks = tasks;
    }

    /** The body of {@code POST /v1/tasks/execute}. */
    record ExecuteBody(
            String integration, String action, Map<String, Object> params, String user, String personality) {}

    /** Returns the routes; the fixed paths come before {@code /{id}}. */
    public List<Route> routes() {
        Access owner = Access.userOwns("id", "task", tasks::ownerOf);
        return List.of(
                Route.get(
                        "/v1/tasks/integrations",
                        Access.USER_SHARED,
                        exchange -> exchange.respond(200, Map.of("integrations", tasks.integrations()))),
                Route.post("/v1/tasks/execute", Access.USER_SELF, exchange -> {
                    ExecuteBody body = exchange.json(ExecuteBody.class);
                    String user = user(exchange, Optional.ofNullable(body.user()));
                    String personality =
                            body.personality() == null || body.personality().isBlank()
                                    ? "api"
                                    : body.personality().strip();
                    if (personality.length() > 200) {
                        throw new InvalidInputException("'personality' must be at most 200 characters");
                    }
                    Task task = tasks.submit(new TaskService.Request(
                            body.integration(),
                            body.action(),
                            body.params(),
                            user,
                            personality,
                            exchange.caller().keyId()));
                    exchange.header("Location", "/v1/tasks/" + task.id());
                    exchange.respond(202, view(task));
                }),
                Route.get("/v1/tasks", Access.USER_SELF, exchange -> {
                    Optional<String> named = exchange.query("user");
                    Optional<String> user = exchange.caller().admin() && named.isEmpty()
                            ? Optional.empty()
                            : Optional.of(user(exchange, named));
                    exchange.respond(
                            200,
                            Map.of(
                                    "tasks",
                                    tasks
                                            .list(
                                                    user,
                                                    exchange.query("status").map(TaskStatus::parse),
                                                    exchange.query("integration"))
                                            .stream()
                                            .map(TaskRoutes::view)
                                            .toList()));
                }),
                Route.get("/v1/tasks/{id}", owner, exchange -> {
                    String id = exchange.pathParam("id");
                    Map<String, Object> view = view(tasks.get(id));
                    view.put(
                            "history",
                            tasks.history(id).stream().map(TaskRoutes::view).toList());
                    exchange.respond(200, view);
                }),
                Route.post("/v1/tasks/{id}/cancel", owner, exchange -> {
                    exchange.requireNoBody();
                    exchange.respond(
                            200,
                            view(tasks.cancel(
                                    exchange.pathParam("id"), exchange.caller().keyId())));
                }));
    }

    private static String user(Exchange exchange, Optional<String> named) {
        String user = exchange.caller().actingUser("user", named);
        if (user.isBlank()) {
            throw new InvalidInputException(
                    "'user' is required for an admin key that is bound to no user: name whom the task runs for");
        }
        return user;
    }

    /** The API view of a task. */
    static Map<String, Object> view(Task t) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", t.id());
        view.put("integration", t.integration());
        view.put("action", t.action());
        view.put("tool", t.tool());
        view.put("params", t.params());
        view.put("user", t.user());
        view.put("personality", t.personality());
        view.put("origin", t.origin());
        view.put("risk", t.risk());
        view.put("status", t.status().label());
        view.put("proposal", t.proposal().orElse(null));
        view.put("attempts", t.attempts());
        view.put("maxAttempts", t.maxAttempts());
        view.put("nextRunAt", t.nextRunAt());
        view.put("result", t.result().orElse(null));
        view.put("error", t.error().orElse(null));
        view.put("createdBy", t.createdBy());
        view.put("createdAt", t.createdAt());
        view.put("updatedAt", t.updatedAt());
        return view;
    }

    static Map<String, Object> view(Task.Transition t) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("from", t.from().orElse(null));
        view.put("to", t.to());
        view.put("actor", t.actor());
        view.put("detail", t.detail().orElse(null));
        view.put("at", t.at());
        return view;
    }
}
