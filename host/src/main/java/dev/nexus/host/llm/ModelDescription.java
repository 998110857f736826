package dev.nexus.host.llm;

/**
 * What a language model is, for replies' metadata and error messages. Never holds a key. Immutable.
 *
 * @param provider {@code openai}, {@code ollama}, {@code anthropic} or {@code offline}
 * @param name the model name, e.g. {@code gpt-4o-mini}
 * @param baseUrl where it is reached; empty for the offline model
 * @param offline true for the host's offline default model
 */
public record ModelDescription(String provider, String name, String baseUrl, boolean offline) {

    /** Validates the description. */
    public ModelDescription {
        if (provider == null || provider.isBlank() || name == null || name.isBlank()) {
            throw new IllegalArgumentException("a model needs a provider and a name");
        }
        baseUrl = baseUrl == null ? "" : baseUrl;
    }

    /** Returns e.g. {@code openai model 'gpt-4o-mini' at https://api.openai.com/v1}, for messages. */
    public String label() {
        return offline ? "offline model '" + name + "'" : provider + " model '" + name + "' at " + baseUrl;
    }
}
