package dev.nexus.host.conversation;

import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.Trait;

/**
 * A plain persona section used until the persona feature's renderer is wired in: template or
 * default prompt, description, voice, style, values and the raw trait values. Stateless.
 */
final class MinimalPersonaSection implements PersonaSection {

    private final String defaultPrompt;

    MinimalPersonaSection(String defaultPrompt) {
        this.defaultPrompt = defaultPrompt;
    }

    @Override
    public String section(Personality personality, String user) {
        StringBuilder out = new StringBuilder();
        out.append(personality.systemPrompt().isBlank() ? defaultPrompt : personality.systemPrompt()).append("\n\n");
        out.append("## ").append(personality.name()).append('\n').append(personality.description().strip()).append('\n');
        if (!personality.voice().isBlank()) {
            out.append("\nVoice and tone: ").append(personality.voice().strip()).append('\n');
        }
        if (!personality.style().isEmpty()) {
            out.append("\nStyle:\n");
            personality.style().forEach(rule -> out.append("- ").append(rule.strip()).append('\n'));
        }
        if (!personality.values().isEmpty()) {
            out.append("\nValues:\n");
            personality.values().forEach(value -> out.append("- ").append(value.strip()).append('\n'));
        }
        if (!personality.traits().isEmpty()) {
            out.append("\nTraits (0 to 1):\n");
            for (Trait trait : personality.traits().all()) {
                out.append("- ").append(trait.name()).append(": ").append(String.format(java.util.Locale.ROOT, "%.2f", trait.value())).append('\n');
            }
        }
        return expand(out.toString().strip(), personality, user);
    }

    @Override
    public String postHistory(Personality personality, String user) {
        return expand(personality.postHistoryInstructions().strip(), personality, user);
    }

    private String expand(String text, Personality personality, String user) {
        return text.replace("{{char}}", personality.name()).replace("{{user}}", user).replace("{{original}}", defaultPrompt);
    }
}
