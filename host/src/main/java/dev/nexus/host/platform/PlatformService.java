package dev.nexus.host.platform;

import dev.nexus.api.platform.InboundSink;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.platform.RateLimit;
import dev.nexus.host.DependencyException;
import dev.nexus.host.conversation.ConversationService;
import dev.nexus.host.conversation.StoredMessage;
import dev.nexus.host.db.Database;
import dev.nexus.host.http.Route;
import dev.nexus.host.plugins.PluginRuntime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door of platforms: runs every {@link PlatformConnector} plugins contribute (the plugin
 * runtime has started each with its plugin's context), receives their inbound messages and reactions ({@link #inbound()}), forwards
 * {@code /hooks/<platform>/…} requests to them ({@link #routes()}), and delivers replies through a
 * persisted outbox, one courier per platform within its rate limit.
 *
 * <p>Guarantees: an inbound message the sink accepted is stored before the sink returns and is
 * answered even across a restart; each inbound message gets one reply and one delivery row; a
 * delivery is never sent by two workers at once and never again once delivered. A host that dies
 * between a connector's successful send and recording it sends once more after the claim expires:
 * {@link dev.nexus.api.platform.OutboundMessage#messageId()} is the idempotency key for that case.
 * Thread-safe.
 */
public final class PlatformService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformService.class);
    private static final Pattern PLATFORM_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final int RECOVERY_BATCH = 1000;

    private final Connectors connectors;
    private final ConversationService conversations;
    private final OutboxRepository outbox;
    private final Map<String, Connectors.Connector> running = new ConcurrentHashMap<>();
    private final Map<String, Courier> couriers = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("nexus-platform-timer").daemon(true).factory());
    private final PlatformSettings settings;
    private final Clock clock;
    private final Inbox inbox;
    private final PresenceSettings presence;

    /**
     * Creates the service over the plugin runtime's connectors; nothing runs before {@link #start()}.
     *
     * @param feedback records the reactions connectors forward (see {@link InboundSink#react})
     */
    public PlatformService(
            PluginRuntime plugins,
            ConversationService conversations,
            ReactionFeedback feedback,
            Database database,
            PlatformSettings settings,
            Clock clock) {
        this(plugins, conversations, feedback, IdentityResolver.UNLINKED, database, settings, clock);
    }

    /**
     * Creates the service as above, with {@code identities} saying whom each platform message acts as
     * (the admin's identity links).
     */
    public PlatformService(
            PluginRuntime plugins,
            ConversationService conversations,
            ReactionFeedback feedback,
            IdentityResolver identities,
            Database database,
            PlatformSettings settings,
            Clock clock) {
        this(
                new PluginConnectors(plugins),
                conversations,
                feedback,
                identities,
                database,
                settings,
                PresenceSettings.none(),
                clock);
    }

    /**
     * Creates the service as above, with each personality's natural timing ({@code presence}): replies
     * wait for typing, jitter, active and quiet hours and rate limits before they go out.
     */
    public PlatformService(
            PluginRuntime plugins,
            ConversationService conversations,
            ReactionFeedback feedback,
            IdentityResolver identities,
            Database database,
            PlatformSettings settings,
            PresenceSettings presence,
            Clock clock) {
        this(new PluginConnectors(plugins), conversations, feedback, identities, database, settings, presence, clock);
    }

    PlatformService(
            Connectors connectors,
            ConversationService conversations,
            ReactionFeedback feedback,
            Database database,
            PlatformSettings settings,
            Clock clock) {
        this(connectors, conversations, feedback, IdentityResolver.UNLINKED, database, settings, clock);
    }

    PlatformService(
            Connectors connectors,
            ConversationService conversations,
            ReactionFeedback feedback,
            IdentityResolver identities,
            Database database,
            PlatformSettings settings,
            Clock clock) {
        this(connectors, conversations, feedback, identities, database, settings, PresenceSettings.none(), clock);
    }

    PlatformService(
            Connectors connectors,
            ConversationService conversations,
            ReactionFeedback feedback,
            IdentityResolver identities,
            Database database,
            PlatformSettings settings,
            PresenceSettings presence,
            Clock clock) {
        this.presence = presence;
        this.connectors = connectors;
        this.conversations = conversations;
        this.outbox = new OutboxRepository(database);
        this.settings = settings;
        this.clock = clock;
        this.inbox = new Inbox(
                conversations,
                feedback,
                outbox,
                running::containsKey,
                this::wake,
                settings,
                clock,
                workers,
                timer,
                identities,
                presence);
    }

    /** Returns the host's inbound port, to hand to the plugin runtime before {@link #start()}. */
    public InboundSink inbound() {
        return inbox;
    }

    /**
     * Takes every contributed connector into service (a connector that throws, names an invalid or
     * taken platform is isolated with its plugin), starts the couriers, then answers and delivers whatever a previous
     * run left unfinished.
     */
    public void start() {
        for (Connectors.Connector connector : connectors.all()) {
            startOne(connector);
        }
        recover();
        LOG.info("platforms running: {}", running.keySet().stream().sorted().toList());
    }

    private void startOne(Connectors.Connector connector) {
        try {
            String platform = connectors.call(connector, "platform", PlatformConnector::platform);
            if (platform == null || !PLATFORM_NAME.matcher(platform).matches() || platform.equals("api")) {
                connectors.fail(
                        connector,
                        "start",
                        new IllegalArgumentException("platform name must match " + PLATFORM_NAME.pattern()
                                + " and not be 'api', got '" + platform + "'"));
                return;
            }
            if (running.containsKey(platform)) {
                connectors.fail(
                        connector,
                        "start",
                        new IllegalStateException("platform '" + platform + "' is already provided by plugin '"
                                + running.get(platform).pluginId() + "'; disable one of them"));
                return;
            }
            RateLimit limit = connectors.call(connector, "rateLimit", PlatformConnector::rateLimit);
            if (limit == null) {
                connectors.fail(connector, "rateLimit", new IllegalStateException("rateLimit() returned null"));
                return;
            }
            running.put(platform, connector);
            Courier courier = new Courier(platform, connector, connectors, outbox, settings, clock, limit);
            couriers.put(platform, courier);
            courier.start();
        } catch (DependencyException e) {
            LOG.warn("platform connector of plugin '{}' did not start: {}", connector.pluginId(), e.getMessage());
        }
    }

    private void recover() {
        try {
            for (StoredMessage pending : conversations.pendingInbound(RECOVERY_BATCH)) {
                if (running.containsKey(pending.platform())) {
                    inbox.open(pending);
                }
            }
            for (OutboxRepository.Entry entry : outbox.answering(RECOVERY_BATCH)) {
                if (running.containsKey(entry.platform())) {
                    workers.execute(() -> inbox.answer(entry.inboundId(), entry.platform()));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("recovering unanswered platform messages failed; they will be retried at the next start", e);
        }
    }

    /** Returns how many outbox rows wait in each state short of delivered (for metrics); queries the database. */
    public java.util.Map<String, Long> outboxDepth() {
        return outbox.depth();
    }

    /** Returns the connector running for {@code platform}, if any. */
    Optional<Connectors.Connector> connector(String platform) {
        return Optional.ofNullable(running.get(platform));
    }

    /** Forgets the pending and past deliveries of {@code conversations} (a person's erasure); returns how many. */
    public int forgetConversations(java.util.Collection<String> conversations) {
        return outbox.deleteConversations(conversations);
    }

    /** Returns true when a connector for {@code platform} runs on this host. */
    public boolean running(String platform) {
        return running.containsKey(platform);
    }

    /** Returns true when {@code personality} is away or {@code platform} is in its quiet hours at {@code at}. */
    public boolean resting(String personality, String platform, java.time.Instant at) {
        return presence.timing(personality).resting(platform, at);
    }

    /** Returns {@code personality}'s time zone (the {@code presence} section's; UTC when none is set). */
    public java.time.ZoneId zone(String personality) {
        return presence.timing(personality).zone();
    }

    /** Returns where the latest message of {@code conversation} on {@code platform} came from, to write there first. */
    public Optional<Map<String, String>> lastAddress(String platform, String conversation) {
        return outbox.lastAddress(platform, conversation);
    }

    /**
     * Queues a message {@code personality} writes first (a scheduled post, a proactive message) for
     * delivery through {@code platform}'s connector, at its natural time (no typing delay; quiet hours,
     * active hours and rate limits apply); returns when it is due.
     *
     * @param id the message id the connector sees (its idempotency key), unique
     * @param address where to send it (the connector's address keys); empty for a post to the account's own feed
     */
    public java.time.Instant queue(
            String platform,
            String personality,
            String id,
            String conversation,
            String text,
            Map<String, String> address) {
        Timing.Due due = inbox.due(platform, personality, id, text, false);
        outbox.queue(
                id,
                platform,
                conversation,
                personality,
                address,
                text,
                due.at(),
                String.join("; ", due.reasons()),
                clock.instant());
        wake(platform);
        return due.at();
    }

    /** Returns the names of the running platforms, sorted. */
    public List<String> platforms() {
        return running.keySet().stream().sorted().toList();
    }

    /** Returns the {@code /hooks/{platform}/…} routes (no bearer auth: connectors authenticate their callers). */
    public List<Route> routes() {
        return new HookRoutes(this, connectors).routes();
    }

    /** Asks every courier to look for due deliveries now (after a test clock moved, or a hold ended). */
    void wakeAll() {
        couriers.values().forEach(Courier::wake);
    }

    private void wake(String platform) {
        Courier courier = couriers.get(platform);
        if (courier != null) {
            courier.wake();
        }
    }

    /** Stops the couriers; the connectors themselves are stopped by the plugin runtime. */
    @Override
    public void close() {
        couriers.values().forEach(Courier::stop);
        for (Courier courier : couriers.values()) {
            try {
                courier.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timer.shutdownNow();
        workers.shutdownNow();
        // The plugin runtime stops the connectors (every extension shares one lifecycle).
        running.clear();
        couriers.clear();
    }
}
