package dev.nexus.host.llm;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model used when none is configured. It does not generate language: its request's
 * {@link Grounding} composes the reply (the personality's greeting, examples, values and traits with
 * what was recalled for the turn). Deterministic: the same request gives the same reply. Every reply is marked
 * offline through its {@link ModelDescription}. Stateless and thread-safe.
 */
final class OfflineModel implements LanguageModel {

    static final ModelDescription DESCRIPTION = new ModelDescription("offline", "nexus-offline", "", true);

    private static final Pattern PIECE = Pattern.compile("\\S+\\s*|\\s+");

    @Override
    public ModelReply chat(ModelRequest request) {
        String text = compose(request);
        return new ModelReply(text, usage(request, text), FinishReason.STOP, DESCRIPTION, List.of());
    }

    @Override
    public ModelReply stream(ModelRequest request, TokenSink sink) {
        String text = compose(request);
        StringBuilder sent = new StringBuilder();
        Matcher pieces = PIECE.matcher(text);
        while (pieces.find()) {
            sent.append(pieces.group());
            if (!sink.accept(pieces.group())) {
                String partial = sent.toString();
                return new ModelReply(partial, usage(request, partial), FinishReason.CANCELLED, DESCRIPTION, List.of());
            }
        }
        return new ModelReply(text, usage(request, text), FinishReason.STOP, DESCRIPTION, List.of());
    }

    @Override
    public ModelDescription description() {
        return DESCRIPTION;
    }

    private static String compose(ModelRequest request) {
        String message = request.lastUserText();
        return request.grounding()
                .map(grounding -> grounding.offlineReply(message))
                .orElseGet(() ->
                        "I am Nexus's offline model. No language model is configured, so I cannot compose an answer to \""
                                + (message.length() <= 80
                                        ? message
                                        : message.substring(0, 79).strip() + "…")
                                + "\" without a personality to answer as.");
    }

    private static TokenUsage usage(ModelRequest request, String reply) {
        int input = TokenEstimate.of(request.systemPrompt());
        for (ModelMessage message : request.messages()) {
            input += TokenEstimate.ofMessage(message.text());
        }
        return new TokenUsage(input, TokenEstimate.of(reply));
    }
}
