package dev.nexus.host.persona;

import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.llm.ModelChoice;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One version of a personality, in the native model every source (bundles, plugins, API, imported
 * cards) is converted into. Immutable; a change makes a new version (see the registry).
 *
 * <p>Text fields are never null (empty when unset). {@code extensions} holds data we do not model,
 * as JDK maps/lists/scalars, and must survive every load, save, import and export untouched;
 * importers keep format-specific unknown fields under a namespaced key (e.g. {@code "nexus/ccv3"}).
 *
 * @param id the stable id
 * @param name display name ({@code {{char}}})
 * @param description the main description, always in the prompt
 * @param summary a short personality summary (Character Card {@code personality})
 * @param scenario the current circumstances (Character Card {@code scenario})
 * @param voice voice and tone in a phrase or two, e.g. "calm, unhurried, precise"
 * @param style style rules, one instruction each
 * @param values what the personality cares about, one value each
 * @param traits the trait vector with per-trait evolvability and bounds
 * @param systemPrompt the system-prompt template ({@code {{char}}}, {@code {{user}}}, {@code {{original}}}
 *     macros); empty means the host's default template
 * @param postHistoryInstructions instructions placed after the conversation history; may use {@code {{original}}}
 * @param greetings greetings; the first is the default, the rest are alternates
 * @param examples example conversations, each a list of turns
 * @param knowledge ids of knowledge packs this personality uses
 * @param lore the personality's own lore entries (a Character Card {@code character_book})
 * @param creatorNotes notes for people, never put into a prompt
 * @param tags free tags for filtering, never put into a prompt
 * @param creator who made it
 * @param characterVersion the author's own version label
 * @param model an optional per-personality language-model override
 * @param avatar the file name of the avatar image beside the bundle, if any
 * @param extensions opaque data that round-trips untouched
 */
public record Personality(
        PersonalityId id,
        String name,
        String description,
        String summary,
        String scenario,
        String voice,
        List<String> style,
        List<String> values,
        Traits traits,
        String systemPrompt,
        String postHistoryInstructions,
        List<String> greetings,
        List<List<ExampleTurn>> examples,
        List<String> knowledge,
        List<LoreEntry> lore,
        String creatorNotes,
        List<String> tags,
        String creator,
        String characterVersion,
        Optional<ModelChoice> model,
        Optional<String> avatar,
        Map<String, Object> extensions) {

    /** The longest name the native document accepts (what {@code PUT} checks; imports cut longer names). */
    public static final int MAX_NAME_CHARS = 120;

    /** Validates required fields, replaces absent text with empty text and copies collections. */
    public Personality {
        if (id == null) {
            throw new IllegalArgumentException("personality id is required");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("personality '" + id + "' needs a name");
        }
        description = text(description);
        summary = text(summary);
        scenario = text(scenario);
        voice = text(voice);
        style = list(style);
        values = list(values);
        traits = traits == null ? Traits.none() : traits;
        systemPrompt = text(systemPrompt);
        postHistoryInstructions = text(postHistoryInstructions);
        greetings = list(greetings);
        examples = examples == null
                ? List.of()
                : examples.stream().map(List::copyOf).toList();
        knowledge = list(knowledge);
        lore = list(lore);
        creatorNotes = text(creatorNotes);
        tags = list(tags);
        creator = text(creator);
        characterVersion = text(characterVersion);
        model = model == null ? Optional.empty() : model;
        avatar = avatar == null ? Optional.empty() : avatar;
        extensions = extensions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /** Returns a copy with the trait values replaced (bounds and flags kept). */
    public Personality withTraits(Traits newTraits) {
        return new Personality(
                id,
                name,
                description,
                summary,
                scenario,
                voice,
                style,
                values,
                newTraits,
                systemPrompt,
                postHistoryInstructions,
                greetings,
                examples,
                knowledge,
                lore,
                creatorNotes,
                tags,
                creator,
                characterVersion,
                model,
                avatar,
                extensions);
    }

    /** Returns a minimal personality with just an id, a name and a description; for tests and defaults. */
    public static Personality minimal(String id, String name, String description) {
        return new Personality(
                PersonalityId.of(id),
                name,
                description,
                "",
                "",
                "",
                List.of(),
                List.of(),
                Traits.none(),
                "",
                "",
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                "",
                List.of(),
                "",
                "",
                Optional.empty(),
                Optional.empty(),
                Map.of());
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }
}
