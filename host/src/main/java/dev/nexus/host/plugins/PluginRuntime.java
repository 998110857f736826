package dev.nexus.host.plugins;

import dev.nexus.api.ApiVersion;
import dev.nexus.api.PluginContext;
import dev.nexus.api.PluginExtension;
import dev.nexus.api.PluginStore;
import dev.nexus.api.knowledge.KnowledgePackProvider;
import dev.nexus.api.personality.PersonalityProvider;
import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundReaction;
import dev.nexus.api.platform.InboundResult;
import dev.nexus.api.platform.InboundSink;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.platform.ReactionResult;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.turn.TurnFilter;
import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.json.JsonSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;
import org.pf4j.PluginRepository;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin runtime: loads PF4J plugin jars, gives each its own {@link PluginContext}, starts them
 * and hands their extensions to the features. Failure is isolated: a plugin that cannot be read, is
 * refused, fails to start, or throws later is marked failed with its error while the host and every
 * other plugin keep running. PF4J stays inside this package.
 *
 * <p>Thread-safe after {@link #start()}.
 */
public final class PluginRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginRuntime.class);

    /** Where a plugin jar declares the JSON Schema of its configuration section. */
    public static final String CONFIG_SCHEMA = "META-INF/nexus/config-schema.json";

    private static final int MAX_SCHEMA_BYTES = 256 * 1024;

    /** The extension points loaded into the host JVM, by the kind name shown in {@code /v1/plugins}. */
    static final Map<String, Class<?>> KINDS = kinds();

    private final PluginsConfig config;
    private final List<Path> roots;
    private final Function<String, Map<String, String>> secrets;
    private volatile java.util.function.BiFunction<String, String, Optional<String>> storedSecrets =
            (plugin, name) -> Optional.empty();
    private final Clock clock;
    private final Function<String, PluginStore> stores;
    private final AtomicReference<InboundSink> inbound = new AtomicReference<>(new Starting());
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(
            2,
            Thread.ofPlatform().name("nexus-plugin-scheduler-", 0).daemon(true).factory());
    private final ExecutorService limited = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("nexus-plugin-call-", 0).factory());
    private final PluginManager pf4j;
    private final Map<String, PluginInfo> infos = new ConcurrentHashMap<>();
    private final Map<String, List<Object>> extensions = new ConcurrentHashMap<>();
    private final Map<String, HostPluginContext> contexts = new ConcurrentHashMap<>();
    private final Map<String, String> schemas = new ConcurrentHashMap<>();
    private final List<Supplier<List<PluginInfo>>> extraSources = new CopyOnWriteArrayList<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private final PluginSwitchRepository switches;

    /**
     * Creates the runtime; nothing is loaded before {@link #start()}.
     *
     * @param config the plugins section
     * @param pluginDirectory where installed plugin jars live
     * @param secrets returns a plugin's secrets by its id (names without prefix, upper case)
     * @param clock the clock handed to plugins
     * @param database where each plugin's key-value store lives ({@link PluginContext#store()})
     */
    public PluginRuntime(
            PluginsConfig config,
            Path pluginDirectory,
            Function<String, Map<String, String>> secrets,
            Clock clock,
            Database database) {
        this(
                config,
                pluginDirectory,
                secrets,
                clock,
                new PluginStoreRepository(database, clock, PluginStore.MAX_ENTRIES)::forPlugin,
                new PluginSwitchRepository(database, clock));
    }

    /**
     * Creates a runtime without a database: every plugin's store throws {@link PluginStore.Unavailable}.
     * For tests of loading and isolation that never touch a store.
     */
    public PluginRuntime(
            PluginsConfig config, Path pluginDirectory, Function<String, Map<String, String>> secrets, Clock clock) {
        this(config, pluginDirectory, secrets, clock, id -> NoStore.INSTANCE, PluginSwitchRepository.inMemory(clock));
    }

    /** Creates a runtime whose plugins get the stores {@code stores} returns by plugin id (tests hand in fakes). */
    public PluginRuntime(
            PluginsConfig config,
            Path pluginDirectory,
            Function<String, Map<String, String>> secrets,
            Clock clock,
            Function<String, PluginStore> stores) {
        this(config, pluginDirectory, secrets, clock, stores, PluginSwitchRepository.inMemory(clock));
    }

    private PluginRuntime(
            PluginsConfig config,
            Path pluginDirectory,
            Function<String, Map<String, String>> secrets,
            Clock clock,
            Function<String, PluginStore> stores,
            PluginSwitchRepository switches) {
        this.stores = stores;
        this.switches = switches;
        this.config = config;
        this.secrets = secrets;
        this.clock = clock;
        List<Path> found = new ArrayList<>();
        found.add(pluginDirectory);
        if (!config.devRoot().isEmpty()) {
            found.addAll(devTargets(Path.of(config.devRoot())));
        }
        this.roots = List.copyOf(found);
        this.pf4j = new Pf4j(roots);
    }

    /**
     * Sets where plugins' secrets are looked up when the environment has none (the credential vault:
     * plugin id and name to value). Set before {@link #start()}; each context reads only its own plugin's.
     */
    public void storedSecrets(java.util.function.BiFunction<String, String, Optional<String>> lookup) {
        this.storedSecrets = java.util.Objects.requireNonNull(lookup, "lookup");
    }

    /** Sets the host's inbound port handed to platform connectors (the conversation feature). */
    public void inbound(InboundSink sink) {
        inbound.set(sink);
    }

    /** Adds a source of extra rows for {@code /v1/plugins}, such as sandboxed plugins. */
    public void statusSource(Supplier<List<PluginInfo>> source) {
        extraSources.add(source);
    }

    /** Loads and starts every plugin found, isolating each failure. */
    public void start() {
        for (Path jar : jars()) {
            load(jar);
        }
        Set<String> switchedOff = switches.disabled();
        for (PluginWrapper plugin : pf4j.getPlugins()) {
            String id = plugin.getPluginId();
            if (config.disabled().contains(id)) {
                record(plugin, "disabled", List.of(), Optional.of("disabled by configuration (plugins.disabled)"));
                continue;
            }
            if (switchedOff.contains(id)) {
                record(plugin, "disabled", List.of(), Optional.of(BY_ADMIN));
                continue;
            }
            startOne(plugin);
        }
        LOG.info(
                "plugins: {}",
                infos.values().stream()
                        .sorted(Comparator.comparing(PluginInfo::id))
                        .map(info -> info.id() + "=" + info.state())
                        .toList());
    }

    private void load(Path jar) {
        Optional<PluginDescriptor> descriptor = Optional.empty();
        try {
            descriptor = Optional.of(new ManifestPluginDescriptorFinder().find(jar));
            Optional<String> schema = refuseIfUnfit(jar, descriptor.get());
            String loaded = pf4j.loadPlugin(jar);
            schema.ifPresent(text -> schemas.put(loaded, text));
        } catch (Throwable e) {
            rethrowIfFatal(e);
            String id = descriptor
                    .map(PluginDescriptor::getPluginId)
                    .filter(s -> s != null && !s.isBlank())
                    .orElse(jar.getFileName().toString());
            String message =
                    e instanceof Refused ? describe(e) : "cannot load " + jar.getFileName() + ": " + describe(e);
            LOG.warn("plugin {} refused: {}", id, message);
            infos.put(
                    id,
                    new PluginInfo(
                            id,
                            descriptor.map(PluginDescriptor::getVersion).orElse(""),
                            "refused",
                            List.of(),
                            Optional.of(message),
                            jar.toString(),
                            Map.of()));
        }
    }

    /** Refuses a jar that cannot work here; returns its declared configuration schema, if any. */
    private static Optional<String> refuseIfUnfit(Path jar, PluginDescriptor descriptor) {
        String id = descriptor.getPluginId();
        Optional<String> schema;
        try (JarFile file = new JarFile(jar.toFile())) {
            Optional<String> bundled = file.stream()
                    .map(entry -> entry.getName())
                    .filter(name -> name.startsWith("dev/nexus/api/") && name.endsWith(".class")
                            || name.startsWith("org/pf4j/") && name.endsWith(".class")
                            || name.matches("lib/(nexus-plugin-api|pf4j)-.*\\.jar"))
                    .findFirst();
            if (bundled.isPresent()) {
                throw new Refused("plugin '" + id + "' bundles the plugin API or PF4J (" + bundled.get()
                        + "); declare nexus-plugin-api and pf4j with <scope>provided</scope> and rebuild: a bundled API"
                        + " makes extensions invisible or fails with 'X cannot be cast to X'");
            }
            var entry = file.getJarEntry(CONFIG_SCHEMA);
            if (entry != null && entry.getSize() > MAX_SCHEMA_BYTES) {
                throw new Refused("plugin '" + id + "' declares a configuration schema of " + entry.getSize()
                        + " bytes in " + CONFIG_SCHEMA + "; at most " + MAX_SCHEMA_BYTES + " are read");
            }
            schema = entry == null
                    ? Optional.empty()
                    : Optional.of(new String(
                            file.getInputStream(entry).readNBytes(MAX_SCHEMA_BYTES), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Refused("cannot read " + jar.getFileName() + " as a jar: " + e.getMessage());
        }
        String requires = descriptor.getRequires();
        String host = ApiVersion.current();
        if (requires != null && !requires.isBlank() && !requires.equals("*")) {
            boolean fits;
            try {
                fits = new org.pf4j.DefaultVersionManager().checkVersionConstraint(host, requires);
            } catch (RuntimeException e) {
                throw new Refused(
                        "plugin '" + id + "' has an unreadable Plugin-Requires '" + requires + "': " + e.getMessage());
            }
            if (!fits) {
                throw new Refused("plugin '" + id + "' " + descriptor.getVersion() + " requires plugin API " + requires
                        + " but this host provides " + host + "; install a version of '" + id
                        + "' built for API " + host + " or upgrade the host");
            }
        }
        return schema;
    }

    private void startOne(PluginWrapper plugin) {
        String id = plugin.getPluginId();
        Map<String, Object> section = config.config().getOrDefault(id, Map.of());
        try {
            PluginState state = pf4j.startPlugin(id);
            if (state != PluginState.STARTED) {
                Throwable failure = plugin.getFailedException();
                throw new IllegalStateException(
                        "plugin did not start (state " + state + ")"
                                + (failure != null ? ": " + describe(failure) : ""),
                        failure);
            }
            List<Object> found = new ArrayList<>();
            List<String> kinds = new ArrayList<>();
            for (Map.Entry<String, Class<?>> kind : KINDS.entrySet()) {
                List<?> instances = pf4j.getExtensions(kind.getValue(), id);
                if (!instances.isEmpty()) {
                    kinds.add(kind.getKey());
                    found.addAll(instances);
                }
            }
            if (found.isEmpty() && !pf4j.getExtensionClassNames(id).isEmpty()) {
                throw new IllegalStateException(
                        "declares extensions " + pf4j.getExtensionClassNames(id)
                                + " but none could be created; check that they implement a Nexus extension point and have a public no-argument constructor");
            }
            Map<String, Object> details = checkConfig(id, section);
            HostPluginContext context = new HostPluginContext(
                    id,
                    section,
                    secrets.apply(id),
                    name -> storedSecrets.apply(id, name),
                    clock,
                    scheduler,
                    new OwnPlatformsOnly(id, () -> ownPlatforms(id), new Forwarding(inbound)),
                    stores.apply(id));
            contexts.put(id, context);
            extensions.put(id, List.copyOf(found));
            startExtensions(id, found, context);
            record(
                    plugin,
                    "started",
                    kinds,
                    found.isEmpty()
                            ? Optional.of(
                                    "no extensions found: is META-INF/extensions.idx in the jar (annotation processing on)?")
                            : Optional.empty(),
                    details);
        } catch (Throwable e) {
            rethrowIfFatal(e);
            extensions.remove(id); // never started, or already stopped by startExtensions
            if (e instanceof ExtensionStartFailed start && start.configuration && section.isEmpty()) {
                notConfigured(id, String.valueOf(start.getMessage()));
            } else {
                fail(id, "start", e);
            }
        }
    }

    /**
     * Records a plugin that needs settings nobody gave it: its start hook refused for want of
     * configuration and the configuration file has no {@code plugins.config.<id>} section at all. That is
     * the normal state of a connector nobody has set up yet (a fresh {@code ./nexus run} ships six of
     * them), not a failure: it is logged at INFO, {@code /health} does not count it, and the plugin's
     * own message says which keys to set. A section that is there but wrong is still a failure.
     */
    private void notConfigured(String id, String message) {
        LOG.info(
                "plugin {} is not configured (no plugins.config.{} section); it starts once that is set: {}",
                PluginText.quote(id),
                id,
                PluginText.quote(message));
        infos.compute(
                id,
                (key, old) -> new PluginInfo(
                        id,
                        old == null ? "" : old.version(),
                        UNCONFIGURED,
                        old == null ? List.of() : old.kinds(),
                        Optional.of("not configured: " + message),
                        old == null ? "" : old.source(),
                        old == null ? Map.of() : old.details()));
        HostPluginContext context = contexts.get(id);
        if (context != null) {
            context.cancelAll();
        }
    }

    /**
     * Checks the plugin's configuration section against the schema it declares, before any of its
     * code sees the section; returns what {@code /v1/plugins} shows about it.
     *
     * @throws InvalidConfig naming every offending field
     */
    private Map<String, Object> checkConfig(String id, Map<String, Object> section) {
        String text = schemas.get(id);
        if (text == null) {
            LOG.info(
                    "plugin {}: no configuration schema declared ({}); its section is passed on unchecked",
                    id,
                    CONFIG_SCHEMA);
            return Map.of();
        }
        JsonSchema schema;
        Map<String, Object> document;
        try {
            schema = JsonSchema.compile(text, CONFIG_SCHEMA + " in the plugin jar");
            document = Json.readMap(text);
        } catch (InvalidInputException e) {
            throw new InvalidConfig(
                    e.getMessage() + (e.problems().isEmpty() ? "" : ": " + String.join("; ", e.problems()))
                            + "; fix the schema and rebuild the plugin");
        }
        List<String> problems = schema.problems(section);
        if (!problems.isEmpty()) {
            throw new InvalidConfig("configuration section plugins.config." + id
                    + " does not match the plugin's schema: " + String.join("; ", problems)
                    + " ($ is the section); fix the section in the configuration file and restart");
        }
        LOG.info("plugin {}: configuration checked against its schema ({} keys)", id, section.size());
        return Map.of("configSchema", document);
    }

    /** Starts each extension with the plugin's context; the first failure fails the plugin (those started are stopped). */
    private void startExtensions(String id, List<Object> found, PluginContext context) {
        List<PluginExtension> started = new ArrayList<>();
        for (Object extension : found) {
            if (!(extension instanceof PluginExtension lifecycle)) {
                continue;
            }
            try {
                lifecycle.start(context);
                started.add(lifecycle);
            } catch (RuntimeException | LinkageError e) {
                started.forEach(done -> stopQuietly(id, done));
                stopQuietly(id, lifecycle);
                throw rejectedConfiguration(e)
                        ? new ExtensionStartFailed(String.valueOf(e.getMessage()), e, true)
                        : new ExtensionStartFailed(
                                extension.getClass().getSimpleName() + ".start: " + describe(e), e, false);
            }
        }
    }

    private static void stopQuietly(String id, PluginExtension extension) {
        try {
            extension.stop();
        } catch (Throwable e) {
            rethrowIfFatal(e);
            LOG.warn("plugin {}: {}.stop failed", id, extension.getClass().getSimpleName(), e);
        }
    }

    private void record(PluginWrapper plugin, String state, List<String> kinds, Optional<String> error) {
        record(plugin, state, kinds, error, Map.of());
    }

    private void record(
            PluginWrapper plugin,
            String state,
            List<String> kinds,
            Optional<String> error,
            Map<String, Object> details) {
        infos.put(
                plugin.getPluginId(),
                new PluginInfo(
                        plugin.getPluginId(),
                        plugin.getDescriptor().getVersion(),
                        state,
                        kinds,
                        error,
                        plugin.getPluginPath().toString(),
                        details));
    }

    /** Returns the platforms the plugin's own connectors declare; what its inbound port may deliver for. */
    private List<String> ownPlatforms(String id) {
        List<String> platforms = new ArrayList<>();
        for (Object extension : extensions.getOrDefault(id, List.of())) {
            if (extension instanceof PlatformConnector connector) {
                try {
                    platforms.add(connector.platform());
                } catch (RuntimeException e) {
                    LOG.debug("plugin {}: platform() failed", id, e);
                }
            }
        }
        return platforms;
    }

    /** Returns the configuration schema a started plugin declared, if any. */
    public Optional<Map<String, Object>> configSchema(String pluginId) {
        PluginInfo info = infos.get(pluginId);
        return info != null && info.details().get("configSchema") instanceof Map<?, ?> map
                ? Optional.of(castSchema(map))
                : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castSchema(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** The state of a plugin whose start needs a configuration section the file does not have. */
    public static final String UNCONFIGURED = "unconfigured";

    private static final String BY_ADMIN = "disabled by an admin (POST /v1/plugins/{id}/enable turns it back on)";

    /** Runs {@code listener} after a plugin was enabled or disabled at run time (e.g. to reload knowledge packs). */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /**
     * Disables a code plugin now and after restarts (on every host of the database): its extensions are
     * stopped and disappear from the features, its scheduled work is cancelled.
     *
     * @param actor who switched it off, for the record
     * @throws NotFoundException when no code plugin has this id
     * @throws ConflictException when it was refused (never loaded) or is sandboxed (enabled by approval)
     */
    public PluginInfo disable(String id, String actor) {
        synchronized (this) {
            PluginWrapper plugin = toSwitch(id);
            switches.set(id, false, actor);
            stopOne(id);
            record(plugin, "disabled", List.of(), Optional.of(BY_ADMIN));
        }
        LOG.info("plugin {} disabled by {}", PluginText.quote(id), actor);
        changed();
        switched.accept(id);
        return info(id);
    }

    /**
     * Enables a code plugin an admin disabled, or restarts one that failed; a started plugin stays as
     * it is. The plugin's configuration is checked again and its extensions started with a fresh context.
     *
     * @throws NotFoundException when no code plugin has this id
     * @throws ConflictException when it was refused, is sandboxed, or is disabled by the configuration file
     */
    public PluginInfo enable(String id, String actor) {
        synchronized (this) {
            PluginWrapper plugin = toSwitch(id);
            if (config.disabled().contains(id)) {
                throw new ConflictException(
                        "plugin '" + id + "' is disabled by the configuration file (plugins.disabled);"
                                + " remove it from that list and restart the host");
            }
            switches.set(id, true, actor);
            if (info(id).state().equals("started")) {
                return info(id);
            }
            stopOne(id);
            startOne(plugin);
        }
        LOG.info("plugin {} enabled by {}: {}", PluginText.quote(id), actor, info(id).state());
        changed();
        switched.accept(id);
        return info(id);
    }

    private volatile java.util.function.Consumer<String> switched = id -> {};

    /** Tells {@code listener} the id of every plugin an admin switched on or off on this host (other hosts follow). */
    public void onSwitch(java.util.function.Consumer<String> listener) {
        this.switched = java.util.Objects.requireNonNull(listener, "listener");
    }

    /**
     * Brings plugin {@code id} in line with its switch in the database after an admin switched it on
     * another host: stopped when switched off, started when switched on (unless the configuration file
     * disables it). Unknown or refused plugins are left alone.
     */
    public void switchedElsewhere(String id) {
        synchronized (this) {
            if (!switchable(id)) {
                return;
            }
            PluginWrapper plugin = pf4j.getPlugin(id);
            boolean off = switches.disabled().contains(id);
            String state = info(id).state();
            if (off && !state.equals("disabled")) {
                stopOne(id);
                record(plugin, "disabled", List.of(), Optional.of(BY_ADMIN));
            } else if (!off && !state.equals("started") && !config.disabled().contains(id)) {
                stopOne(id);
                startOne(plugin);
            } else {
                return;
            }
        }
        LOG.info("plugin {} switched on another host: {}", PluginText.quote(id), info(id).state());
        changed();
    }

    /** True for a loaded code plugin, which {@link #disable} and {@link #enable} can switch. */
    public boolean switchable(String id) {
        PluginInfo info = infos.get(id);
        return info != null && !info.state().equals("refused") && pf4j.getPlugin(id) != null;
    }

    /** The status of a plugin known to be recorded (every loaded or refused jar is). */
    private PluginInfo info(String id) {
        PluginInfo info = infos.get(id);
        if (info == null) {
            throw new IllegalStateException("no status recorded for plugin '" + id + "'");
        }
        return info;
    }

    private PluginWrapper toSwitch(String id) {
        PluginInfo info = infos.get(id);
        if (info == null) {
            boolean other = extraSources.stream()
                    .anyMatch(source -> source.get().stream().anyMatch(p -> p.id().equals(id)));
            if (other) {
                throw new ConflictException(
                        "'" + id + "' is not a code plugin: a sandboxed plugin is enabled by approving"
                                + " its plugin-enablement proposal, an MCP server by the mcp section of the configuration");
            }
            throw new NotFoundException("no plugin '" + id + "'; GET /v1/plugins lists them");
        }
        PluginWrapper plugin = pf4j.getPlugin(id);
        if (plugin == null || info.state().equals("refused")) {
            throw new ConflictException("plugin '" + id + "' was refused when it was loaded ("
                    + info.error().orElse("") + "); fix the jar and restart the host");
        }
        return plugin;
    }

    /** Stops what runs of a plugin (its extensions, its scheduled work, PF4J's plugin); errors are logged. */
    private void stopOne(String id) {
        HostPluginContext context = contexts.remove(id);
        if (context != null) {
            context.cancelAll();
        }
        List<Object> running = extensions.remove(id);
        if (running != null) {
            running.stream()
                    .filter(PluginExtension.class::isInstance)
                    .map(PluginExtension.class::cast)
                    .forEach(extension -> stopQuietly(id, extension));
        }
        try {
            pf4j.stopPlugin(id);
        } catch (Throwable e) {
            rethrowIfFatal(e);
            LOG.warn("plugin {} failed to stop cleanly", PluginText.quote(id), e);
        }
    }

    private void changed() {
        for (Runnable listener : changeListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("a listener of plugin changes failed", e);
            }
        }
    }

    /** Returns every plugin's status, sorted by id, including extra sources. */
    public List<PluginInfo> plugins() {
        List<PluginInfo> all = new ArrayList<>(infos.values());
        for (Supplier<List<PluginInfo>> source : extraSources) {
            all.addAll(source.get());
        }
        all.sort(Comparator.comparing(PluginInfo::id));
        return all;
    }

    /** Returns the extensions of {@code type} from started (not failed) plugins. */
    public <T> List<Contribution<T>> extensions(Class<T> type) {
        List<Contribution<T>> result = new ArrayList<>();
        extensions.forEach((id, list) -> {
            PluginInfo info = infos.get(id);
            if (info != null && info.state().equals("started")) {
                for (Object extension : list) {
                    if (type.isInstance(extension)) {
                        result.add(new Contribution<>(id, type.cast(extension)));
                    }
                }
            }
        });
        result.sort(Comparator.comparing(Contribution::pluginId));
        return result;
    }

    /** Returns the context of a started plugin. */
    public PluginContext context(String pluginId) {
        HostPluginContext context = contexts.get(pluginId);
        if (context == null) {
            throw new IllegalArgumentException("no started plugin '" + pluginId + "'");
        }
        return context;
    }

    /**
     * Calls into a plugin with failure isolation: anything it throws marks the plugin failed (its
     * extensions disappear from {@link #extensions}) and comes back as {@link PluginFailedException}.
     */
    public <T, R> R call(Contribution<T> contribution, String operation, Function<T, R> call) {
        try {
            return call.apply(contribution.extension());
        } catch (Throwable e) {
            rethrowIfFatal(e);
            fail(contribution.pluginId(), operation, e);
            throw new PluginFailedException(contribution.pluginId(), operation, e);
        }
    }

    /**
     * Calls into a plugin like {@link #call} within a time limit: a call that overruns is interrupted,
     * marks the plugin failed and comes back as {@link PluginFailedException}.
     */
    public <T, R> R callWithin(Contribution<T> contribution, String operation, Duration limit, Function<T, R> call) {
        Future<R> future = limited.submit(() -> call.apply(contribution.extension()));
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            TimeoutException overran = new TimeoutException("took longer than " + limit.toMillis() + " ms");
            fail(contribution.pluginId(), operation, overran);
            throw new PluginFailedException(contribution.pluginId(), operation, overran);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            rethrowIfFatal(cause);
            fail(contribution.pluginId(), operation, cause);
            throw new PluginFailedException(contribution.pluginId(), operation, cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new PluginFailedException(contribution.pluginId(), operation, e);
        }
    }

    /**
     * True when a start hook rejected the plugin's configuration as {@link dev.nexus.api.PluginExtension#start}
     * asks: an {@code IllegalArgumentException} or {@code IllegalStateException} with a message naming the key
     * and the fix. Its message is shown as it is (an operator's problem, not a crash: no type, no stack trace).
     */
    private static boolean rejectedConfiguration(Throwable e) {
        return (e instanceof IllegalArgumentException || e instanceof IllegalStateException)
                && e.getMessage() != null
                && !e.getMessage().isBlank();
    }

    /** Marks a plugin failed with the error, for failures seen by a feature. */
    public void fail(String pluginId, String operation, Throwable error) {
        if (error instanceof ExtensionStartFailed start && start.configuration) {
            LOG.warn(
                    "plugin {} is not started: {}",
                    PluginText.quote(pluginId),
                    PluginText.quote(String.valueOf(start.getMessage())));
        } else {
            LOG.warn("plugin {} failed during {}; isolating it", PluginText.quote(pluginId), operation, error);
        }
        infos.compute(
                pluginId,
                (id, old) -> new PluginInfo(
                        id,
                        old == null ? "" : old.version(),
                        "failed",
                        old == null ? List.of() : old.kinds(),
                        Optional.of(operation + " failed: " + describe(error)),
                        old == null ? "" : old.source(),
                        old == null ? Map.of() : old.details()));
        HostPluginContext context = contexts.get(pluginId);
        if (context != null) {
            context.cancelAll();
        }
    }

    /** Stops every plugin; errors are logged, never thrown. */
    @Override
    public void close() {
        contexts.values().forEach(HostPluginContext::cancelAll);
        scheduler.shutdownNow();
        limited.shutdownNow();
        extensions.forEach((id, list) -> list.stream()
                .filter(PluginExtension.class::isInstance)
                .map(PluginExtension.class::cast)
                .forEach(extension -> stopQuietly(id, extension)));
        for (PluginWrapper plugin : new ArrayList<>(pf4j.getStartedPlugins())) {
            try {
                pf4j.stopPlugin(plugin.getPluginId());
            } catch (Throwable e) {
                rethrowIfFatal(e);
                LOG.warn("plugin {} failed to stop cleanly", PluginText.quote(plugin.getPluginId()), e);
            }
        }
        try {
            pf4j.unloadPlugins();
        } catch (RuntimeException e) {
            LOG.debug("unloading plugins", e);
        }
    }

    private List<Path> jars() {
        List<Path> jars = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            boolean dev = !root.equals(roots.get(0));
            try (Stream<Path> files = Files.list(root)) {
                files.filter(Files::isRegularFile)
                        .filter(file -> {
                            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                            return name.endsWith(".jar") && (!dev || name.startsWith("nexus-plugin-"));
                        })
                        .sorted()
                        .forEach(jars::add);
            } catch (IOException e) {
                LOG.warn("cannot list plugin directory {}: {}", root, e.getMessage());
            }
        }
        return jars;
    }

    private static List<Path> devTargets(Path devRoot) {
        if (!Files.isDirectory(devRoot)) {
            return List.of();
        }
        try (Stream<Path> modules = Files.list(devRoot)) {
            return modules.map(module -> module.resolve("target"))
                    .filter(Files::isDirectory)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Plugin failures of any kind are isolated (a plugin may throw an {@code Error} or overflow its
     * stack), except those that leave the whole JVM unusable, such as running out of memory.
     */
    static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError fatal && !(e instanceof StackOverflowError)) {
            throw fatal;
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if ((e instanceof InvalidConfig || e instanceof ExtensionStartFailed || e instanceof Refused)
                && message != null) {
            return message;
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static Map<String, Class<?>> kinds() {
        Map<String, Class<?>> kinds = new LinkedHashMap<>();
        kinds.put("platform", PlatformConnector.class);
        kinds.put("knowledge", KnowledgePackProvider.class);
        kinds.put("tool", Tool.class);
        kinds.put("personality", PersonalityProvider.class);
        kinds.put("turn-filter", TurnFilter.class);
        return java.util.Collections.unmodifiableMap(kinds);
    }

    /** A plugin's configuration section breaks its declared schema; the message names the fields. */
    private static final class InvalidConfig extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidConfig(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * An extension's start hook threw; the message is the plugin's own when it rejected its configuration,
     * else it names the extension and its error.
     */
    private static final class ExtensionStartFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean configuration;

        ExtensionStartFailed(String message, Throwable cause, boolean configuration) {
            super(message, cause);
            this.configuration = configuration;
        }
    }

    /** A plugin refused before loading; the message says why and what to do. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** PF4J in deployment mode over our jar list, announcing the plugin-api version as system version. */
    private static final class Pf4j extends DefaultPluginManager {
        Pf4j(List<Path> roots) {
            super(roots);
            setSystemVersion(ApiVersion.current());
            setExactVersionAllowed(false);
        }

        @Override
        public RuntimeMode getRuntimeMode() {
            return RuntimeMode.DEPLOYMENT;
        }

        @Override
        protected PluginRepository createPluginRepository() {
            return new PluginRepository() {
                @Override
                public List<Path> getPluginPaths() {
                    return List.of();
                }

                @Override
                public boolean deletePluginPath(Path pluginPath) {
                    return false;
                }
            };
        }

        @Override
        protected org.pf4j.ExtensionFactory createExtensionFactory() {
            return new org.pf4j.SingletonExtensionFactory(this);
        }
    }

    /** The store of a runtime without a database: always unavailable. */
    private enum NoStore implements PluginStore {
        INSTANCE;

        private static PluginStore.Unavailable none() {
            return new PluginStore.Unavailable("this plugin runtime has no database, so plugins have no store");
        }

        @Override
        public Optional<String> get(String key) {
            throw none();
        }

        @Override
        public void put(String key, String value) {
            throw none();
        }

        @Override
        public void put(String key, String value, Duration timeToLive) {
            throw none();
        }

        @Override
        public boolean putIfAbsent(String key, String value, Duration timeToLive) {
            throw none();
        }

        @Override
        public boolean delete(String key) {
            throw none();
        }
    }

    /** The sink before the host hands in its own: takes nothing, asking to retry in a moment. */
    private static final class Starting implements InboundSink {

        private static final String REASON = "the host is still starting; try again in a moment";
        private static final Duration AFTER = Duration.ofSeconds(1);

        @Override
        public InboundResult deliver(InboundMessage message) {
            return new InboundResult.RetryLater(AFTER, REASON);
        }

        @Override
        public ReactionResult react(InboundReaction reaction) {
            return new ReactionResult.RetryLater(AFTER, REASON);
        }
    }

    /**
     * The inbound port of one plugin: it accepts messages and reactions only for the platforms the
     * plugin's own connectors declare, so a tool cannot post as the webhook. Refusals are logged.
     */
    private record OwnPlatformsOnly(String pluginId, Supplier<List<String>> platforms, InboundSink target)
            implements InboundSink {

        @Override
        public InboundResult deliver(InboundMessage message) {
            Optional<String> refusal = refusal(message.platform(), "message");
            return refusal.isPresent() ? new InboundResult.Rejected(refusal.get()) : target.deliver(message);
        }

        @Override
        public ReactionResult react(InboundReaction reaction) {
            Optional<String> refusal = refusal(reaction.platform(), "reaction");
            return refusal.isPresent() ? new ReactionResult.Rejected(refusal.get()) : target.react(reaction);
        }

        private Optional<String> refusal(String platform, String what) {
            List<String> own = platforms.get();
            if (own.contains(platform)) {
                return Optional.empty();
            }
            LOG.warn(
                    "plugin {} tried to deliver a {} for platform '{}' it does not provide; refused",
                    pluginId,
                    what,
                    platform);
            return Optional.of(
                    "plugin '" + pluginId + "' may deliver only for the platforms its own connectors declare " + own
                            + ", not '" + platform + "'");
        }
    }

    /** What plugin contexts hold: forwards every call to the host's current sink. */
    private record Forwarding(AtomicReference<InboundSink> target) implements InboundSink {

        @Override
        public InboundResult deliver(InboundMessage message) {
            return target.get().deliver(message);
        }

        @Override
        public ReactionResult react(InboundReaction reaction) {
            return target.get().react(reaction);
        }
    }
}
