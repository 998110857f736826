package dev.nexus.host.llm;

import java.util.Optional;

/**
 * A language-model override (a personality's own model): which provider, model and temperature.
 * Owned by this package, which decides what a choice means; stored by personas. Immutable.
 *
 * @param provider one of the configured provider kinds ({@code openai}, {@code ollama}, {@code anthropic}, {@code offline})
 * @param name the model name, e.g. {@code gpt-4o-mini}
 * @param temperature an optional sampling temperature in [0, 2]
 */
public record ModelChoice(String provider, String name, Optional<Double> temperature) {

    /** Validates the choice. */
    public ModelChoice {
        if (provider == null || provider.isBlank()) {
            throw new dev.nexus.host.InvalidInputException("model override needs a provider");
        }
        name = name == null ? "" : name;
        temperature = temperature == null ? Optional.empty() : temperature;
    }
}
