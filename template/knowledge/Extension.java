package @PACKAGE@;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.KnowledgePackProvider;
import dev.nexus.api.knowledge.LoreEntry;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code @ID@} knowledge pack. Replace the topics, facts and lore with your own; longer content
 * belongs in resource files next to this class (read them with {@code getClass().getResourceAsStream}),
 * as the first-party {@code knowledge-starter} plugin does.
 */
@Extension
public final class @CLASS@ implements KnowledgePackProvider {

    // Built once: the host caches the packs and expects the same ones on every call.
    private static final List<KnowledgePack> PACKS = List.of(new KnowledgePack(
            "@ID@",
            "@TITLE@",
            "1.0.0",
            "general",
            // Topics make the whole pack relevant to a message (whole words, any letter case).
            List.of("lighthouse", "lighthouses"),
            // Facts: standalone statements the personality may rely on.
            List.of("A lighthouse's light pattern (its character) identifies it to ships at night.",
                    "The Fresnel lens, invented in 1822, lets a small lamp be seen over 20 nautical miles away."),
            // Lore: entries that activate when their keys appear in the conversation.
            List.of(LoreEntry.simple("@ID@-fog-signal", List.of("fog", "foghorn"),
                    "In fog, lighthouses sound a fog signal with its own pattern, as the light has its own character."))));

    @Override
    public List<KnowledgePack> packs() {
        return PACKS;
    }
}
