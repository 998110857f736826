package dev.nexus.api;

import java.time.Clock;
import java.util.Optional;

/**
 * The one narrow door from a plugin into the host. Each plugin gets its own context; it never
 * sees PF4J's manager, the database, the HTTP server or another plugin's configuration.
 *
 * <p>Implementations are thread-safe. The context is valid from the plugin's start until its stop.
 */
public interface PluginContext {

    /** Returns the id of the plugin this context belongs to (its {@code Plugin-Id}). */
    String pluginId();

    /** Returns this plugin's own configuration section; empty when none is configured. */
    PluginConfig config();

    /**
     * Returns the secret named {@code name} from this plugin's secrets, or empty. Secrets come from
     * the environment ({@code NEXUS_SECRET_<PLUGIN_ID>_<NAME>}, upper case, dashes as underscores),
     * which wins, or else from the host's encrypted credential vault, where an admin sets them with
     * {@code PUT /v1/secrets/<plugin-id>/<name>}. Names are matched without regard to case, dashes,
     * underscores or dots ({@code bot-token}, {@code BOT_TOKEN}). A plugin sees only its own secrets.
     *
     * <p>The value is read at each call, so a secret set or changed through the API takes effect at the
     * plugin's next call: read it where it is used rather than once at start when that matters. Values
     * are never logged by the host; a plugin must not log them either. Thread-safe.
     *
     * @throws IllegalStateException when the vault holds the secret but cannot open it (this host's
     *     master key differs from the one it was sealed with); the message names the fix, never the value
     */
    Optional<String> secret(String name);

    /** Returns the clock a plugin should use instead of {@code Instant.now()}, so tests can control time. */
    Clock clock();

    /** Returns the logger name the host uses for this plugin's messages ({@code nexus.plugin.<id>}). */
    String loggerName();

    /** Returns a scheduler for this plugin's own periodic or delayed work; cancelled when the plugin stops. */
    PluginScheduler scheduler();

    /**
     * Returns the port through which a {@link dev.nexus.api.platform.PlatformConnector} hands inbound
     * messages to the host.
     */
    dev.nexus.api.platform.InboundSink inbound();

    /**
     * Returns this plugin's persistent key-value store: namespaced by the plugin's id, kept in the
     * host's database and so shared by every host on it (see {@link PluginStore} for its limits).
     */
    PluginStore store();
}
