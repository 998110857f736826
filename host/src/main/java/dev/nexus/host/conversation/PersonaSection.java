package dev.nexus.host.conversation;

import dev.nexus.host.persona.Personality;

/**
 * Renders a personality into the persona part of the system prompt and its post-history
 * instructions. The seam between the prompt composer and the persona feature's renderer.
 */
interface PersonaSection {

    /** Returns the persona section: template or default prompt, description, voice, style, values, trait instructions. */
    String section(Personality personality, String user);

    /** Returns the instructions placed after the history; empty when the personality has none. */
    String postHistory(Personality personality, String user);

    /**
     * Expands the macros of any other text that reaches the model for this personality and user (a
     * greeting, an example turn, lore, knowledge), to a fixed point.
     */
    default String expand(Personality personality, String user, String text) {
        return dev.nexus.host.persona.PersonaPrompt.expand(text, personality.name(), user, "");
    }
}
