package dev.nexus.host.sandbox;

import dev.nexus.host.http.Access;
import dev.nexus.host.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/sandbox/plugins/{sha256}/symbols}: every external symbol of a judged jar, with its
 * verdict, for approvers. Enablement proposals carry only counts per package (issue 19: a jar with a huge
 * report must not bloat every proposal listing); this is the full list on demand.
 */
public final class SandboxRoutes {

    private final FitnessSandbox sandbox;

    public SandboxRoutes(FitnessSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(Route.get("/v1/sandbox/plugins/{sha256}/symbols", Access.APPROVER, exchange -> {
            AdmissionReport report = sandbox.report(exchange.pathParam("sha256"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("sha256", report.sha256());
            body.put("fileName", JarContents.cap(report.fileName(), 255));
            body.put("admission", report.verdict());
            body.put("policyVersion", report.policyVersion());
            body.put("problems", report.problems());
            body.put(
                    "symbols",
                    report.symbols().stream()
                            .map(symbol -> {
                                Map<String, Object> row = new LinkedHashMap<>();
                                row.put("symbol", JarContents.cap(symbol.display(), 1_000));
                                row.put("kind", symbol.kind().name().toLowerCase(java.util.Locale.ROOT));
                                row.put("allowed", symbol.allowed());
                                row.put("reason", symbol.reason());
                                return row;
                            })
                            .toList());
            exchange.respond(200, body);
        }));
    }
}
