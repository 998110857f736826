package dev.nexus.host.schedules;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /v1/schedules} (admin: a personality's recurring activities and their runs) and
 * {@code /v1/users/{id}/consents} (the user or an admin: consent to proactive messages, and the
 * proactive messages sent).
 */
public final class ScheduleRoutes {

    /** The body of {@code PUT /v1/users/{id}/consents/{platform}}. */
    record ConsentBody(String personality, Integer maxPerDay) {}

    private final Schedules schedules;

    public ScheduleRoutes(Schedules schedules) {
        this.schedules = schedules;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.get(
                        "/v1/schedules",
                        Access.ADMIN,
                        exchange -> exchange.respond(
                                200,
                                Map.of(
                                        "schedules",
                                        schedules
                                                .list(exchange.query("personality")
                                                        .filter(p -> !p.isBlank()))
                                                .stream()
                                                .map(ScheduleRoutes::view)
                                                .toList()))),
                Route.post("/v1/schedules", Access.ADMIN, exchange -> {
                    Schedule created = schedules.create(exchange.json(Schedules.NewSchedule.class), exchange.caller());
                    exchange.header("Location", "/v1/schedules/" + created.id());
                    exchange.respond(201, view(created));
                }),
                Route.get(
                        "/v1/schedules/{id}",
                        Access.ADMIN,
                        exchange -> exchange.respond(200, view(schedules.get(exchange.pathParam("id"))))),
                Route.get(
                        "/v1/schedules/{id}/runs",
                        Access.ADMIN,
                        exchange -> exchange.respond(
                                200,
                                Map.of(
                                        "runs",
                                        schedules.runs(exchange.pathParam("id"), limit(exchange)).stream()
                                                .map(ScheduleRoutes::view)
                                                .toList()))),
                Route.post("/v1/schedules/{id}/pause", Access.ADMIN, exchange -> {
                    exchange.requireNoBody();
                    exchange.respond(200, view(schedules.pause(exchange.pathParam("id"))));
                }),
                Route.post("/v1/schedules/{id}/start", Access.ADMIN, exchange -> {
                    exchange.requireNoBody();
                    exchange.respond(200, view(schedules.start(exchange.pathParam("id"))));
                }),
                Route.delete("/v1/schedules/{id}", Access.ADMIN, exchange -> {
                    schedules.delete(exchange.pathParam("id"));
                    exchange.respondBytes(204, "application/json", new byte[0]);
                }),
                Route.put("/v1/users/{id}/consents/{platform}", Access.userInPath("id"), exchange -> {
                    ConsentBody body = exchange.json(ConsentBody.class);
                    exchange.respond(
                            200,
                            view(schedules.consent(
                                    exchange.pathParam("id"),
                                    exchange.pathParam("platform"),
                                    Optional.ofNullable(body.personality()),
                                    Optional.ofNullable(body.maxPerDay()))));
                }),
                Route.delete("/v1/users/{id}/consents/{platform}", Access.userInPath("id"), exchange -> {
                    schedules.withdraw(exchange.pathParam("id"), exchange.pathParam("platform"));
                    exchange.respondBytes(204, "application/json", new byte[0]);
                }),
                Route.get("/v1/users/{id}/consents", Access.userInPath("id"), exchange -> {
                    String user = exchange.pathParam("id");
                    exchange.respond(
                            200,
                            Map.of(
                                    "consents",
                                            schedules.consents(user).stream()
                                                    .map(ScheduleRoutes::view)
                                                    .toList(),
                                    "proactiveMessages",
                                            schedules.proactive(user, limit(exchange)).stream()
                                                    .map(ScheduleRoutes::view)
                                                    .toList()));
                }));
    }

    private static int limit(Exchange exchange) {
        String text = exchange.query("limit").orElse("100");
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= 500) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidInputException("query 'limit' must be 1-500, got '" + InvalidInputException.cap(text) + "'");
    }

    static Map<String, Object> view(Schedule s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", s.id());
        view.put("personality", s.personality());
        view.put("name", s.name());
        view.put("cron", s.cron());
        view.put("timeZone", s.timeZone());
        view.put("jitterSeconds", s.jitterSeconds());
        view.put("action", s.action());
        view.put("platform", s.platform());
        s.user().ifPresent(u -> view.put("user", u));
        view.put("text", s.content());
        view.put("state", s.state());
        s.plannedAt().ifPresent(p -> view.put("plannedAt", p));
        s.nextRunAt().ifPresent(n -> view.put("nextRunAt", n));
        view.put("createdAt", s.createdAt());
        view.put("createdBy", s.createdBy());
        return view;
    }

    static Map<String, Object> view(Schedule.Run r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", r.id());
        view.put("schedule", r.schedule());
        view.put("plannedAt", r.plannedAt());
        view.put("dueAt", r.dueAt());
        view.put("ranAt", r.ranAt());
        view.put("outcome", r.outcome());
        view.put("detail", r.detail());
        r.messageId().ifPresent(m -> view.put("messageId", m));
        return view;
    }

    static Map<String, Object> view(Schedule.Consent c) {
        return Map.of(
                "user",
                c.user(),
                "platform",
                c.platform(),
                "personality",
                c.personality(),
                "maxPerDay",
                c.maxPerDay(),
                "createdAt",
                c.createdAt());
    }

    static Map<String, Object> view(Schedule.Proactive p) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", p.id());
        view.put("platform", p.platform());
        view.put("personality", p.personality());
        view.put("schedule", p.schedule());
        view.put("conversation", p.conversation());
        view.put("text", p.content());
        view.put("queuedAt", p.queuedAt());
        view.put("dueAt", p.dueAt());
        return view;
    }
}
