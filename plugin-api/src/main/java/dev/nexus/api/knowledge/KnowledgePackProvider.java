package dev.nexus.api.knowledge;

import dev.nexus.api.PluginExtension;
import java.util.List;

/**
 * Contributes thematic knowledge packs (facts and keyword-activated lore) that personalities can
 * use. The host calls {@link #packs()} after {@link #start} (see {@link PluginExtension}) and when the plugin is restarted;
 * results are cached by the host. Must be side-effect free and thread-safe. Pack ids must be unique
 * within the provider; the host reports clashes across providers.
 */
public interface KnowledgePackProvider extends PluginExtension {

    /** Returns this provider's packs; never null, possibly empty. */
    List<KnowledgePack> packs();
}
