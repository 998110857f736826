package dev.nexus.host.interchange;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.host.persona.Personality;
import java.util.List;
import java.util.Optional;

/**
 * A personality read from an interchange file, not yet stored anywhere. Immutable.
 *
 * @param personality the personality in the native model; everything the file held that the model
 *     does not is in its extensions and is written back on export
 * @param avatar the image that came with it (a PNG card's image without its card chunks, a CHARX
 *     main icon), to store beside the personality
 * @param knowledgePacks knowledge packs the personality refers to in {@code knowledge()} and that
 *     were made from the file (ElizaOS knowledge strings); register them with the knowledge packs
 * @param format what the file was recognised as
 * @param warnings what was changed, guessed or left out, for the person importing
 */
public record Imported(
        Personality personality,
        Optional<Avatar> avatar,
        List<KnowledgePack> knowledgePacks,
        SourceFormat format,
        List<String> warnings) {

    /** Copies the lists. */
    public Imported {
        avatar = avatar == null ? Optional.empty() : avatar;
        knowledgePacks = List.copyOf(knowledgePacks);
        warnings = List.copyOf(warnings);
    }
}
