package dev.nexus.host.interchange;

import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small edits of a personality's interchange bookkeeping. Stateless. */
final class Bookkeeping {

    private Bookkeeping() {}

    /** Returns {@code p} with {@code extensions} replacing its extensions. */
    static Personality withExtensions(Personality p, Map<String, Object> extensions) {
        return new Personality(
                p.id(),
                p.name(),
                p.description(),
                p.summary(),
                p.scenario(),
                p.voice(),
                p.style(),
                p.values(),
                p.traits(),
                p.systemPrompt(),
                p.postHistoryInstructions(),
                p.greetings(),
                p.examples(),
                p.knowledge(),
                p.lore(),
                p.creatorNotes(),
                p.tags(),
                p.creator(),
                p.characterVersion(),
                p.model(),
                p.avatar(),
                extensions);
    }

    /** Returns {@code p} with another id. */
    static Personality withId(Personality p, PersonalityId id) {
        return new Personality(
                id,
                p.name(),
                p.description(),
                p.summary(),
                p.scenario(),
                p.voice(),
                p.style(),
                p.values(),
                p.traits(),
                p.systemPrompt(),
                p.postHistoryInstructions(),
                p.greetings(),
                p.examples(),
                p.knowledge(),
                p.lore(),
                p.creatorNotes(),
                p.tags(),
                p.creator(),
                p.characterVersion(),
                p.model(),
                p.avatar(),
                p.extensions());
    }

    /**
     * Returns {@code p} without the kept V3 {@code assets} (a CHARX whose only asset is the main icon
     * that CHARX export writes anyway, so it need not be remembered).
     */
    static Personality withoutAssets(Personality p) {
        if (!(p.extensions().get(CardReader.BOOKKEEPING) instanceof Map<?, ?> card
                && card.get("v3") instanceof Map<?, ?> v3)) {
            return p;
        }
        LinkedHashMap<String, Object> newV3 = new LinkedHashMap<>(LoreMapping.castMap(v3));
        newV3.remove("assets");
        LinkedHashMap<String, Object> newCard = new LinkedHashMap<>(LoreMapping.castMap(card));
        if (newV3.isEmpty()) {
            newCard.remove("v3");
        } else {
            newCard.put("v3", Collections.unmodifiableMap(newV3));
        }
        LinkedHashMap<String, Object> extensions = new LinkedHashMap<>(p.extensions());
        extensions.put(CardReader.BOOKKEEPING, Collections.unmodifiableMap(newCard));
        return withExtensions(p, extensions);
    }
}
