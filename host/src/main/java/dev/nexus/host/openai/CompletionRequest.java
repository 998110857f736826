package dev.nexus.host.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an OpenAI chat completion request Nexus uses. Lenient about the fields it ignores
 * (sampling parameters, tools, response formats: clients send them by default), strict about the ones
 * it reads. Immutable.
 *
 * @param model the personality id
 * @param history the user and assistant messages before the last one, in order (system, developer and
 *     tool messages are left out: the personality writes the system prompt and runs its own tools)
 * @param message the last message, which must be the user's
 * @param user the OpenAI {@code user} field, if sent
 * @param stream whether to answer as Server-Sent Events
 * @param includeUsage whether a stream ends with a usage chunk ({@code stream_options.include_usage})
 */
record CompletionRequest(
        String model, List<Turn> history, String message, Optional<String> user, boolean stream, boolean includeUsage) {

    /** One message of the client's history. */
    record Turn(String role, String content) {}

    CompletionRequest {
        history = List.copyOf(history);
    }

    /** Reads a request body; bad fields are {@link OpenAiInvalid}s naming the parameter. */
    static CompletionRequest parse(Map<String, Object> body) {
        if (!(body.get("model") instanceof String model) || model.isBlank()) {
            throw new OpenAiInvalid("model", null, "model is required: a personality id (GET /v1/models lists them)");
        }
        if (body.get("n") != null && !(body.get("n") instanceof Number n && n.intValue() == 1)) {
            throw new OpenAiInvalid(
                    "n",
                    null,
                    "n must be 1: Nexus writes one reply per request "
                            + "(POST /v1/messages/{id}/regenerate stores alternatives)");
        }
        boolean stream = flag(body, "stream");
        boolean usage = false;
        if (body.get("stream_options") instanceof Map<?, ?> options) {
            usage = options.get("include_usage") instanceof Boolean include && include;
        } else if (body.get("stream_options") != null) {
            throw new OpenAiInvalid(
                    "stream_options", null, "stream_options must be an object such as {\"include_usage\": true}");
        }
        Optional<String> user = Optional.empty();
        if (body.get("user") instanceof String text && !text.isBlank()) {
            user = Optional.of(text.strip());
        } else if (body.get("user") != null && !(body.get("user") instanceof String)) {
            throw new OpenAiInvalid("user", null, "user must be a string");
        }
        List<Turn> turns = messages(body.get("messages"));
        Turn last = turns.get(turns.size() - 1);
        if (!last.role().equals("user")) {
            throw new OpenAiInvalid(
                    "messages",
                    null,
                    "the last message must have role 'user', got '" + last.role()
                            + "': Nexus answers the user's latest message");
        }
        List<Turn> history = turns.subList(0, turns.size() - 1).stream()
                .filter(turn -> turn.role().equals("user") || turn.role().equals("assistant"))
                .filter(turn -> !turn.content().isEmpty())
                .toList();
        return new CompletionRequest(model.strip(), history, last.content(), user, stream, usage);
    }

    /** The history with the last message: what the client will send back, before the reply. */
    List<Turn> withMessage() {
        List<Turn> all = new ArrayList<>(history);
        all.add(new Turn("user", message));
        return all;
    }

    private static boolean flag(Map<String, Object> body, String name) {
        Object value = body.get(name);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean bool) {
            return bool;
        }
        throw new OpenAiInvalid(name, null, name + " must be true or false");
    }

    private static List<Turn> messages(Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new OpenAiInvalid("messages", null, "messages must be a non-empty array of {role, content}");
        }
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> message) || !(message.get("role") instanceof String role)) {
                throw new OpenAiInvalid(
                        "messages[" + i + "]", null, "messages[" + i + "] must be an object with a string 'role'");
            }
            if (!List.of("system", "developer", "user", "assistant", "tool").contains(role)) {
                throw new OpenAiInvalid(
                        "messages[" + i + "].role",
                        null,
                        "messages[" + i + "].role must be system, developer, " + "user, assistant or tool, got '"
                                + dev.nexus.host.InvalidInputException.cap(role) + "'");
            }
            turns.add(new Turn(role, content(message.get("content"), i)));
        }
        return turns;
    }

    /** Content is a string, null (assistant messages with tool calls) or an array of parts, of which text ones count. */
    private static String content(Object content, int index) {
        if (content == null) {
            return "";
        }
        if (content instanceof String text) {
            return text;
        }
        if (content instanceof List<?> parts) {
            StringBuilder text = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof Map<?, ?> map
                        && "text".equals(map.get("type"))
                        && map.get("text") instanceof String piece) {
                    text.append(piece);
                } else if (part instanceof Map<?, ?> map && map.get("type") instanceof String type) {
                    throw new OpenAiInvalid(
                            "messages[" + index + "].content",
                            null,
                            "content parts of type '" + dev.nexus.host.InvalidInputException.cap(type)
                                    + "' are not supported; Nexus reads text parts only");
                } else {
                    throw new OpenAiInvalid(
                            "messages[" + index + "].content",
                            null,
                            "messages[" + index
                                    + "].content parts must be objects such as {\"type\":\"text\",\"text\":\"…\"}");
                }
            }
            return text.toString();
        }
        throw new OpenAiInvalid(
                "messages[" + index + "].content",
                null,
                "messages[" + index + "].content must be a string or an array of parts");
    }
}
