package dev.nexus.plugin.discord;

import dev.nexus.api.JsonReader;
import dev.nexus.api.JsonWriter;
import dev.nexus.api.PluginStore;
import dev.nexus.api.platform.LinkHealth;
import dev.nexus.api.platform.LinkLoop;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The Discord Gateway over the JDK WebSocket: Hello, Identify (token, intents) or Resume (session id and
 * last sequence), heartbeats every {@code heartbeat_interval} with a zombie check (no ACK before the next
 * beat closes the socket and resumes), op 1 (beat now), op 7 (reconnect and resume), op 9 (invalid
 * session: resume when {@code d} is true, else identify anew). Close codes 4004 and 4010–4014 (bad token,
 * intents) mark the link failing; others reconnect with backoff and resume.
 *
 * <p>Messages and reactions are handed, in order, to a handler on a worker thread; after the handler took
 * one, the session and its sequence are kept in the plugin store ({@value #SESSION}), so a restarted host
 * resumes the same session and Discord replays what it missed (while the session is still resumable,
 * about a minute or two; after that Discord sends op 9 and events of the gap are gone). Replayed events the
 * host already stored are recognised by their message id. Threads are never interrupted (an interrupt
 * during a store write would close an embedded H2 database). Thread-safe.
 */
final class Gateway {

    /** Store key: {@code <session id> <seq> <resume url> <bot id> <bot name>}. */
    static final String SESSION = "session";

    /** A dispatch for the handler: its type, data and sequence, and the session it came in. */
    record Dispatch(String type, Map<?, ?> data, long seq, Session session) {}

    /** A resumable session and who the bot is in it. */
    record Session(String id, String resumeUrl, Events.Bot bot) {}

    private final DiscordSettings settings;
    private final Rest rest;
    private final PluginStore store;
    private final LinkHealth health;
    private final Predicate<Dispatch> handler;
    private final System.Logger log;
    private final RandomGenerator random;
    private final BlockingQueue<Dispatch> queue = new LinkedBlockingQueue<>();
    private final LinkLoop loop = new LinkLoop();
    private volatile Session session;
    private volatile long seq = -1;
    private volatile Socket socket;

    Gateway(
            DiscordSettings settings,
            Rest rest,
            PluginStore store,
            LinkHealth health,
            Predicate<Dispatch> handler,
            System.Logger log,
            RandomGenerator random) {
        this.settings = settings;
        this.rest = rest;
        this.store = store;
        this.health = health;
        this.handler = handler;
        this.log = log;
        this.random = random;
    }

    /** Who the bot is, once a session is ready (or resumed from the store). */
    Optional<Events.Bot> bot() {
        Session current = session;
        return current == null ? Optional.empty() : Optional.of(current.bot());
    }

    void start() {
        try {
            store.get(SESSION).ifPresent(this::restore);
        } catch (PluginStore.Unavailable e) {
            log.log(Level.WARNING, "discord cannot read its stored session; it identifies anew: " + e.getMessage());
        }
        loop.start("discord-gateway", this::connectLoop);
        loop.start("discord-events", this::workLoop);
    }

    private void restore(String stored) {
        String[] parts = stored.split(" ");
        if (parts.length == 5) {
            session = new Session(parts[0], parts[2], new Events.Bot(parts[3], parts[4]));
            seq = Long.parseLong(parts[1]);
        }
    }

    void stop() {
        loop.stop();
        Socket current = socket;
        if (current != null) {
            current.end(4000, "host stopping"); // not 1000: the session stays resumable for the next start
        }
        loop.join(Duration.ofSeconds(10));
    }

    private void connectLoop() {
        boolean quick = false;
        while (!loop.stopped()) {
            Duration wait = connectOnce();
            if (wait.isZero() && quick) {
                wait = Duration.ofSeconds(1); // two quick reconnects in a row: slow down a little
            }
            quick = wait.isZero();
            loop.pause(wait);
        }
    }

    /** Connects, runs the socket until it closes, and returns how long to wait before the next connection. */
    private Duration connectOnce() {
        Session resuming = session;
        String base;
        if (resuming != null) {
            base = resuming.resumeUrl();
        } else {
            Optional<String> url = settings.gatewayUrl().map(URI::toString).or(this::askGatewayUrl);
            if (url.isEmpty()) {
                return health.current().state() == dev.nexus.api.platform.ConnectorHealth.State.FAILING
                        ? settings.backoffMax()
                        : health.reconnecting("GET /gateway/bot failed");
            }
            base = url.get();
        }
        URI uri = URI.create(base.replaceAll("/+$", "") + "/?v=10&encoding=json");
        Socket opened = new Socket(resuming);
        try {
            rest.client()
                    .newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(uri, opened)
                    .get(20, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return health.reconnecting("cannot open the gateway at " + uri.getHost() + ": " + cause(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Duration.ZERO;
        }
        socket = opened;
        if (loop.stopped()) {
            opened.end(4000, "host stopping");
        }
        int code;
        try {
            code = opened.closed.get();
        } catch (InterruptedException | ExecutionException e) {
            return Duration.ZERO;
        }
        socket = null;
        if (loop.stopped()) {
            return Duration.ZERO;
        }
        return afterClose(code, opened);
    }

    private Optional<String> askGatewayUrl() {
        Rest.Answer answer = rest.call("GET", "/gateway/bot", Optional.empty(), true);
        if (answer instanceof Rest.Answer.Ok ok && ok.body().get("url") instanceof String url) {
            return Optional.of(url);
        }
        if (answer instanceof Rest.Answer.Error error && error.status() == 401) {
            health.failing(
                    "GET /gateway/bot was refused (401 " + error.message() + "): check NEXUS_SECRET_DISCORD_BOT_TOKEN");
        } else if (answer instanceof Rest.Answer.Unreachable unreachable) {
            health.reconnecting(unreachable.reason());
        }
        return Optional.empty();
    }

    private Duration afterClose(int code, Socket closed) {
        switch (code) {
            case 4004 -> {
                forget();
                return health.failing(
                        "the gateway refused the token (close 4004): check NEXUS_SECRET_DISCORD_BOT_TOKEN");
            }
            case 4010, 4011, 4012, 4013, 4014 -> {
                forget();
                return health.failing("the gateway closed with " + code
                        + (code == 4014
                                ? ": a privileged intent is not enabled; enable MESSAGE CONTENT INTENT in the Developer Portal"
                                        + " or leave it out of plugins.config.discord.intents"
                                : ": check plugins.config.discord.intents"));
            }
            case 4007, 4009 -> forget();
            default -> {
                // resumable: keep the session
            }
        }
        if (closed.invalidated) {
            return Duration.ofMillis(1000 + random.nextInt(4000)); // Discord asks for 1-5 s before identifying again
        }
        if (closed.reconnectAsked) {
            return Duration.ZERO;
        }
        return health.reconnecting("the gateway connection closed (" + code + "); resuming");
    }

    private void forget() {
        session = null;
        seq = -1;
    }

    private void workLoop() {
        while (!loop.stopped()) {
            Dispatch next;
            try {
                next = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next == null) {
                continue;
            }
            boolean taken = false;
            boolean refused = false;
            while (!loop.stopped() && !(taken = handler.test(next))) {
                refused = true;
                loop.pause(health.reconnecting(
                        "the host cannot take a Discord " + next.type() + " right now; trying again"));
            }
            if (taken) {
                remember(next.session(), next.seq());
                if (refused && socket != null) {
                    health.connected();
                }
            }
        }
    }

    private void remember(Session of, long sequence) {
        try {
            store.put(
                    SESSION,
                    of.id() + " " + sequence + " " + of.resumeUrl() + " "
                            + of.bot().id() + " " + of.bot().username().replace(' ', '_'));
        } catch (PluginStore.Unavailable e) {
            log.log(
                    Level.WARNING,
                    "discord cannot keep its session sequence; a restart may replay events: " + e.getMessage());
        }
    }

    private static String cause(Exception e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + DiscordSettings.cap(cause.getMessage()));
    }

    /** One WebSocket connection: its listener, heartbeat and sending. */
    private final class Socket implements WebSocket.Listener {

        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final Session resuming;
        private final StringBuilder partial = new StringBuilder();
        private final Object sending = new Object();
        private volatile WebSocket ws;
        private volatile boolean acked = true;
        volatile boolean reconnectAsked;
        volatile boolean invalidated;

        Socket(Session resuming) {
            this.resuming = resuming;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    receive(text);
                } catch (RuntimeException e) {
                    log.log(Level.WARNING, "discord gateway event could not be read", e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }

        private void receive(String text) {
            if (!(JsonReader.read(text) instanceof Map<?, ?> payload) || !(payload.get("op") instanceof Number op)) {
                return;
            }
            switch (op.intValue()) {
                case 10 -> hello(Events.map(payload.get("d")));
                case 11 -> acked = true;
                case 1 -> beat();
                case 7 -> {
                    reconnectAsked = true;
                    end(4000, "reconnect requested");
                }
                case 9 -> {
                    if (!Boolean.TRUE.equals(payload.get("d"))) {
                        forget();
                        invalidated = true;
                    }
                    end(4000, "invalid session");
                }
                case 0 -> dispatch(payload);
                default -> {
                    // other opcodes are not sent to bots
                }
            }
        }

        private void hello(Map<?, ?> hello) {
            long interval = hello.get("heartbeat_interval") instanceof Number n ? n.longValue() : 41_250;
            Thread.ofVirtual().name("discord-heartbeat").start(() -> heartbeat(interval));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("token", settings.token().orElseThrow());
            if (resuming != null && seq >= 0) {
                d.put("session_id", resuming.id());
                d.put("seq", seq);
                send(Map.of("op", 6, "d", d));
            } else {
                d.put("intents", settings.intents());
                d.put(
                        "properties",
                        Map.of("os", System.getProperty("os.name", "linux"), "browser", "nexus", "device", "nexus"));
                send(Map.of("op", 2, "d", d));
            }
        }

        private void heartbeat(long interval) {
            long wait = (long) (interval * random.nextDouble());
            while (true) {
                try {
                    closed.get(Math.max(1, wait), TimeUnit.MILLISECONDS);
                    return; // the socket closed
                } catch (TimeoutException e) {
                    // time to beat
                } catch (InterruptedException | ExecutionException e) {
                    return;
                }
                if (!acked) {
                    log.log(Level.INFO, "discord gateway sent no heartbeat ACK; reconnecting");
                    end(4000, "no heartbeat ack");
                    return;
                }
                acked = false;
                beat();
                wait = interval;
            }
        }

        private void beat() {
            Map<String, Object> beat = new LinkedHashMap<>();
            beat.put("op", 1);
            beat.put("d", seq >= 0 ? seq : null);
            send(beat);
        }

        private void dispatch(Map<?, ?> payload) {
            if (payload.get("s") instanceof Number s) {
                seq = s.longValue();
            }
            String type = payload.get("t") instanceof String t ? t : "";
            Map<?, ?> d = Events.map(payload.get("d"));
            switch (type) {
                case "READY" -> {
                    Map<?, ?> user = Events.map(d.get("user"));
                    String resumeUrl = d.get("resume_gateway_url") instanceof String url
                            ? url
                            : settings.gatewayUrl().map(URI::toString).orElse("wss://gateway.discord.gg");
                    Session ready = new Session(
                            Events.text(d.get("session_id")),
                            resumeUrl,
                            new Events.Bot(Events.text(user.get("id")), Events.text(user.get("username"))));
                    session = ready;
                    remember(ready, seq);
                    health.connected();
                    log.log(Level.INFO, "discord bot " + ready.bot().username() + " connected");
                }
                case "RESUMED" -> health.connected();
                case "MESSAGE_CREATE", "MESSAGE_REACTION_ADD" -> {
                    Session current = session;
                    if (current != null) {
                        queue.add(new Dispatch(type, d, seq, current));
                    }
                }
                default -> {
                    // other events are not used
                }
            }
        }

        private void send(Map<String, ?> payload) {
            WebSocket current = ws;
            if (current == null) {
                return;
            }
            synchronized (sending) {
                try {
                    current.sendText(JsonWriter.write(payload), true).get(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    end(4000, "send failed");
                }
            }
        }

        void end(int code, String reason) {
            WebSocket current = ws;
            if (current != null) {
                current.sendClose(code, reason)
                        .orTimeout(2, TimeUnit.SECONDS)
                        .whenComplete((ignored, error) -> current.abort());
            }
            closed.complete(code);
        }
    }
}
