package dev.nexus.host;

import dev.nexus.api.tool.ToolSpec;
import dev.nexus.host.apidocs.ApiDocsRoutes;
import dev.nexus.host.approval.ApprovalConfig;
import dev.nexus.host.approval.ApprovalRoutes;
import dev.nexus.host.approval.PersonalityWriter;
import dev.nexus.host.approval.ProposalService;
import dev.nexus.host.approval.ToolCallProposals;
import dev.nexus.host.audit.AuditLog;
import dev.nexus.host.audit.AuditRoutes;
import dev.nexus.host.auth.ApiKeys;
import dev.nexus.host.auth.KeyRoutes;
import dev.nexus.host.cluster.Cluster;
import dev.nexus.host.cluster.ClusterConfig;
import dev.nexus.host.cluster.Clusters;
import dev.nexus.host.config.Settings;
import dev.nexus.host.console.ConsoleRoutes;
import dev.nexus.host.conversation.AutoRouting;
import dev.nexus.host.conversation.ChatRoutes;
import dev.nexus.host.conversation.ChatSettings;
import dev.nexus.host.conversation.ConversationService;
import dev.nexus.host.conversation.ToolBox;
import dev.nexus.host.conversation.TurnFilters;
import dev.nexus.host.conversation.TurnRecall;
import dev.nexus.host.db.Database;
import dev.nexus.host.db.DatabaseConfig;
import dev.nexus.host.evolution.EvolutionConfig;
import dev.nexus.host.evolution.EvolutionRoutes;
import dev.nexus.host.evolution.EvolutionService;
import dev.nexus.host.evolution.Reply;
import dev.nexus.host.evolution.ReplyLookup;
import dev.nexus.host.experiment.ExperimentRoutes;
import dev.nexus.host.experiment.ExperimentService;
import dev.nexus.host.goals.GoalRoutes;
import dev.nexus.host.goals.GoalService;
import dev.nexus.host.http.HttpServer;
import dev.nexus.host.http.LimitsConfig;
import dev.nexus.host.http.Route;
import dev.nexus.host.http.ServerConfig;
import dev.nexus.host.interchange.AvatarStore;
import dev.nexus.host.interchange.Interchange;
import dev.nexus.host.interchange.InterchangeLimits;
import dev.nexus.host.interchange.InterchangeRoutes;
import dev.nexus.host.knowledge.KnowledgeRoutes;
import dev.nexus.host.knowledge.KnowledgeService;
import dev.nexus.host.knowledge.KnowledgeSettings;
import dev.nexus.host.links.IdentityLinks;
import dev.nexus.host.links.LinkRoutes;
import dev.nexus.host.llm.CachedEmbedder;
import dev.nexus.host.llm.Embedder;
import dev.nexus.host.llm.Embedders;
import dev.nexus.host.llm.EmbeddingSettings;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.LlmSettings;
import dev.nexus.host.mcp.McpConfig;
import dev.nexus.host.mcp.McpRoutes;
import dev.nexus.host.mcp.McpServers;
import dev.nexus.host.mcp.NexusTools;
import dev.nexus.host.memory.FactExtractor;
import dev.nexus.host.memory.MemoryRoutes;
import dev.nexus.host.memory.MemoryService;
import dev.nexus.host.memory.MemorySettings;
import dev.nexus.host.memory.ModelFactExtractor;
import dev.nexus.host.memory.ModelSummariser;
import dev.nexus.host.metrics.Metrics;
import dev.nexus.host.metrics.MetricsRoutes;
import dev.nexus.host.openai.OpenAiRoutes;
import dev.nexus.host.persona.PersonalitiesConfig;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityRoutes;
import dev.nexus.host.persona.PersonalityService;
import dev.nexus.host.persona.PersonalityVersion;
import dev.nexus.host.platform.PlatformService;
import dev.nexus.host.platform.PlatformSettings;
import dev.nexus.host.platform.PresenceSettings;
import dev.nexus.host.platform.ReactionFeedback;
import dev.nexus.host.plugins.PluginRoutes;
import dev.nexus.host.plugins.PluginRuntime;
import dev.nexus.host.plugins.PluginsConfig;
import dev.nexus.host.plugins.TurnFilterChain;
import dev.nexus.host.rooms.RoomRoutes;
import dev.nexus.host.rooms.RoomService;
import dev.nexus.host.routing.PersonalityRouter;
import dev.nexus.host.routing.RoutingRoutes;
import dev.nexus.host.sandbox.EnablementProposals;
import dev.nexus.host.sandbox.FitnessSandbox;
import dev.nexus.host.sandbox.SandboxConfig;
import dev.nexus.host.sandbox.SandboxRoutes;
import dev.nexus.host.schedules.Outlet;
import dev.nexus.host.schedules.ScheduleRoutes;
import dev.nexus.host.schedules.Schedules;
import dev.nexus.host.schedules.SchedulesConfig;
import dev.nexus.host.tasks.TaskRoutes;
import dev.nexus.host.tasks.TaskService;
import dev.nexus.host.tasks.TasksConfig;
import dev.nexus.host.tools.ToolExecutor;
import dev.nexus.host.tools.ToolOutcome;
import dev.nexus.host.tools.ToolRoutes;
import dev.nexus.host.tools.ToolsConfig;
import dev.nexus.host.userdata.Holding;
import dev.nexus.host.userdata.UserData;
import dev.nexus.host.userdata.UserDataRoutes;
import dev.nexus.host.vault.SecretRoutes;
import dev.nexus.host.vault.Vault;
import dev.nexus.host.vault.VaultConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the configuration sections, then builds and starts every component by
 * constructor, in start-up order. Reading it top to bottom tells how the server is put together.
 * {@link #close()} stops everything in reverse order.
 */
public final class Host implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    /** Every configuration section the host understands; unknown sections are reported. */
    static final List<String> SECTIONS = List.of(
            "server",
            "database",
            "plugins",
            "tools",
            "approval",
            "evolution",
            "personalities",
            "interchange",
            "embedding",
            "memory",
            "knowledge",
            "sandbox",
            "llm",
            "chat",
            "platforms",
            "mcp",
            "limits",
            "tasks",
            "cluster",
            "vault",
            "presence",
            "schedules");

    /** The server's version, as the API reference states it. */
    static final String VERSION = "0.1.0";

    private final List<AutoCloseable> started = new ArrayList<>();
    private HttpServer http;
    private final List<Route> routes;
    private final Optional<String> generatedAdminKey;
    private final Path dataDir;
    private final BooleanSupplier stopRequested;
    private Duration shutdownLimit = Duration.ofSeconds(20);
    private IntSupplier turnsInFlight = () -> 0;
    private volatile boolean stopping;
    private boolean closed;
    private Cluster cluster;

    /**
     * Thrown by {@link #start(Settings, Clock, BooleanSupplier)} when a stop was requested (SIGTERM)
     * while the host was starting; what had started is stopped again.
     */
    public static final class StartInterrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartInterrupted(String step) {
            super("stop requested during start-up (before " + step + "); everything started so far was stopped");
        }
    }

    private Host(Settings settings, Clock clock, BooleanSupplier stopRequested) {
        this.stopRequested = stopRequested;
        // 1. Configuration: bind every section first so all problems are reported together.
        ServerConfig server = settings.section("server", ServerConfig.class);
        DatabaseConfig databaseConfig = settings.section("database", DatabaseConfig.class);
        PluginsConfig pluginsConfig = settings.section("plugins", PluginsConfig.class);
        ToolsConfig toolsConfig = settings.section("tools", ToolsConfig.class);
        ApprovalConfig approvalConfig = settings.section("approval", ApprovalConfig.class);
        EvolutionConfig evolutionConfig = settings.section("evolution", EvolutionConfig.class);
        PersonalitiesConfig personalitiesConfig = settings.section("personalities", PersonalitiesConfig.class);
        InterchangeLimits interchangeLimits = settings.section("interchange", InterchangeLimits.class);
        EmbeddingSettings embeddingSettings = settings.section("embedding", EmbeddingSettings.class);
        MemorySettings memorySettings = settings.section("memory", MemorySettings.class);
        KnowledgeSettings knowledgeSettings = settings.section("knowledge", KnowledgeSettings.class);
        SandboxConfig sandboxConfig = settings.section("sandbox", SandboxConfig.class);
        LlmSettings llmSettings = settings.section("llm", LlmSettings.class);
        ChatSettings chatSettings = settings.section("chat", ChatSettings.class);
        PlatformSettings platformSettings = settings.section("platforms", PlatformSettings.class);
        McpConfig mcpConfig = settings.section("mcp", McpConfig.class);
        TasksConfig tasksConfig = settings.section("tasks", TasksConfig.class);
        LimitsConfig limitsConfig = settings.section("limits", LimitsConfig.class);
        ClusterConfig clusterConfig = settings.section("cluster", ClusterConfig.class);
        VaultConfig vaultConfig = settings.section("vault", VaultConfig.class);
        PresenceSettings presence = settings.section("presence", PresenceSettings.class);
        SchedulesConfig schedulesConfig = settings.section("schedules", SchedulesConfig.class);
        this.dataDir = Path.of(server.dataDir()).toAbsolutePath();
        Path pluginDir =
                pluginsConfig.directory().isEmpty() ? dataDir.resolve("plugins") : Path.of(pluginsConfig.directory());
        directory(settings, "server.data-dir", dataDir);
        directory(settings, "plugins.directory", pluginDir);
        Path personalityDir = personalitiesConfig.directory().isEmpty()
                ? dataDir.resolve("personalities")
                : Path.of(personalitiesConfig.directory()).toAbsolutePath();
        directory(settings, "personalities.directory", personalityDir);
        Path knowledgeDir = knowledgeSettings.directory().isEmpty()
                ? dataDir.resolve("knowledge")
                : Path.of(knowledgeSettings.directory());
        directory(settings, "knowledge.directory", knowledgeDir);
        Path sandboxDir = sandboxConfig.directory(dataDir);
        directory(settings, "sandbox.directory", sandboxDir);
        settings.verify(SECTIONS);
        this.shutdownLimit = Duration.ofSeconds(server.shutdownSeconds());

        try {
            // 2. Storage and keys.
            // Metrics first: every feature records into them (served at GET /metrics).
            Metrics metrics = Metrics.prometheus();
            Database database = remember(Database.open(databaseConfig, dataDir));
            // Other hosts on the same PostgreSQL: notices about changed rows, shared jobs, members (a no-op on H2).
            // It listens before any cache loads, so no change falls between the load and the first notice.
            Cluster cluster = remember(Clusters.open(database, dataDir, clock, clusterConfig));
            this.cluster = cluster;
            cluster.start();
            // The personalities are read (stored ones decoded, the directory's bundles parsed) on a thread of
            // their own from here, overlapping keys, vault and plugins; step 4 waits for it. After the cluster
            // listens, so no change another host makes falls between the read and the first notice.
            PluginRuntime[] pluginsOnceStarted = new PluginRuntime[1];
            Interchange interchange = new Interchange(interchangeLimits);
            AvatarStore avatars = new AvatarStore(database, clock);
            PersonalityService personalities = new PersonalityService(
                    database,
                    personalityDir,
                    Duration.ofMillis(personalitiesConfig.pollMillis()),
                    clock,
                    interchange.dropInImporter(avatars),
                    () -> PersonalityService.fromPlugins(pluginsOnceStarted[0]).get());
            personalities.prefetch();
            metrics.gauge(
                    "nexus.db.pool.connections",
                    "Pooled database connections in use",
                    database,
                    db -> db.poolUsage().active(),
                    "state",
                    "active");
            metrics.gauge(
                    "nexus.db.pool.connections",
                    "Pooled database connections idle",
                    database,
                    db -> db.poolUsage().idle(),
                    "state",
                    "idle");
            metrics.gauge(
                    "nexus.db.pool.waiting",
                    "Requests waiting for a database connection",
                    database,
                    db -> db.poolUsage().waiting());
            metrics.gauge(
                    "nexus.db.pool.max",
                    "The database pool's size limit",
                    database,
                    db -> db.poolUsage().max());
            ApiKeys keys = new ApiKeys(database, clock);
            keys.onChange(() -> cluster.publish("keys", "changed"));
            cluster.subscribe("keys", ignored -> keys.changedElsewhere());
            cluster.onResync(keys::changedElsewhere);
            this.generatedAdminKey = keys.bootstrap(settings.secret("NEXUS_ADMIN_KEY"));

            // The credential vault: its master key must open the stored secrets before anything starts
            // (a wrong key stops here, nothing decrypted); an environment variable still overrides a secret.
            Vault vault = Vault.open(
                    vaultConfig,
                    dataDir,
                    settings.secret("NEXUS_VAULT_KEY"),
                    settings.secret("NEXUS_VAULT_PREVIOUS_KEY"),
                    database,
                    clock,
                    (plugin, name) -> pluginSecrets(settings, plugin).containsKey(Settings.envName(name)));

            checkpoint("plugins");
            // 3. Plugins (their context's inbound port is set once conversations exist). A plugin reads its
            //    own secrets: the environment's first, then the vault's.
            PluginRuntime plugins = remember(
                    new PluginRuntime(pluginsConfig, pluginDir, id -> pluginSecrets(settings, id), clock, database));
            plugins.storedSecrets(vault::stored);
            plugins.onSwitch(id -> cluster.publish("plugin", id));
            cluster.subscribe("plugin", plugins::switchedElsewhere);
            cluster.onResync(() -> plugins.plugins().forEach(info -> plugins.switchedElsewhere(info.id())));
            plugins.start();
            // Third-party fitness jars: admitted (scanned, never loaded here) at start, listed with the plugins.
            FitnessSandbox sandbox = remember(new FitnessSandbox(sandboxConfig, sandboxDir, database, clock));
            // Admission runs off the start path: no jar in the directory, however hostile, delays start-up.
            sandbox.refreshInBackground();
            plugins.statusSource(sandbox::status);
            pluginsOnceStarted[0] = plugins;

            checkpoint("personalities");
            // 4. Personalities: drop-in bundles (polled) and single card files (through interchange),
            //    PersonalityProvider plugins, and the API (read since step 2, see above).
            remember(personalities);
            personalities.bundleHost(cluster.hostId());
            personalities.onChange(id -> cluster.publish("personality", id.value()));
            cluster.subscribe("personality", id -> personalities.refresh(PersonalityId.of(id)));
            cluster.onResync(personalities::sync);
            personalities.start();

            checkpoint("memory");
            // 5. Memory and knowledge. The embedding model loads in the background on first use and the
            //    memory index is rebuilt from the database in the background: start-up waits for neither.
            ScheduledExecutorService memoryWork = Executors.newScheduledThreadPool(
                    2, Thread.ofPlatform().name("nexus-memory-", 0).daemon(true).factory());
            started.add(memoryWork::shutdownNow);
            Embedder embeddingModel = Embedders.create(embeddingSettings, memoryWork);
            // Stopping waits for a model load in progress (native, uninterruptible) before the loader goes away.
            started.add(() -> embeddingModel.settle(Duration.ofSeconds(60)));
            CachedEmbedder embedder =
                    new CachedEmbedder(timed(embeddingModel, metrics), memorySettings.embeddingCacheSize());
            metrics.gauge(
                    "nexus.cache.hit.ratio",
                    "Hit ratio of a cache since start",
                    embedder,
                    e -> e.stats().hitRate(),
                    "cache",
                    "embedding");
            metrics.gauge(
                    "nexus.cache.size",
                    "Entries in a cache",
                    embedder,
                    e -> e.stats().size(),
                    "cache",
                    "embedding");
            KnowledgeService knowledge = new KnowledgeService(
                    knowledgeSettings,
                    knowledgeDir,
                    KnowledgeService.fromPlugins(plugins),
                    database,
                    embedder,
                    personalities,
                    clock);
            knowledge.reload();
            plugins.onChange(knowledge::reload);
            knowledge.onChange(() -> cluster.publish("knowledge", "changed"));
            cluster.subscribe("knowledge", ignored -> knowledge.changedElsewhere());
            cluster.onResync(knowledge::changedElsewhere);
            // The language models come first: memory extracts facts with the configured model (rules offline).
            LanguageModels models = LanguageModels.create(llmSettings, new SplittableRandom());
            LOG.info("language model: {}", models.defaultModel().description().label());
            Optional<FactExtractor> modelFacts = models.offline()
                    ? Optional.empty()
                    : Optional.of(new ModelFactExtractor(models.defaultModel(), memorySettings.maxFactChars()));
            // The conversation feature recalls memories and knowledge through TurnRecall (which splits the
            // turn's budget between them) and takes `memory` as a TurnObserver.
            MemoryService memory = remember(new MemoryService(
                    memorySettings,
                    database,
                    embedder,
                    modelFacts,
                    models.offline()
                            ? Optional.empty()
                            : Optional.of(new ModelSummariser(models.defaultModel(), memorySettings.maxFactChars())),
                    clock,
                    memoryWork));
            // Each host's vector index follows the memories other hosts write and delete.
            memory.onIndexChange(id -> cluster.publish("memory", id));
            cluster.subscribe("memory", memory::changedElsewhere);
            cluster.onResync(memory::resync);
            memory.start((every, work) -> cluster.schedule("memory-consolidation", every, work));
            // Goals: the user's active goals are recalled first (within a third of the memory budget), and
            // what the user says they finished marks milestones done after the turn.
            GoalService goals = new GoalService(
                    database, clock, models.offline() ? Optional.empty() : Optional.of(models.defaultModel()));
            TurnRecall recall = new TurnRecall(
                    new TurnRecall.Source() {
                        @Override
                        public List<dev.nexus.host.conversation.RecalledItem> recall(
                                dev.nexus.host.conversation.RecallRequest request, int budget) {
                            return metrics.time(
                                    Metrics.Stage.RECALL,
                                    () -> withGoals(goals, memory, request, budget, false)
                                            .items());
                        }

                        @Override // the retrieval counts are written with the reply (one commit fewer per turn)
                        public TurnRecall.Noted recallForTurn(
                                dev.nexus.host.conversation.RecallRequest request, int budget) {
                            return metrics.time(
                                    Metrics.Stage.RECALL, () -> withGoals(goals, memory, request, budget, true));
                        }
                    },
                    new TurnRecall.Source() {
                        @Override
                        public List<dev.nexus.host.conversation.RecalledItem> recall(
                                dev.nexus.host.conversation.RecallRequest request, int budget) {
                            return recallNoted(request, budget).items();
                        }

                        @Override // keeps World Info's notes (seed, fired and skipped entries) for the reply's metadata
                        public TurnRecall.Noted recallNoted(
                                dev.nexus.host.conversation.RecallRequest request, int budget) {
                            return metrics.time(Metrics.Stage.KNOWLEDGE, () -> knowledge.recallNoted(request, budget));
                        }
                    },
                    knowledgeSettings.budgetShare());

            checkpoint("the approval queue");
            // 6. Approval queue: trait changes, rollbacks and risky tool calls wait here for a human.
            ProposalService proposals = new ProposalService(database, clock, approvalConfig)
                    .withPersonalities(personalityWriter(personalities), personalities);
            // Approval events reach the subscribers of every host.
            proposals.onEvent(event -> cluster.publish("proposal", dev.nexus.host.json.Json.write(event)));
            cluster.subscribe(
                    "proposal",
                    json -> proposals.relay(
                            dev.nexus.host.json.Json.read(json, dev.nexus.host.approval.ProposalEvent.class)));
            ToolCallProposals toolCalls = new ToolCallProposals(proposals);
            // MCP servers the admin configured: their tools are offered like plugin tools (listed in /v1/plugins).
            McpServers mcpServers = remember(new McpServers(
                    mcpConfig, name -> settings.secret("NEXUS_MCP_" + Settings.envName(name) + "_TOKEN")));
            mcpServers.start();
            plugins.statusSource(mcpServers::status);
            // The task executor: integrations' actions in a durable queue; risky calls (also a model's, in
            // chat) become tasks waiting for approval and run once after the approval has committed.
            TaskService tasks = new TaskService(database, clock, tasksConfig, toolCalls, new SplittableRandom());
            ToolExecutor tools = remember(new ToolExecutor(plugins, toolsConfig, tasks, mcpServers::tools));
            toolCalls.runApprovedWith(tools); // proposals filed before tasks existed still run as they did
            remember(tasks).start(tools, toolsConfig.timeoutMillis());
            // Enabling a sandboxed plugin is a proposal: admitted jars are proposed; approving one enables it.
            new EnablementProposals(sandbox, proposals).install();

            checkpoint("conversations");
            // 7. Conversations: the turn orchestrator over the language models
            //    (memory recalls and observes every turn).
            ExecutorService afterTurn = remember(Executors.newVirtualThreadPerTaskExecutor());
            // Remote models are offered the plugins' tools; calls run through the tool executor (risky ones wait for
            // approval).
            // Plugins' turn filters see every turn before and after the model (time-limited, isolated).
            ConversationService conversations = new ConversationService(
                            database,
                            personalities,
                            recall,
                            List.of(
                                    turn -> metrics.time(Metrics.Stage.EXTRACTION, () -> memory.afterTurn(turn)),
                                    goals),
                            models,
                            chatSettings,
                            clock,
                            afterTurn,
                            toolBox(tools),
                            turnFilters(new TurnFilterChain(
                                    plugins, Duration.ofMillis(pluginsConfig.turnFilterTimeoutMs()))))
                    .withMetrics(metrics);
            // Routing (issue 17): POST /v1/route, chat with personality "auto", and the rooms' relevance policy.
            PersonalityRouter router = new PersonalityRouter(
                    () -> personalities.list().stream()
                            .map(r -> r.version().personality())
                            .toList(),
                    embedder);
            conversations.withAutoRouting(message -> router.rank(message, List.of())
                    .best()
                    .filter(match -> match.score() > 0)
                    .map(match -> new AutoRouting.Routed(match.id(), match.score(), match.reasons())));
            RoomService rooms =
                    new RoomService(database, personalities, models, router, chatSettings.defaultPrompt(), clock);
            this.turnsInFlight = conversations::turnsInFlight;
            // Turns a crash interrupted stay pending forever otherwise: nobody is waiting for them any more.
            conversations.failAbandonedTurns();
            conversations.onMessageStored(message -> cluster.publish("message", message));
            cluster.subscribe("message", conversations::relayStored);
            if (cluster.shared()) {
                // Another host's crash leaves turns pending too: once per cluster, sweep them (older than the cutoff).
                cluster.schedule("abandoned-turns", Duration.ofMinutes(1), conversations::failAbandonedTurns);
            }
            // A tool call that waited for approval finishes its conversation once decided: the outcome is
            // appended and the model continues. Calls decided while this host was down continue now.
            Consumer<ToolCallProposals.Decided> goOn = decided -> continueConversation(conversations, decided);
            toolCalls.onDecided(goOn, afterTurn);
            // An approved call goes on once its task has run (on this host, or, after a restart, from the database).
            Consumer<TaskService.Settled> taskDone = done -> continueConversation(
                    conversations, new ToolCallProposals.Decided(done.proposal(), done.text(), done.metadata()));
            tasks.onSettled(task ->
                    TaskService.settled(task).ifPresent(done -> afterTurn.execute(() -> taskDone.accept(done))));
            Runnable continuations = () -> conversations
                    .awaitedToolCalls()
                    .forEach(id -> toolCalls
                            .decided(id)
                            .ifPresentOrElse(
                                    goOn, () -> tasks.settledByProposal(id).ifPresent(taskDone)));
            if (cluster.shared()) {
                // Once per cluster (a decision taken while the deciding host died is continued by another).
                cluster.schedule("tool-call-continuations", Duration.ofMinutes(1), continuations);
            } else {
                afterTurn.execute(continuations);
            }

            // 8. Evolution: feedback on stored replies, runs on a bounded pool (enabled sandboxed fitness
            //    plugins take part), proposals into the approval queue. Built before the platforms, whose
            //    connectors may forward reactions as feedback as soon as they start.
            ReplyLookup replies = id -> conversations
                    .reply(id)
                    .map(reply -> new Reply(
                            reply.messageId(),
                            reply.personality(),
                            reply.personalityVersion(),
                            reply.traits(),
                            reply.replyLength(),
                            reply.userText().length(),
                            Optional.of(reply.user())));
            EvolutionService evolution = new EvolutionService(
                    database,
                    personalities,
                    replies,
                    proposals,
                    evolutionConfig,
                    remember(EvolutionService.boundedExecutor(evolutionConfig)),
                    clock,
                    new SplittableRandom(),
                    sandbox::externalFitness);
            // A/B experiments: a share of users gets the new version; a worse one files a rollback proposal.
            ExperimentService experiments = new ExperimentService(
                    database, personalities, personalities::version, evolution::feedback, proposals, clock);
            conversations.withVersions(experiments);
            evolution.onFeedback(experiments::onFeedback);

            // 9. Platforms: connectors feed messages to conversations and reactions to evolution's feedback.
            //    A message acts as the user its platform identity is linked to (admin links), else as the identity.
            IdentityLinks links = new IdentityLinks(database, clock);
            // Replies keep each personality's natural time (typing, jitter, active and quiet hours, rate limits).
            PlatformService platforms = remember(new PlatformService(
                    plugins,
                    conversations,
                    reactionFeedback(evolution),
                    links::principalOf,
                    database,
                    platformSettings,
                    presence,
                    clock));
            plugins.inbound(platforms.inbound());
            platforms.start();
            // Scheduled actions (posts, proactive messages with consent): once per cluster, through the outbox.
            Schedules schedules = new Schedules(
                    database,
                    clock,
                    outlet(platforms, conversations),
                    id -> id.matches("[a-z0-9][a-z0-9-]{0,63}")
                            && personalities.current(PersonalityId.of(id)).isPresent(),
                    schedulesConfig);
            cluster.schedule("scheduled-actions", schedules.tickEvery(), schedules::tick);

            checkpoint("the HTTP server");
            // 10. HTTP: every feature contributes its routes.
            List<Route> routes = new ArrayList<>();
            routes.addAll(new Health(database, plugins, () -> stopping)
                    .cluster(cluster)
                    .routes());
            routes.addAll(new KeyRoutes(keys).routes());
            routes.addAll(new PluginRoutes(plugins).routes());
            routes.addAll(new ToolRoutes(tools).routes());
            routes.addAll(new SandboxRoutes(sandbox).routes());
            routes.addAll(new ApprovalRoutes(proposals).routes());
            routes.addAll(new PersonalityRoutes(personalities).routes());
            routes.addAll(new InterchangeRoutes(
                            interchange,
                            personalities,
                            personalities::create,
                            avatars,
                            pack -> knowledge.register(pack, "personality import"))
                    .routes());
            routes.addAll(new MemoryRoutes(memory, knowledge::cacheStats).routes());
            routes.addAll(new KnowledgeRoutes(knowledge, Optional.of((bytes, file, packId) -> {
                        var lorebook = interchange.importLorebook(bytes, file);
                        return new KnowledgeRoutes.Lorebook(lorebook.asKnowledgePack(packId), lorebook.extensions());
                    }))
                    .routes());
            routes.addAll(new ChatRoutes(conversations).routes());
            routes.addAll(new GoalRoutes(goals).routes());
            routes.addAll(new RoomRoutes(rooms).routes());
            routes.addAll(new RoutingRoutes(router).routes());
            routes.addAll(new TaskRoutes(tasks).routes());
            routes.addAll(new OpenAiRoutes(conversations, personalities, database, clock).routes());
            if (mcpConfig.serverEnabled()) {
                routes.addAll(new McpRoutes(
                                new NexusTools(conversations, personalities, memory, chatSettings.defaultPrompt()))
                        .routes());
            }
            routes.addAll(new EvolutionRoutes(evolution).routes());
            // Proposed personalities: blends of well-rated ones, created only once approved (issue 17).
            routes.addAll(new dev.nexus.host.evolution.BlendProposals(
                            database,
                            personalities,
                            id -> conversations
                                    .reply(id)
                                    .map(r -> new dev.nexus.host.evolution.BlendProposals.Exchange(
                                            r.userText(), r.replyText())),
                            proposals)
                    .install()
                    .routes());
            routes.addAll(new ExperimentRoutes(experiments).routes());
            routes.addAll(platforms.routes());
            // A person's data, theirs to take and erase, gathered from every feature that holds some.
            routes.addAll(new UserDataRoutes(new UserData(
                            holdings(keys, links, conversations, memory, evolution, platforms, goals, tasks, schedules),
                            clock))
                    .routes());
            // Every mutating admin or approver action (and every erasure) goes to the audit log, recorded by the
            // HTTP layer; the features whose stored state it fingerprints say how to read that state.
            routes.addAll(new LinkRoutes(links).routes());
            routes.addAll(new SecretRoutes(vault).routes());
            routes.addAll(new ScheduleRoutes(schedules).routes());
            AuditLog audit = auditLog(database, clock, keys, personalities, knowledge, proposals)
                    .fingerprint("/v1/links/{identity}", links::find)
                    .alsoRecord("DELETE", UserDataRoutes.ERASE_PATH);
            routes.addAll(new AuditRoutes(audit).routes());
            // The API reference describes the whole table, itself included.
            routes.addAll(new ConsoleRoutes().routes());
            routes.addAll(metricsRoutes(metrics, platforms, plugins, tasks));
            routes.addAll(new ApiDocsRoutes(() -> List.copyOf(routes), VERSION).routes());
            this.routes = List.copyOf(routes);
            this.http = remember(HttpServer.start(
                    server,
                    limitsConfig,
                    clock,
                    secret -> metrics.time(Metrics.Stage.AUTH, () -> keys.authenticate(secret)),
                    routes,
                    audit,
                    metrics::http));
            cluster.announce(http.baseUri().toString());
            checkpoint("announcing the address");
        } catch (RuntimeException | Error e) {
            close(); // what started before the failure stops again; the caller sees the failure
            throw e;
        }
        LOG.info("Nexus listening on {} (configuration: {}; data: {})", http.baseUri(), settings.origin(), dataDir);
    }

    /**
     * Starts the host.
     *
     * @throws dev.nexus.host.config.ConfigException listing every configuration problem
     * @throws DependencyException if the database cannot be opened
     */
    public static Host start(Settings settings, Clock clock) {
        return new Host(settings, clock, () -> false);
    }

    /**
     * Starts the host like {@link #start(Settings, Clock)}, checking {@code stopRequested} between the
     * start-up steps: a stop requested while starting (SIGTERM) stops what started and throws
     * {@link StartInterrupted}.
     */
    public static Host start(Settings settings, Clock clock, BooleanSupplier stopRequested) {
        return new Host(settings, clock, stopRequested);
    }

    private void checkpoint(String step) {
        if (stopRequested.getAsBoolean()) {
            throw new StartInterrupted(step);
        }
    }

    /** Returns the base URI the server listens on. */
    public URI baseUri() {
        return http.baseUri();
    }

    /** Returns every route the server answers, with its authorization rule (the authorization matrix is made from it). */
    public List<Route> routes() {
        return routes;
    }

    /** Returns the admin key generated on this first start, to show once; empty otherwise. */
    public Optional<String> generatedAdminKey() {
        return generatedAdminKey;
    }

    /** Returns the data directory in use. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Stops gracefully: refuses new requests, ends watching event streams, lets the turns in flight
     * (and their streams) finish within {@code server.shutdown-seconds}, waits for a model load in
     * progress, then stops every component in reverse start order. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        long begun = System.nanoTime();
        if (http != null) {
            LOG.info("stopping: no new requests; waiting up to {} s for turns in flight", shutdownLimit.toSeconds());
            http.drain(shutdownLimit);
            // Turns without an HTTP request (platform messages, continuations after a tool call) finish too.
            long deadline = begun + shutdownLimit.toNanos();
            while (turnsInFlight.getAsInt() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (cluster != null) {
            cluster.close(); // jobs end and leases are released while every part they use still runs
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed", started.get(i).getClass().getSimpleName(), e);
            }
        }
        started.clear();
        if (http != null) {
            LOG.info("stopped in {} ms", (System.nanoTime() - begun) / 1_000_000);
        }
    }

    private <T extends AutoCloseable> T remember(T component) {
        started.add(component);
        return component;
    }

    /**
     * What each feature holds about a person, in erasure order: feedback before the messages it names,
     * conversations (and their platform deliveries), memory, and the person's keys last.
     */
    private static List<Holding> holdings(
            ApiKeys keys,
            IdentityLinks links,
            ConversationService conversations,
            MemoryService memory,
            EvolutionService evolution,
            PlatformService platforms,
            GoalService goals,
            TaskService tasks,
            Schedules schedules) {
        // Feedback is rated by a key id (API) or a platform identity (reactions): the user's keys and linked
        // identities.
        java.util.function.Function<String, List<String>> raters = user -> java.util.stream.Stream.concat(
                        keys.boundTo(user).stream().map(key -> key.id()),
                        links.exportUser(user).stream().map(link -> link.identity()))
                .toList();
        return List.of(
                new Holding(
                        "feedback",
                        user -> evolution.feedbackAbout(conversations.messageIdsOf(user), raters.apply(user)),
                        user -> Map.of(
                                "feedback",
                                evolution.forgetFeedbackAbout(conversations.messageIdsOf(user), raters.apply(user)))),
                new Holding("conversations", conversations::exportUser, user -> {
                    ConversationService.Erased erased = conversations.eraseUser(user);
                    return Map.of(
                            "conversations",
                            erased.conversations().size(),
                            "messages",
                            erased.messages(),
                            "deliveries",
                            platforms.forgetConversations(erased.conversations()));
                }),
                new Holding("memory", memory::exportUser, memory::eraseUser),
                new Holding("goals", goals::exportUser, goals::eraseUser),
                new Holding("proactive", schedules::exportUser, schedules::eraseUser),
                new Holding("tasks", tasks::exportUser, tasks::eraseUser),
                new Holding("links", links::exportUser, links::eraseUser),
                new Holding("keys", keys::boundTo, user -> Map.of("keysRevoked", keys.revokeAllOf(user))));
    }

    /** The audit log, with the stored representations it fingerprints before and after each action. */
    private static AuditLog auditLog(
            Database database,
            Clock clock,
            ApiKeys keys,
            PersonalityService personalities,
            KnowledgeService knowledge,
            ProposalService proposals) {
        return new AuditLog(database, clock)
                .fingerprint("/v1/keys/{id}", keys::find)
                .fingerprint("/v1/personalities/{id}", id -> personalities.current(PersonalityId.of(id)))
                .fingerprint("/v1/knowledge/packs/{id}", id -> Optional.of(knowledge.pack(id)))
                .fingerprint("/v1/proposals/{id}", id -> Optional.of(proposals.get(id)));
    }

    /**
     * {@code GET /metrics}, with the gauges whose values cost a query (outbox and task queue depths, failed plugins)
     * refreshed at each scrape rather than on a timer.
     */
    private static List<Route> metricsRoutes(
            Metrics metrics, PlatformService platforms, PluginRuntime plugins, TaskService tasks) {
        Map<String, Long> outbox = new java.util.concurrent.ConcurrentHashMap<>();
        for (String state : List.of("answering", "queued", "sending", "failed")) {
            outbox.put(state, 0L);
            metrics.gauge(
                    "nexus.outbox.depth",
                    "Platform replies not yet delivered, by state",
                    () -> outbox.get(state),
                    "state",
                    state);
        }
        Map<String, Long> queue = new java.util.concurrent.ConcurrentHashMap<>(tasks.depth());
        for (String status : queue.keySet()) {
            metrics.gauge(
                    "nexus.tasks.depth",
                    "Tasks of the task queue not yet finished, by status",
                    () -> queue.get(status),
                    "status",
                    status);
        }
        long[] failedPlugins = {0};
        metrics.gauge("nexus.plugins.failed", "Plugins that failed or were refused", () -> failedPlugins[0]);
        Runnable refreshOutbox = () -> {
            Map<String, Long> depth = platforms.outboxDepth();
            outbox.replaceAll((state, old) -> depth.getOrDefault(state, 0L));
        };
        Runnable refreshPlugins = () -> failedPlugins[0] = plugins.plugins().stream()
                .filter(p -> p.state().equals("failed") || p.state().equals("refused"))
                .count();
        Runnable refreshQueue = () -> queue.putAll(tasks.depth());
        return new MetricsRoutes(metrics, List.of(refreshOutbox, refreshPlugins, refreshQueue)).routes();
    }

    /**
     * A turn's memories: the user's active goals first (at most a third of the budget), then memory fills the
     * rest; with {@code forTurn}, memory's retrieval counts are left for the conversation to write with the reply.
     */
    private static TurnRecall.Noted withGoals(
            GoalService goals,
            MemoryService memory,
            dev.nexus.host.conversation.RecallRequest request,
            int budget,
            boolean forTurn) {
        List<dev.nexus.host.conversation.RecalledItem> items = new ArrayList<>();
        try {
            items.addAll(goals.recall(request, budget / 3));
        } catch (RuntimeException e) {
            LOG.warn("goal recall failed for user {}; answering without goals: {}", request.user(), e.toString());
        }
        int used = items.stream()
                .mapToInt(item -> dev.nexus.host.llm.TokenEstimate.of(item.text()))
                .sum();
        if (!forTurn) {
            items.addAll(memory.recall(request, budget - used));
            return new TurnRecall.Noted(items, java.util.Map.of());
        }
        TurnRecall.Noted remembered = memory.recallForTurn(request, budget - used);
        items.addAll(remembered.items());
        return new TurnRecall.Noted(items, java.util.Map.of(), remembered.recordUse());
    }

    /** Times the embedding model's calls (what the cache in front of it misses) as the {@code embedding} stage. */
    private static Embedder timed(Embedder model, Metrics metrics) {
        return new Embedder() {
            @Override
            public float[] embed(String text) {
                return metrics.time(Metrics.Stage.EMBEDDING, () -> model.embed(text));
            }

            @Override
            public List<float[]> embedAll(List<String> texts) {
                return metrics.time(Metrics.Stage.EMBEDDING, () -> model.embedAll(texts));
            }

            @Override
            public int dimensions() {
                return model.dimensions();
            }

            @Override
            public String name() {
                return model.name();
            }

            @Override
            public boolean ready() {
                return model.ready();
            }
        };
    }

    /** Conversations consult turn middleware through this narrow port; the plugins' filter chain does the work. */
    /**
     * Adapts evolution's feedback to the platforms' port: platforms own {@link ReactionFeedback},
     * evolution knows nothing of platforms, and this is where the two meet.
     */
    public static ReactionFeedback reactionFeedback(EvolutionService evolution) {
        return reaction -> {
            EvolutionService.Given given = evolution.react(
                    reaction.source(),
                    reaction.rater(),
                    reaction.replyId(),
                    reaction.rating().orElse(""),
                    reaction.critiques());
            return new ReactionFeedback.Recorded(given.feedback().id(), given.duplicate());
        };
    }

    private static TurnFilters turnFilters(TurnFilterChain chain) {
        return new TurnFilters() {
            @Override
            public boolean active() {
                return chain.active();
            }

            @Override
            public TurnFilters.Before before(dev.nexus.api.turn.Turn turn) {
                TurnFilterChain.Outcome outcome = chain.before(turn);
                return new TurnFilters.Before(
                        outcome.turn(),
                        outcome.refusedBy()
                                .map(plugin -> new TurnFilters.Refusal(
                                        plugin, outcome.refusal().orElseThrow())));
            }

            @Override
            public String after(dev.nexus.api.turn.Turn turn, String reply) {
                return chain.after(turn, reply);
            }
        };
    }

    /** Conversations run tool calls through this narrow port; the tool executor does the work. */
    private static void continueConversation(ConversationService conversations, ToolCallProposals.Decided decided) {
        try {
            conversations.continueAfterToolCall(decided.proposal(), decided.outcome(), decided.metadata());
        } catch (RuntimeException e) {
            LOG.warn("the conversation waiting for tool call {} could not go on: {}", decided.proposal(), e.toString());
        }
    }

    private static ToolBox toolBox(ToolExecutor tools) {
        return new ToolBox() {
            @Override
            public List<ToolSpec> specs() {
                return tools.available();
            }

            @Override
            public ToolBox.Outcome run(
                    String callId, String name, String argumentsJson, String user, String personality) {
                ToolOutcome outcome = tools.execute(callId, name, argumentsJson, user, personality);
                return switch (outcome) {
                    case ToolOutcome.Done done ->
                        new ToolBox.Outcome(ToolBox.Kind.DONE, done.forModel(), Optional.empty());
                    case ToolOutcome.Failed failed ->
                        new ToolBox.Outcome(ToolBox.Kind.FAILED, failed.forModel(), Optional.empty());
                    case ToolOutcome.AwaitingApproval waiting ->
                        new ToolBox.Outcome(
                                ToolBox.Kind.AWAITING_APPROVAL, waiting.forModel(), Optional.of(waiting.proposalId()));
                };
            }
        };
    }

    /** Scheduled actions reach the platforms through this narrow port: the outbox, presence and past conversations. */
    private static Outlet outlet(PlatformService platforms, ConversationService conversations) {
        return new Outlet() {
            @Override
            public boolean running(String platform) {
                return platforms.running(platform);
            }

            @Override
            public boolean resting(String personality, String platform, java.time.Instant at) {
                return platforms.resting(personality, platform, at);
            }

            @Override
            public java.time.ZoneId zone(String personality) {
                return platforms.zone(personality);
            }

            @Override
            public Optional<String> latestConversation(String user, String personality, String platform) {
                return conversations.conversationsOf(user, Optional.of(PersonalityId.of(personality)), 200).stream()
                        .filter(c -> platform.equals(c.platform()))
                        .max(java.util.Comparator.comparing(dev.nexus.host.conversation.ConversationSummary::updatedAt))
                        .map(dev.nexus.host.conversation.ConversationSummary::id);
            }

            @Override
            public Optional<Map<String, String>> lastAddress(String platform, String conversation) {
                return platforms.lastAddress(platform, conversation);
            }

            @Override
            public java.time.Instant queue(
                    String platform,
                    String personality,
                    String id,
                    String conversation,
                    String text,
                    Map<String, String> address) {
                return platforms.queue(platform, personality, id, conversation, text, address);
            }
        };
    }

    /** Approval writes personalities through this narrow port; the registry does the compare-and-swap. */
    private static PersonalityWriter personalityWriter(PersonalityService personalities) {
        return new PersonalityWriter() {
            @Override
            public PersonalityVersion applyTraits(
                    PersonalityId id, int baseVersion, Map<String, Double> values, String source) {
                return personalities.applyTraits(id, baseVersion, values, source);
            }

            @Override
            public PersonalityVersion restore(PersonalityId id, int baseVersion, int targetVersion, String source) {
                return personalities.restore(id, baseVersion, targetVersion, source);
            }
        };
    }

    private static Map<String, String> pluginSecrets(Settings settings, String pluginId) {
        String prefix = "NEXUS_SECRET_" + Settings.envName(pluginId) + "_";
        Map<String, String> secrets = new LinkedHashMap<>();
        settings.secrets(prefix).forEach((name, value) -> secrets.put(name.substring(prefix.length()), value));
        return secrets;
    }

    private static void directory(Settings settings, String key, Path path) {
        try {
            Files.createDirectories(path);
            if (!Files.isWritable(path)) {
                settings.problem(
                        key + ": " + path + " is not writable; choose another directory or fix its permissions");
            }
        } catch (IOException e) {
            settings.problem(key + ": cannot create " + path + " (" + e.getMessage() + "); choose another directory");
        }
    }
}
