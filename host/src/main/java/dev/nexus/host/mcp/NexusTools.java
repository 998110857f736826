package dev.nexus.host.mcp;

import dev.nexus.host.NexusException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.conversation.ChatRequest;
import dev.nexus.host.conversation.ConversationService;
import dev.nexus.host.conversation.TurnResult;
import dev.nexus.host.memory.MemoryQuery;
import dev.nexus.host.memory.MemoryService;
import dev.nexus.host.memory.Remembered;
import dev.nexus.host.persona.PersonaPrompt;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityService;
import dev.nexus.host.persona.Registered;
import dev.nexus.host.persona.TraitRenderer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Nexus offers MCP clients: the {@code chat} tool (a real turn with a personality), the
 * {@code memory_search} tool, and every personality as a prompt (its rendered persona). Each call acts
 * as the caller's principal. Thread-safe.
 */
public final class NexusTools {

    static final String VERSION = "0.1.0";

    private final ConversationService conversations;
    private final PersonalityService personalities;
    private final MemoryService memory;
    private final PersonaPrompt persona = new PersonaPrompt(new TraitRenderer());
    private final String defaultPrompt;

    public NexusTools(
            ConversationService conversations,
            PersonalityService personalities,
            MemoryService memory,
            String defaultPrompt) {
        this.conversations = conversations;
        this.personalities = personalities;
        this.memory = memory;
        this.defaultPrompt = defaultPrompt;
    }

    /**
     * The user an MCP call acts for: the key's principal (its bound user, or {@code key:<id>} for a
     * key bound to nobody, such as an admin key).
     */
    static String user(Caller caller) {
        return caller.principal();
    }

    List<Map<String, Object>> list() {
        List<String> ids =
                personalities.list().stream().map(r -> r.id().value()).toList();
        Map<String, Object> chatSchema = Map.of(
                "type",
                "object",
                "properties",
                Map.of(
                        "personality",
                                Map.of("type", "string", "enum", ids, "description", "the personality to talk to"),
                        "message", Map.of("type", "string", "description", "what you say"),
                        "conversation",
                                Map.of(
                                        "type",
                                        "string",
                                        "description",
                                        "a conversation id from an earlier answer, to continue it; left out, a new one starts")),
                "required",
                List.of("personality", "message"));
        Map<String, Object> searchSchema = Map.of(
                "type",
                "object",
                "properties",
                Map.of(
                        "query", Map.of("type", "string", "description", "what to look for"),
                        "limit",
                                Map.of(
                                        "type",
                                        "integer",
                                        "minimum",
                                        1,
                                        "maximum",
                                        50,
                                        "description",
                                        "the most results (default 10)"),
                        "personality", Map.of("type", "string", "description", "only memories with this personality")),
                "required",
                List.of("query"));
        return List.of(
                tool(
                        "chat",
                        "Talk to a Nexus personality: runs a real turn (memory, knowledge, traits, tools) and returns its reply.",
                        chatSchema,
                        false),
                tool(
                        "memory_search",
                        "Search what Nexus remembers about you: facts and past conversation messages, best first.",
                        searchSchema,
                        true));
    }

    private static Map<String, Object> tool(
            String name, String description, Map<String, Object> schema, boolean readOnly) {
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("name", name);
        tool.put("description", description);
        tool.put("inputSchema", schema);
        tool.put("annotations", Map.of("readOnlyHint", readOnly, "openWorldHint", false));
        return tool;
    }

    /** Runs a tool; failures the caller can fix come back as {@code isError} results the model can read. */
    Map<String, Object> call(String name, Map<String, Object> arguments, Caller caller) {
        try {
            return switch (name) {
                case "chat" -> chat(arguments, caller);
                case "memory_search" -> search(arguments, caller);
                default ->
                    throw new McpRoutes.RpcError(
                            -32602, "there is no tool named '" + name + "'; tools are chat, memory_search");
            };
        } catch (NexusException e) {
            return Map.of("content", List.of(text(e.getMessage())), "isError", true);
        }
    }

    private Map<String, Object> chat(Map<String, Object> arguments, Caller caller) {
        String personality = arguments.get("personality") instanceof String p ? p : "";
        String message = arguments.get("message") instanceof String m ? m : "";
        Optional<String> conversation =
                arguments.get("conversation") instanceof String c ? Optional.of(c) : Optional.empty();
        TurnResult turn = conversations.chat(ChatRequest.api(personality, user(caller), conversation, message));
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("reply", turn.reply().content());
        structured.put("conversation", turn.reply().conversation());
        structured.put("message", turn.reply().id());
        structured.put("personality", personality);
        return Map.of(
                "content", List.of(text(turn.reply().content())), "structuredContent", structured, "isError", false);
    }

    private Map<String, Object> search(Map<String, Object> arguments, Caller caller) {
        String query = arguments.get("query") instanceof String q ? q : "";
        int limit = arguments.get("limit") instanceof Number n ? n.intValue() : 10;
        if (limit < 1 || limit > 50) {
            return Map.of("content", List.of(text("limit must be between 1 and 50, got " + limit)), "isError", true);
        }
        Optional<String> personality =
                arguments.get("personality") instanceof String p && !p.isBlank() ? Optional.of(p) : Optional.empty();
        List<Remembered> found = memory.search(new MemoryQuery(
                user(caller), personality, query, limit, Set.of(), Optional.empty(), Optional.empty(), true));
        StringBuilder text = new StringBuilder(found.isEmpty() ? "Nothing remembered matches." : "");
        List<Map<String, Object>> results = found.stream()
                .map(r -> {
                    text.append(text.isEmpty() ? "" : "\n")
                            .append("- ")
                            .append(r.text())
                            .append(" (")
                            .append(r.kind())
                            .append(")");
                    return Map.<String, Object>of("id", r.id(), "kind", r.kind(), "text", r.text(), "score", r.score());
                })
                .toList();
        return Map.of(
                "content",
                List.of(text(text.toString())),
                "structuredContent",
                Map.of("results", results),
                "isError",
                false);
    }

    List<Map<String, Object>> prompts() {
        return personalities.list().stream()
                .map(registered -> {
                    Personality p = registered.version().personality();
                    Map<String, Object> prompt = new LinkedHashMap<>();
                    prompt.put("name", p.id().value());
                    prompt.put("title", p.name());
                    prompt.put("description", p.description().isBlank() ? p.name() : p.description());
                    prompt.put(
                            "arguments",
                            List.of(Map.of(
                                    "name", "user", "description", "the name to address you by", "required", false)));
                    return prompt;
                })
                .toList();
    }

    Map<String, Object> prompt(String name, Map<String, Object> arguments, Caller caller) {
        Registered registered;
        try {
            registered = personalities.get(PersonalityId.of(name));
        } catch (RuntimeException e) {
            throw new McpRoutes.RpcError(
                    -32602, "there is no prompt named '" + name + "'; prompts are the personality ids");
        }
        Personality p = registered.version().personality();
        String user = arguments.get("user") instanceof String u && !u.isBlank() ? u : "User";
        return Map.of(
                "description",
                p.description().isBlank() ? p.name() : p.description(),
                "messages",
                List.of(Map.of("role", "user", "content", text(persona.section(p, user, defaultPrompt)))));
    }

    private static Map<String, Object> text(String text) {
        return Map.of("type", "text", "text", text);
    }
}
