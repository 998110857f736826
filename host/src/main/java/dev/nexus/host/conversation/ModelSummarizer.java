package dev.nexus.host.conversation;

import dev.nexus.host.DependencyException;
import dev.nexus.host.llm.LanguageModel;
import dev.nexus.host.llm.ModelMessage;
import dev.nexus.host.llm.ModelRequest;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Summarises with the configured language model, falling back to {@link ExtractiveSummarizer} when
 * the model fails (the summary is an optimisation; a turn never fails because of it). Thread-safe.
 */
final class ModelSummarizer implements Summarizer {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSummarizer.class);
    private static final String INSTRUCTIONS = """
            You maintain the running summary of a conversation between a user and an AI personality ("you").
            Merge the earlier summary with the new messages into one concise summary in the third person:
            facts the user shared, decisions, open questions, and the tone of the exchange. Keep names and
            numbers exact. Write at most %d words. Reply with the summary only.""";

    private final LanguageModel model;
    private final Summarizer fallback = new ExtractiveSummarizer();

    ModelSummarizer(LanguageModel model) {
        this.model = model;
    }

    @Override
    public String summarize(String previous, List<StoredMessage> messages, int maxTokens) {
        StringBuilder transcript = new StringBuilder();
        if (!previous.isBlank()) {
            transcript.append("Earlier summary:\n").append(previous.strip()).append("\n\n");
        }
        transcript.append("New messages:\n");
        for (StoredMessage message : messages) {
            transcript
                    .append(message.fromAssistant() ? "You: " : "User: ")
                    .append(message.content().strip())
                    .append('\n');
        }
        ModelRequest request = new ModelRequest(
                INSTRUCTIONS.formatted(Math.max(30, maxTokens * 3 / 4)),
                List.of(ModelMessage.user(transcript.toString())),
                List.of(),
                maxTokens,
                Optional.empty());
        try {
            String summary = model.chat(request).text().strip();
            return summary.isEmpty() ? fallback.summarize(previous, messages, maxTokens) : summary;
        } catch (DependencyException e) {
            LOG.warn(
                    "summarising with {} failed, using the extractive summary instead: {}",
                    model.description().label(),
                    e.getMessage());
            return fallback.summarize(previous, messages, maxTokens);
        }
    }
}
