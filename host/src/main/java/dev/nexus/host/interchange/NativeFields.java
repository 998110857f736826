package dev.nexus.host.interchange;

import dev.nexus.host.llm.ModelChoice;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.Trait;
import dev.nexus.host.persona.Traits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The personality fields Character Cards have no place for (id, voice, style, values, traits,
 * knowledge packs, model override, avatar file name), carried in a card's
 * {@code data.extensions.nexus} so a Nexus personality survives export and re-import. Only fields
 * that differ from what an import would infer are written, so an imported card exports without
 * this key. Also decides the default traits of a card that says nothing about traits.
 *
 * <p>Default traits: {@link #DEFAULT_TRAITS} at 0.5, evolvable; their names are listed under the
 * personality extension {@value #DEFAULT_TRAITS_KEY} so the prompt renderer and evolution can tell a
 * trait the card's author chose from one Nexus assumed. Stateless.
 */
final class NativeFields {

    /** The card extension key holding these fields. */
    static final String CARD_KEY = "nexus";
    /** The personality extension listing trait names that were defaulted, not chosen by the author. */
    static final String DEFAULT_TRAITS_KEY = "nexus/default-traits";

    static final List<String> DEFAULT_TRAITS =
            List.of("warmth", "verbosity", "formality", "humor", "directness", "curiosity");

    private NativeFields() {}

    /** The traits given to a personality whose source says nothing about traits. */
    static Traits defaultTraits() {
        return Traits.of(
                DEFAULT_TRAITS.stream().map(name -> Trait.of(name, 0.5)).toList());
    }

    /** What a card's {@code nexus} extension says, with defaults for what it leaves out. */
    record Read(
            Optional<PersonalityId> id,
            String voice,
            List<String> style,
            List<String> values,
            Traits traits,
            List<String> defaultedTraits,
            List<String> knowledge,
            Optional<ModelChoice> model,
            Optional<String> avatar) {}

    /** Reads {@code extensions.nexus} (absent: everything defaults). */
    static Read read(Optional<JsonObject> nexus) {
        if (nexus.isEmpty()) {
            return new Read(
                    Optional.empty(),
                    "",
                    List.of(),
                    List.of(),
                    defaultTraits(),
                    DEFAULT_TRAITS,
                    List.of(),
                    Optional.empty(),
                    Optional.empty());
        }
        JsonObject n = nexus.get();
        Optional<PersonalityId> id = n.string("id").map(PersonalityId::of);
        Traits traits;
        List<String> defaulted;
        Optional<List<Object>> traitList = n.array("traits");
        if (traitList.isPresent()) {
            List<Trait> list = new ArrayList<>();
            for (int i = 0; i < traitList.get().size(); i++) {
                JsonObject t = JsonObject.element(traitList.get(), i, n.path("traits"));
                list.add(new Trait(
                        t.string("name").orElse(""),
                        t.number("value").orElse(0.5).doubleValue(),
                        t.bool("evolvable").orElse(true),
                        t.number("min").orElse(0).doubleValue(),
                        t.number("max").orElse(1).doubleValue()));
            }
            traits = Traits.of(list);
            defaulted = n.strings("defaultTraits").orElse(List.of());
        } else {
            traits = defaultTraits();
            defaulted = DEFAULT_TRAITS;
        }
        Optional<ModelChoice> model = n.object("model")
                .map(m -> new ModelChoice(
                        m.text("provider"),
                        m.text("name"),
                        m.number("temperature").map(Number::doubleValue)));
        return new Read(
                id,
                n.text("voice"),
                n.strings("style").orElse(List.of()),
                n.strings("values").orElse(List.of()),
                traits,
                defaulted,
                n.strings("knowledge").orElse(List.of()),
                model,
                n.string("avatar"));
    }

    /** Returns the {@code nexus} card extension for {@code personality}, or empty when nothing needs carrying. */
    static Optional<Map<String, Object>> write(Personality personality) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        if (!personality.id().equals(PersonalityId.slug(personality.name()))) {
            out.put("id", personality.id().value());
        }
        if (!personality.voice().isEmpty()) {
            out.put("voice", personality.voice());
        }
        if (!personality.style().isEmpty()) {
            out.put("style", personality.style());
        }
        if (!personality.values().isEmpty()) {
            out.put("values", personality.values());
        }
        List<String> defaulted = defaulted(personality);
        if (!(personality.traits().equals(defaultTraits()) && defaulted.equals(DEFAULT_TRAITS))) {
            List<Object> traits = new ArrayList<>();
            for (Trait trait : personality.traits().all()) {
                LinkedHashMap<String, Object> t = new LinkedHashMap<>();
                t.put("name", trait.name());
                t.put("value", trait.value());
                t.put("evolvable", trait.evolvable());
                t.put("min", trait.min());
                t.put("max", trait.max());
                traits.add(Collections.unmodifiableMap(t));
            }
            out.put("traits", List.copyOf(traits));
            if (!defaulted.isEmpty()) {
                out.put("defaultTraits", defaulted);
            }
        }
        if (!personality.knowledge().isEmpty()) {
            out.put("knowledge", personality.knowledge());
        }
        personality.model().ifPresent(model -> {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("provider", model.provider());
            m.put("name", model.name());
            model.temperature().ifPresent(t -> m.put("temperature", t));
            out.put("model", Collections.unmodifiableMap(m));
        });
        personality.avatar().ifPresent(avatar -> out.put("avatar", avatar));
        return out.isEmpty() ? Optional.empty() : Optional.of(Collections.unmodifiableMap(out));
    }

    /** The trait names marked as defaulted in {@code personality}'s extensions. */
    static List<String> defaulted(Personality personality) {
        return personality.extensions().get(DEFAULT_TRAITS_KEY) instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : List.of();
    }
}
