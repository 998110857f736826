package dev.nexus.host.interchange;

/** The format an imported file was recognised as, from its content (never from its name). */
public enum SourceFormat {
    /** Character Card V1: the six V1 fields at the top level of a JSON object. */
    CHARACTER_CARD_V1,
    /** Character Card V2 JSON ({@code "spec": "chara_card_v2"}). */
    CHARACTER_CARD_V2,
    /** Character Card V3 JSON ({@code "spec": "chara_card_v3"}). */
    CHARACTER_CARD_V3,
    /** A PNG or APNG carrying a card in a {@code ccv3} or {@code chara} tEXt chunk. */
    PNG,
    /** A CHARX zip ({@code card.json} plus {@code assets/}). */
    CHARX,
    /** An ElizaOS 0.x character file. */
    ELIZA_V0,
    /** An ElizaOS 1.x character file. */
    ELIZA_V1,
    /** An ElizaOS 2 (protobuf-generated types) character file. */
    ELIZA_V2,
    /** A standalone V3 lorebook ({@code "spec": "lorebook_v3"}). */
    LOREBOOK_V3,
    /** A SillyTavern World Info file ({@code {"entries": {"<uid>": {...}}}}). */
    WORLD_INFO,
    /** Nexus's own personality format. */
    NATIVE
}
