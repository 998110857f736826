package dev.nexus.host.memory;

import dev.nexus.host.llm.LanguageModel;
import dev.nexus.host.llm.ModelMessage;
import dev.nexus.host.llm.ModelRequest;
import java.util.List;
import java.util.Optional;

/**
 * Summarises one old conversation with the configured language model for consolidation: a few
 * sentences in the third person about what the user told, instead of pasted quotes. An empty or
 * failing answer throws, and consolidation then falls back to quoting the most important messages.
 * Thread-safe; blocks on the model (it runs on the consolidation schedule).
 */
public final class ModelSummariser {

    /** What the summariser's requests start with (a test's fake model server recognises them by it). */
    static final String INSTRUCTIONS = """
            You summarise one past conversation between a user and an assistant for the assistant's long-term memory.
            Write 1 to 4 short sentences in the third person ("The user ..."): what the user told about their life,
            people, plans, feelings and decisions, with names, places and numbers kept. No quotes, no small talk,
            nothing about the assistant. If the user told nothing worth keeping, answer NOTHING.""";

    private final LanguageModel model;
    private final int maxChars;

    /**
     * @param model the configured (non-offline) language model
     * @param maxChars the longest summary kept ({@code memory.max-fact-chars}); longer answers are cut
     */
    public ModelSummariser(LanguageModel model, int maxChars) {
        this.model = model;
        this.maxChars = maxChars;
    }

    /**
     * Returns the summary of a conversation's messages (oldest first), or empty when the model says
     * there is nothing worth keeping.
     *
     * @throws RuntimeException when the model fails or answers nothing
     */
    Optional<String> summarise(List<Episode> conversation) {
        StringBuilder transcript = new StringBuilder();
        for (Episode e : conversation) {
            transcript
                    .append(e.role().equals("user") ? "User: " : "Assistant: ")
                    .append(e.text().strip())
                    .append('\n');
        }
        String answer = model.chat(new ModelRequest(
                        INSTRUCTIONS,
                        List.of(ModelMessage.user("Conversation:\n" + transcript)),
                        List.of(),
                        300,
                        Optional.empty()))
                .text()
                .strip();
        if (answer.isEmpty()) {
            throw new IllegalStateException(
                    "model " + model.description().label() + " answered a summary request with nothing");
        }
        if (answer.equalsIgnoreCase("NOTHING") || answer.equalsIgnoreCase("NOTHING.")) {
            return Optional.empty();
        }
        return Optional.of(answer.length() > maxChars ? answer.substring(0, maxChars) : answer);
    }
}
