package dev.nexus.host.audit;

import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/audit}: the audit log, newest first, filtered and paged (admin only). */
public final class AuditRoutes {

    private final AuditLog log;

    public AuditRoutes(AuditLog log) {
        this.log = log;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(Route.get("/v1/audit", Access.ADMIN, this::list));
    }

    private void list(Exchange exchange) {
        AuditQuery query = AuditQuery.parse(
                exchange.query("actor"),
                exchange.query("action"),
                exchange.query("target"),
                exchange.query("since"),
                exchange.query("until"),
                exchange.query("cursor"),
                exchange.query("limit"));
        AuditLog.Page page = log.find(query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", page.entries().stream().map(AuditRoutes::view).toList());
        page.next().ifPresent(next -> body.put("next", Long.toString(next)));
        exchange.respond(200, body);
    }

    static Map<String, Object> view(AuditEntry entry) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", entry.id());
        view.put("at", entry.at());
        view.put("actor", Map.of("keyId", entry.actorKeyId(), "name", entry.actorName()));
        view.put("action", entry.action());
        view.put("target", entry.target());
        view.put("status", entry.status());
        entry.beforeSha256().ifPresent(hash -> view.put("beforeSha256", hash));
        entry.afterSha256().ifPresent(hash -> view.put("afterSha256", hash));
        return view;
    }
}
