package dev.nexus.host.approval;

import dev.nexus.host.http.Access;
import dev.nexus.host.http.EventStream;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import dev.nexus.host.persona.PersonalityId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The approval queue's HTTP surface ({@code /v1/proposals}). Stateless. */
public final class ApprovalRoutes {

    private static final int KEEP_ALIVE_SECONDS = 15;

    private final ProposalService proposals;

    public ApprovalRoutes(ProposalService proposals) {
        this.proposals = proposals;
    }

    record ApproveBody(String sha256, String reason) {}

    record RejectBody(String reason) {}

    record ProposeBody(String kind, String personality, Integer version, String reason) {}

    /** Returns the routes; the event stream is registered before {@code /{id}}. */
    public List<Route> routes() {
        return List.of(
                Route.get("/v1/proposals/events", Access.APPROVER, this::events),
                Route.get(
                        "/v1/proposals",
                        Access.APPROVER,
                        exchange -> exchange.respond(
                                200,
                                Map.of(
                                        "proposals",
                                        proposals.list(exchange.query("state").map(ProposalState::parse)).stream()
                                                .map(ApprovalRoutes::view)
                                                .toList()))),
                Route.post("/v1/proposals", Access.USER_SHARED, this::propose),
                Route.get("/v1/proposals/{id}", Access.APPROVER, exchange -> {
                    String id = exchange.pathParam("id");
                    Map<String, Object> body = view(proposals.get(id));
                    body.put("history", proposals.history(id));
                    exchange.respond(200, body);
                }),
                Route.post("/v1/proposals/{id}/approve", Access.APPROVER, exchange -> {
                    ApproveBody body = exchange.json(ApproveBody.class);
                    exchange.respond(
                            200,
                            view(proposals.approve(
                                    exchange.pathParam("id"), exchange.caller(), body.sha256(), body.reason())));
                }),
                Route.post("/v1/proposals/{id}/reject", Access.APPROVER, exchange -> {
                    RejectBody body = exchange.json(RejectBody.class);
                    exchange.respond(
                            200, view(proposals.reject(exchange.pathParam("id"), exchange.caller(), body.reason())));
                }));
    }

    private void propose(Exchange exchange) {
        ProposeBody body = exchange.json(ProposeBody.class);
        ProposalKind kind = ProposalKind.parse(body.kind() == null ? "" : body.kind());
        if (kind != ProposalKind.ROLLBACK) {
            throw new dev.nexus.host.InvalidInputException(
                    "only 'rollback' proposals can be made over HTTP; trait changes "
                            + "come from evolution runs (POST /v1/evolution/runs), personality blends from POST /v1/personalities/blends, the "
                            + "others from their features");
        }
        if (body.personality() == null || body.version() == null) {
            throw new dev.nexus.host.InvalidInputException(
                    "a rollback needs 'personality' and 'version' (the version to restore)");
        }
        Proposal proposal = proposals.proposeRollback(
                PersonalityId.of(body.personality()),
                body.version(),
                exchange.caller().keyId(),
                body.reason());
        exchange.respond(201, view(proposal));
    }

    private void events(Exchange exchange) throws Exception {
        BlockingQueue<ProposalEvent> queue = new LinkedBlockingQueue<>(10_000);
        try (EventStream stream = exchange.events();
                AutoCloseable subscription = proposals.subscribe(queue::offer)) {
            if (!stream.comment("subscribed")) {
                return;
            }
            while (stream.isOpen()) {
                ProposalEvent event = queue.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                boolean open = event == null ? stream.comment("keep-alive") : stream.send("proposal", event);
                if (!open) {
                    return;
                }
            }
        }
    }

    /** The API view of a proposal: labels instead of enum names. */
    public static Map<String, Object> view(Proposal p) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", p.id());
        view.put("kind", p.kind().label());
        view.put("subject", p.subject());
        view.put("baseVersion", p.baseVersion().isPresent() ? p.baseVersion().getAsInt() : null);
        view.put("payload", p.payload());
        view.put("sha256", p.sha256());
        view.put("proposer", p.proposer());
        view.put("createdAt", p.createdAt());
        view.put("expiresAt", p.expiresAt());
        view.put("state", p.state().label());
        view.put("decision", p.decision().orElse(null));
        view.put("result", p.result());
        return view;
    }
}
