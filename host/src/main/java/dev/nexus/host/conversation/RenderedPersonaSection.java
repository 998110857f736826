package dev.nexus.host.conversation;

import dev.nexus.host.persona.PersonaPrompt;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.TraitRenderer;

/**
 * The persona section from the persona feature's renderer: template (or the host's default prompt),
 * description, voice, style, values and one instruction per trait. Immutable.
 */
final class RenderedPersonaSection implements PersonaSection {

    private final PersonaPrompt prompt = new PersonaPrompt(new TraitRenderer());
    private final String defaultPrompt;

    RenderedPersonaSection(String defaultPrompt) {
        this.defaultPrompt = defaultPrompt;
    }

    @Override
    public String section(Personality personality, String user) {
        return prompt.section(personality, user, defaultPrompt);
    }

    @Override
    public String postHistory(Personality personality, String user) {
        return prompt.postHistory(personality, user, defaultPrompt);
    }

    @Override
    public String expand(Personality personality, String user, String text) {
        return PersonaPrompt.expand(text, personality.name(), user, defaultPrompt);
    }
}
