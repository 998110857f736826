package dev.nexus.host.goals;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The goals engine's HTTP surface ({@code /v1/goals}). A goal belongs to a user: a user key reaches
 * only its own user's goals (another user's goal answers 404), an admin key acts for anyone. Stateless.
 */
public final class GoalRoutes {

    private final GoalService goals;

    public GoalRoutes(GoalService goals) {
        this.goals = goals;
    }

    /** The body of {@code POST /v1/goals} and {@code PUT /v1/goals/{id}}. */
    record GoalBody(
            String user,
            String title,
            String description,
            String status,
            String deadline,
            List<GoalService.MilestoneDraft> milestones) {

        GoalService.Draft draft() {
            return new GoalService.Draft(title, description, status, deadline, milestones);
        }
    }

    /** The body of {@code POST /v1/goals/{id}/progress}. */
    record ProgressBody(Double progress, Boolean fromMilestones, String note) {}

    /** Returns the routes. */
    public List<Route> routes() {
        Access owner = Access.userOwns("id", "goal", goals::ownerOf);
        return List.of(
                Route.get("/v1/goals", Access.USER_SELF, exchange -> {
                    String user = user(exchange, exchange.query("user"));
                    Optional<GoalStatus> status = exchange.query("status").map(s -> GoalStatus.parse("status", s));
                    exchange.respond(
                            200,
                            Map.of(
                                    "goals",
                                    goals.list(user, status).stream()
                                            .map(GoalRoutes::view)
                                            .toList()));
                }),
                Route.post("/v1/goals", Access.USER_SELF, exchange -> {
                    GoalBody body = exchange.json(GoalBody.class);
                    Goal goal = goals.create(user(exchange, Optional.ofNullable(body.user())), body.draft());
                    exchange.header("Location", "/v1/goals/" + goal.id());
                    exchange.respond(201, view(goal));
                }),
                Route.get("/v1/goals/{id}", owner, exchange -> {
                    String id = exchange.pathParam("id");
                    Map<String, Object> view = view(goals.get(id));
                    view.put(
                            "history",
                            goals.history(id).stream().map(GoalRoutes::view).toList());
                    exchange.respond(200, view);
                }),
                Route.put("/v1/goals/{id}", owner, exchange -> {
                    GoalBody body = exchange.json(GoalBody.class);
                    if (body.user() != null) {
                        throw new InvalidInputException(
                                "'user' cannot change with PUT: a goal stays with the user who owns it");
                    }
                    exchange.respond(200, view(goals.update(exchange.pathParam("id"), body.draft())));
                }),
                Route.delete("/v1/goals/{id}", owner, exchange -> {
                    goals.delete(exchange.pathParam("id"));
                    exchange.respondBytes(204, "application/json", new byte[0]);
                }),
                Route.post("/v1/goals/{id}/progress", owner, exchange -> {
                    ProgressBody body = exchange.json(ProgressBody.class);
                    boolean computed = Boolean.TRUE.equals(body.fromMilestones());
                    if (computed == (body.progress() != null)) {
                        throw new InvalidInputException(
                                "send either 'progress' (a number from 0 to 1) or \"fromMilestones\": true "
                                        + "(progress computed from the milestones again), not both and not neither");
                    }
                    OptionalDouble progress = computed ? OptionalDouble.empty() : OptionalDouble.of(body.progress());
                    exchange.respond(
                            200,
                            view(goals.setProgress(
                                    exchange.pathParam("id"), progress, Optional.ofNullable(body.note()))));
                }),
                Route.post("/v1/goals/{id}/milestones", owner, exchange -> {
                    Milestone milestone = goals.addMilestone(
                            exchange.pathParam("id"), exchange.json(GoalService.MilestoneDraft.class));
                    exchange.respond(201, view(milestone));
                }),
                Route.post("/v1/goals/{id}/milestones/{milestone}/complete", owner, exchange -> {
                    exchange.requireNoBody();
                    exchange.respond(
                            200,
                            view(goals.complete(
                                    exchange.pathParam("id"),
                                    exchange.pathParam("milestone"),
                                    exchange.caller().principal())));
                }),
                Route.post("/v1/goals/{id}/milestones/{milestone}/uncomplete", owner, exchange -> {
                    exchange.requireNoBody();
                    exchange.respond(
                            200,
                            view(goals.mark(
                                    exchange.pathParam("id"), exchange.pathParam("milestone"), Optional.empty())));
                }),
                Route.get("/v1/goals/{id}/suggestions", owner, exchange -> {
                    Suggestions.Result result = goals.suggestions(exchange.pathParam("id"));
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("goal", exchange.pathParam("id"));
                    view.put("source", result.source());
                    result.model().ifPresent(m -> view.put("model", m));
                    result.note().ifPresent(n -> view.put("note", n));
                    view.put(
                            "suggestions",
                            result.suggestions().stream()
                                    .map(s -> {
                                        Map<String, Object> item = new LinkedHashMap<>();
                                        item.put("kind", s.kind());
                                        item.put("text", s.text());
                                        s.milestone().ifPresent(m -> item.put("milestone", m));
                                        return item;
                                    })
                                    .toList());
                    exchange.respond(200, view);
                }));
    }

    private static String user(Exchange exchange, Optional<String> named) {
        String user = exchange.caller().actingUser("user", named);
        if (user.isBlank()) {
            throw new InvalidInputException(
                    "'user' is required for an admin key that is bound to no user: name whose goals these are");
        }
        return user;
    }

    /** The API view of a goal. */
    static Map<String, Object> view(Goal goal) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", goal.id());
        view.put("user", goal.user());
        view.put("title", goal.title());
        view.put("description", goal.description());
        view.put("status", goal.status().label());
        view.put("deadline", goal.deadline().orElse(null));
        view.put("progress", goal.progress());
        view.put("progressSource", goal.progressSource());
        view.put("milestones", goal.milestones().stream().map(GoalRoutes::view).toList());
        view.put("createdAt", goal.createdAt());
        view.put("updatedAt", goal.updatedAt());
        return view;
    }

    static Map<String, Object> view(Milestone m) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", m.id());
        view.put("title", m.title());
        view.put("position", m.position());
        view.put("due", m.due().orElse(null));
        view.put("done", m.isDone());
        m.done().ifPresent(d -> {
            view.put("doneAt", d.at());
            view.put("doneSource", d.source());
            view.put("doneReference", d.reference());
            view.put("doneMethod", d.method());
        });
        return view;
    }

    static Map<String, Object> view(ProgressPoint point) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("progress", point.progress());
        view.put("source", point.source());
        view.put("note", point.note().orElse(null));
        view.put("at", point.at());
        return view;
    }
}
