package dev.nexus.api.knowledge;

import dev.nexus.api.PluginContext;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Contributes thematic knowledge packs (facts and keyword-activated lore) that personalities can
 * use. The host calls {@link #packs(PluginContext)} at start-up and when the plugin is restarted;
 * results are cached by the host. Must be side-effect free and thread-safe. Pack ids must be unique
 * within the provider; the host reports clashes across providers.
 */
public interface KnowledgePackProvider extends ExtensionPoint {

    /** Returns this provider's packs; never null, possibly empty. */
    List<KnowledgePack> packs(PluginContext context);
}
