package dev.nexus.host.rooms;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.EventStream;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The rooms API: {@code /v1/rooms} (create, list the caller's), {@code /v1/rooms/{id}} (read),
 * participants, messages, the room's event stream and its protocols. A user reaches only rooms they
 * are in now (others get 404) and reads only the messages they witnessed; admins reach every room and
 * read everything (or a participant's view with {@code ?as=}). Stateless; see docs/rooms.md.
 */
public final class RoomRoutes {

    record LoanBody(String personality, String trait, String from) {}

    record CreateBody(
            String title,
            String policy,
            List<String> personalities,
            List<String> users,
            Integer maxConsecutiveTurns,
            Integer tokenBudget,
            List<LoanBody> borrow,
            String user) {}

    record ParticipantBody(String personality, String user) {}

    record MessageBody(String message, List<String> to, List<LoanBody> borrow, String user) {}

    record ProtocolBody(
            String protocol, String question, Integer rounds, String judge, String moderator, String leader) {}

    private static final int KEEP_ALIVE_SECONDS = 15;

    private final RoomService rooms;
    private final Protocols protocols;

    public RoomRoutes(RoomService rooms) {
        this.rooms = rooms;
        this.protocols = new Protocols(rooms);
    }

    /** Returns the routes. */
    public List<Route> routes() {
        Access member = Access.userMember("id", "room", rooms::isMember);
        return List.of(
                Route.post("/v1/rooms", Access.USER_SELF, this::create),
                Route.get("/v1/rooms", Access.USER_SELF, this::list),
                Route.get(
                        "/v1/rooms/{id}",
                        member,
                        exchange -> exchange.respond(200, view(rooms.room(exchange.pathParam("id"))))),
                Route.post("/v1/rooms/{id}/participants", member, this::join),
                Route.delete("/v1/rooms/{id}/participants/{participant}", member, this::leave),
                Route.post("/v1/rooms/{id}/messages", member, this::post),
                Route.get("/v1/rooms/{id}/messages", member, this::messages),
                Route.get("/v1/rooms/{id}/events", member, this::events),
                Route.post("/v1/rooms/{id}/protocols", member, this::protocol));
    }

    private void create(Exchange exchange) {
        CreateBody body = exchange.json(CreateBody.class);
        String creator = acting(exchange.caller(), Optional.ofNullable(body.user()));
        RoomService.NewRoom spec = new RoomService.NewRoom(
                body.title(),
                TurnPolicy.of(Optional.ofNullable(body.policy()).orElse("relevance")),
                Optional.ofNullable(body.personalities()).orElse(List.of()),
                Optional.ofNullable(body.users()).orElse(List.of()),
                Optional.ofNullable(body.maxConsecutiveTurns()).orElse(RoomService.DEFAULT_MAX_CONSECUTIVE),
                Optional.ofNullable(body.tokenBudget()).orElse(RoomService.DEFAULT_TOKEN_BUDGET),
                loans(body.borrow()));
        Room room = rooms.create(creator, spec);
        exchange.header("Location", "/v1/rooms/" + room.id());
        exchange.respond(201, view(room));
    }

    private void list(Exchange exchange) {
        Caller caller = exchange.caller();
        String named = caller.actingUser("user", exchange.query("user"));
        List<Room> found = caller.admin()
                        && exchange.query("user").filter(u -> !u.isBlank()).isEmpty()
                ? rooms.all(200)
                : rooms.roomsOf(named.isEmpty() ? caller.principal() : named);
        exchange.respond(
                200, Map.of("rooms", found.stream().map(RoomRoutes::view).toList()));
    }

    private void join(Exchange exchange) {
        ParticipantBody body = exchange.json(ParticipantBody.class);
        Participant participant = participant(body.personality(), body.user());
        exchange.respond(
                200,
                view(rooms.join(
                        exchange.pathParam("id"), participant, exchange.caller().principal())));
    }

    private void leave(Exchange exchange) {
        exchange.requireNoBody();
        Participant participant = Participant.parse(exchange.pathParam("participant"));
        exchange.respond(
                200,
                view(rooms.leave(
                        exchange.pathParam("id"), participant, exchange.caller().principal())));
    }

    private void post(Exchange exchange) {
        MessageBody body = exchange.json(MessageBody.class);
        String user = acting(exchange.caller(), Optional.ofNullable(body.user()));
        RoomService.Posted posted = rooms.post(
                exchange.pathParam("id"),
                user,
                body.message(),
                Optional.ofNullable(body.to()).orElse(List.of()),
                loans(body.borrow()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", posted.message().body());
        out.put("replies", posted.replies().stream().map(RoomMessage::body).toList());
        out.put("stopped", posted.stopped());
        exchange.respond(200, out);
    }

    private void messages(Exchange exchange) {
        String id = exchange.pathParam("id");
        Caller caller = exchange.caller();
        Optional<Participant> viewer;
        Optional<String> as = exchange.query("as").filter(a -> !a.isBlank());
        if (caller.admin()) {
            viewer = as.map(Participant::parse);
        } else {
            if (as.isPresent() && !Participant.parse(as.get()).equals(Participant.user(caller.principal()))) {
                throw dev.nexus.host.AccessDeniedException.forbidden(
                        "only admins may read another participant's view of a room; "
                                + "leave 'as' out to read your own");
            }
            viewer = Optional.of(Participant.user(caller.principal()));
        }
        long after = exchange.query("after").map(a -> number(a, "after")).orElse(0L);
        int limit = (int)
                (long) exchange.query("limit").map(l -> number(l, "limit")).orElse(200L);
        List<RoomMessage> page = rooms.messages(id, viewer, after, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("room", id);
        body.put("viewer", viewer.map(Participant::toString).orElse("admin (everything)"));
        body.put("messages", page.stream().map(RoomMessage::body).toList());
        exchange.respond(200, body);
    }

    /**
     * Streams the room from now on: {@code message} (every message stored), {@code speaking} (a
     * personality starts its turn, and why) and {@code stopped} (why a run of personality turns ended).
     * A user's stream ends after the message saying they left.
     */
    private void events(Exchange exchange) throws Exception {
        String id = exchange.pathParam("id");
        Caller caller = exchange.caller();
        String self = Participant.user(caller.principal()).toString();
        BlockingQueue<RoomEvents.Event> queue = new LinkedBlockingQueue<>(10_000);
        try (EventStream stream = exchange.events();
                AutoCloseable watching = rooms.watch(id, queue::offer)) {
            if (!stream.comment("watching")) {
                return;
            }
            while (stream.isOpen()) {
                RoomEvents.Event event = queue.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                boolean open = event == null ? stream.comment("keep-alive") : stream.send(event.name(), event.data());
                if (!open) {
                    return;
                }
                if (event != null
                        && event.message() != null
                        && !caller.admin()
                        && self.equals(event.message().metadata().get("participant"))
                        && "left".equals(event.message().metadata().get("event"))) {
                    return; // they no longer witness this room
                }
            }
        }
    }

    private void protocol(Exchange exchange) {
        ProtocolBody body = exchange.json(ProtocolBody.class);
        String protocol = body.protocol() == null ? "" : body.protocol();
        Protocols.Request request = new Protocols.Request(
                protocol,
                body.question(),
                Optional.ofNullable(body.rounds()).orElse(protocol.equals("debate") ? 3 : 1),
                Optional.ofNullable(body.judge())
                        .or(() -> Optional.ofNullable(body.moderator()))
                        .filter(j -> !j.isBlank()),
                Optional.ofNullable(body.leader()).filter(l -> !l.isBlank()));
        Protocols.Run run = protocols.run(exchange.pathParam("id"), request);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("protocol", run.protocol());
        out.put("complete", run.complete());
        out.put("transcript", run.transcript().stream().map(RoomMessage::body).toList());
        out.put("synthesis", run.synthesis().body());
        exchange.respond(200, out);
    }

    private static String acting(Caller caller, Optional<String> named) {
        String user = caller.actingUser("user", named);
        return user.isEmpty() ? caller.principal() : user;
    }

    private static Participant participant(String personality, String user) {
        boolean p = personality != null && !personality.isBlank();
        boolean u = user != null && !user.isBlank();
        if (p == u) {
            throw new InvalidInputException("name exactly one of 'personality' or 'user' to add");
        }
        return p ? Participant.personality(personality) : Participant.user(user);
    }

    private static List<TraitLoan> loans(List<LoanBody> body) {
        if (body == null) {
            return List.of();
        }
        return body.stream()
                .map(l -> {
                    if (l == null) {
                        throw new InvalidInputException("borrow must be a list of {personality, trait, from} objects");
                    }
                    return new TraitLoan(l.personality(), l.trait(), l.from());
                })
                .toList();
    }

    private static long number(String text, String name) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(
                    name + " must be a whole number, got '" + InvalidInputException.cap(text) + "'");
        }
    }

    static Map<String, Object> view(Room room) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", room.id());
        body.put("title", room.title());
        body.put("createdBy", room.createdBy());
        body.put("policy", room.policy().word());
        body.put("maxConsecutiveTurns", room.maxConsecutive());
        body.put("tokenBudget", room.tokenBudget());
        body.put("tokensUsed", room.tokensUsed());
        body.put(
                "borrow",
                room.borrowed().stream()
                        .map(l -> Map.of("personality", l.personality(), "trait", l.trait(), "from", l.from()))
                        .toList());
        body.put("personalities", room.personalities());
        body.put("users", room.users());
        body.put("createdAt", room.createdAt());
        return body;
    }
}
