package dev.nexus.host.conversation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One tool call made during a turn and what became of it: recorded in the reply's metadata
 * ({@code metadata.tools}) and announced on the chat stream. Immutable.
 *
 * @param round the tool round it belongs to, from 1
 * @param callId the model's id for the call
 * @param name the tool name the model asked for
 * @param arguments the arguments as the model wrote them
 * @param outcome what happened
 * @param proposal the approval proposal's id when the call awaits approval
 * @param forModel the text the model received as the result
 */
public record ToolUse(
        int round,
        String callId,
        String name,
        String arguments,
        ToolBox.Kind outcome,
        Optional<String> proposal,
        String forModel) {

    /** The most characters of the arguments and of an error kept in metadata. */
    static final int METADATA_CHARS = 1000;

    /** Validates. */
    public ToolUse {
        if (round < 1 || outcome == null) {
            throw new IllegalArgumentException("a tool use needs a round >= 1 and an outcome");
        }
        callId = callId == null ? "" : callId;
        name = name == null ? "" : name;
        arguments = arguments == null ? "" : arguments;
        proposal = proposal == null ? Optional.empty() : proposal;
        forModel = forModel == null ? "" : forModel;
    }

    /**
     * Returns the metadata entry: round, name, arguments and outcome; the proposal id for a call
     * awaiting approval, the error for a failed one, the result's length for a successful one (the
     * result itself is not stored).
     */
    Map<String, Object> metadata() {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("round", round);
        entry.put("callId", callId);
        entry.put("name", name);
        entry.put("arguments", cap(arguments));
        entry.put("outcome", outcome.label());
        switch (outcome) {
            case DONE -> entry.put("resultChars", forModel.length());
            case FAILED -> entry.put("error", cap(forModel));
            case AWAITING_APPROVAL -> entry.put("proposal", proposal.orElse(""));
        }
        return entry;
    }

    /** Returns the stream event's data: round, name, outcome and the proposal id when there is one. */
    Map<String, Object> event() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("round", round);
        data.put("callId", callId);
        data.put("name", name);
        data.put("outcome", outcome.label());
        proposal.ifPresent(id -> data.put("proposal", id));
        return data;
    }

    private static String cap(String text) {
        return text.length() <= METADATA_CHARS ? text : text.substring(0, METADATA_CHARS) + "…";
    }
}
