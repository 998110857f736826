package dev.nexus.host.conversation;

import dev.nexus.host.llm.TokenEstimate;
import java.util.ArrayList;
import java.util.List;

/**
 * Summarises without a model: keeps the first sentence of each message, labelled by speaker, and
 * drops the oldest lines when the summary grows past its budget. Crude but honest and deterministic.
 * Stateless.
 */
final class ExtractiveSummarizer implements Summarizer {

    private static final int MAX_LINE_CHARS = 200;

    @Override
    public String summarize(String previous, List<StoredMessage> messages, int maxTokens) {
        List<String> lines = new ArrayList<>();
        if (!previous.isBlank()) {
            previous.lines().filter(line -> !line.isBlank()).forEach(lines::add);
        }
        for (StoredMessage message : messages) {
            String gist = firstSentence(message.content());
            if (!gist.isEmpty()) {
                lines.add("- " + (message.fromAssistant() ? "You said: " : "The user said: ") + gist);
            }
        }
        while (lines.size() > 1 && TokenEstimate.of(String.join("\n", lines)) > maxTokens) {
            lines.remove(0);
        }
        return String.join("\n", lines);
    }

    static String firstSentence(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        int end = -1;
        for (int i = 0; i < flat.length() - 1; i++) {
            char c = flat.charAt(i);
            if ((c == '.' || c == '!' || c == '?') && flat.charAt(i + 1) == ' ') {
                end = i + 1;
                break;
            }
        }
        String sentence = end > 0 ? flat.substring(0, end) : flat;
        return sentence.length() <= MAX_LINE_CHARS
                ? sentence
                : sentence.substring(0, MAX_LINE_CHARS - 1).strip() + "…";
    }
}
