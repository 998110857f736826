package dev.nexus.host.conversation;

import dev.nexus.host.llm.ModelMessage;
import dev.nexus.host.llm.ModelRequest;
import dev.nexus.host.llm.TokenEstimate;
import dev.nexus.host.persona.PersonaGrounding;
import dev.nexus.host.persona.Personality;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the prompt of one turn within an estimated token budget, in this order:
 * <ol>
 *   <li>the system prompt, always first and always whole: the persona section, then the recalled
 *       knowledge and memories (best first, within the recall share of the budget), then the summary
 *       of older turns;</li>
 *   <li>the personality's example dialogue as few-shot messages (whole example conversations, in
 *       order, between two short system notes), within a quarter of the budget the system prompt
 *       leaves;</li>
 *   <li>a window of the most recent messages, newest kept first, as many as fit (a new
 *       conversation's first message is the personality's greeting);</li>
 *   <li>the new user message;</li>
 *   <li>the personality's post-history instructions, last.</li>
 * </ol>
 * What does not fit is left out, never cut mid-message (except an over-long summary, which is
 * shortened). Every text from the personality or its knowledge has its macros expanded
 * ({@link PersonaSection#expand}). Stateless and thread-safe.
 */
final class PromptComposer {

    /** What went into a prompt. Immutable. */
    record Prompt(
            ModelRequest request,
            int estimatedTokens,
            List<String> memoryIds,
            List<String> knowledgeIds,
            int windowMessages,
            int omittedMessages,
            boolean summaryIncluded,
            int exampleMessages) {

        Prompt(
                ModelRequest request,
                int estimatedTokens,
                List<String> memoryIds,
                List<String> knowledgeIds,
                int windowMessages,
                int omittedMessages,
                boolean summaryIncluded) {
            this(
                    request,
                    estimatedTokens,
                    memoryIds,
                    knowledgeIds,
                    windowMessages,
                    omittedMessages,
                    summaryIncluded,
                    0);
        }
    }

    /** The note before the example dialogue; {@code {{char}}} is expanded. */
    static final String EXAMPLES_START = "Example dialogue showing how {{char}} talks (not part of this conversation):";
    /** The note after the example dialogue. */
    static final String EXAMPLES_END = "End of the examples. The real conversation starts now.";

    /**
     * Everything a prompt is made from. Immutable.
     *
     * @param personality the personality version's content
     * @param user the user's id or name
     * @param history earlier messages not yet folded into the summary, oldest first
     * @param summary the summary of older messages, empty when none
     * @param message the new user message
     * @param recalled what memory and knowledge found
     * @param budget the estimated tokens the prompt may use (context minus reply)
     * @param recallBudget the estimated tokens recalled items may use
     * @param windowLimit the most history messages to include
     * @param firstTurn true when the personality has not replied yet in this conversation
     * @param greeted true when the conversation opened with the personality's stored greeting
     * @param speaker who said the new message (empty: the conversation's user)
     */
    record Input(
            Personality personality,
            String user,
            List<StoredMessage> history,
            String summary,
            String message,
            Recollection recalled,
            int budget,
            int recallBudget,
            int windowLimit,
            boolean firstTurn,
            boolean greeted,
            Optional<Speaker> speaker) {}

    private final PersonaSection persona;

    /**
     * Who speaks in the prompt's conversation: every named speaker, and "" for the turns without one
     * (the conversation's user's own).
     */
    private static java.util.Set<String> speakers(Input in) {
        java.util.Set<String> names = new java.util.HashSet<>();
        names.add(in.speaker().map(Speaker::name).orElse(""));
        for (StoredMessage message : in.history()) {
            if (StoredMessage.USER.equals(message.role())) {
                names.add(message.speaker().map(Speaker::name).orElse(""));
            }
        }
        return names;
    }

    /** The name a user turn is shown with: its speaker's, else its user's (who wrote it). */
    private static String label(Optional<Speaker> speaker, String user) {
        return speaker.map(Speaker::name).orElse(user);
    }

    PromptComposer(PersonaSection persona) {
        this.persona = persona;
    }

    Prompt compose(Input in) {
        String section = persona.section(in.personality(), in.user());
        String post = persona.postHistory(in.personality(), in.user());
        int used = TokenEstimate.of(section)
                + TokenEstimate.ofMessage(in.message())
                + (post.isBlank() ? 0 : TokenEstimate.ofMessage(post));

        StringBuilder system = new StringBuilder(section);
        int recallLeft = Math.min(in.recallBudget(), Math.max(0, in.budget() - used));
        List<String> knowledgeIds = new ArrayList<>();
        List<String> knowledgeTexts = new ArrayList<>();
        java.util.function.UnaryOperator<String> macros = text -> persona.expand(in.personality(), in.user(), text);
        recallLeft = block(
                system,
                "## What you know",
                in.recalled().knowledge(),
                recallLeft,
                knowledgeIds,
                knowledgeTexts,
                macros,
                true);
        List<String> memoryIds = new ArrayList<>();
        List<String> memoryTexts = new ArrayList<>();
        block(
                system,
                "## What you remember about " + in.user(),
                in.recalled().memories(),
                recallLeft,
                memoryIds,
                memoryTexts,
                macros,
                false);
        used = TokenEstimate.of(system.toString())
                + TokenEstimate.ofMessage(in.message())
                + (post.isBlank() ? 0 : TokenEstimate.ofMessage(post));

        boolean summaryIncluded = false;
        if (!in.summary().isBlank()) {
            int room = Math.max(0, (in.budget() - used) / 3);
            String summary = shorten(in.summary().strip(), room);
            if (!summary.isEmpty()) {
                String summaryBlock = "\n\n## Earlier in this conversation\n" + summary;
                system.append(summaryBlock);
                used += TokenEstimate.of(summaryBlock);
                summaryIncluded = true;
            }
        }

        List<ModelMessage> examples = examples(in.personality(), Math.max(0, (in.budget() - used) / 4), macros);
        for (ModelMessage example : examples) {
            used += TokenEstimate.ofMessage(example.text());
        }

        List<ModelMessage> window = new ArrayList<>();
        int omitted = 0;
        List<StoredMessage> history = in.history();
        // Several people speak in this conversation (a group chat): each person's turn says who said it.
        boolean named = speakers(in).size() > 1;
        for (int i = history.size() - 1; i >= 0; i--) {
            StoredMessage message = history.get(i);
            String text = named && StoredMessage.USER.equals(message.role())
                    ? label(message.speaker(), message.user()) + ": " + message.content()
                    : message.content();
            int cost = TokenEstimate.ofMessage(text);
            if (window.size() >= in.windowLimit() || used + cost > in.budget()) {
                omitted = i + 1;
                break;
            }
            window.add(0, message.fromAssistant() ? ModelMessage.assistant(text) : ModelMessage.user(text));
            used += cost;
        }

        List<ModelMessage> messages = new ArrayList<>(examples);
        messages.addAll(window);
        messages.add(ModelMessage.user(named ? label(in.speaker(), in.user()) + ": " + in.message() : in.message()));
        if (!post.isBlank()) {
            messages.add(ModelMessage.system(post));
        }
        PersonaGrounding grounding = new PersonaGrounding(
                in.personality(), in.user(), in.firstTurn(), memoryTexts, knowledgeTexts, in.greeted());
        ModelRequest request = new ModelRequest(system.toString(), messages, List.of(), 0, Optional.of(grounding));
        return new Prompt(
                request, used, memoryIds, knowledgeIds, window.size(), omitted, summaryIncluded, examples.size());
    }

    /**
     * Returns the example conversations that fit in {@code budget} tokens as few-shot messages between
     * the two notes, whole conversations in order; empty when none fits.
     */
    private static List<ModelMessage> examples(
            Personality personality, int budget, java.util.function.UnaryOperator<String> macros) {
        if (personality.examples().isEmpty()) {
            return List.of();
        }
        ModelMessage start = ModelMessage.system(macros.apply(EXAMPLES_START));
        ModelMessage end = ModelMessage.system(EXAMPLES_END);
        int left = budget - TokenEstimate.ofMessage(start.text()) - TokenEstimate.ofMessage(end.text());
        List<ModelMessage> kept = new ArrayList<>();
        for (List<dev.nexus.host.persona.ExampleTurn> conversation : personality.examples()) {
            List<ModelMessage> turns = new ArrayList<>();
            int cost = 0;
            for (var turn : conversation) {
                String text = macros.apply(turn.text()).strip();
                if (text.isEmpty()) {
                    continue;
                }
                turns.add("assistant".equals(turn.role()) ? ModelMessage.assistant(text) : ModelMessage.user(text));
                cost += TokenEstimate.ofMessage(text);
            }
            if (turns.isEmpty() || cost > left) {
                continue;
            }
            kept.addAll(turns);
            left -= cost;
        }
        if (kept.isEmpty()) {
            return List.of();
        }
        List<ModelMessage> messages = new ArrayList<>(kept.size() + 2);
        messages.add(start);
        messages.addAll(kept);
        messages.add(end);
        return messages;
    }

    /** Expands the macros of a personality text for {@code user}, as the prompt does. */
    String expand(Personality personality, String user, String text) {
        return persona.expand(personality, user, text);
    }

    /**
     * Appends the items that fit as a bulleted block; returns the budget left. With {@code cutToFit}
     * (knowledge, whose lore may be long) an item that does not fit is cut to the room left when that
     * is at least a quarter of the block; otherwise (memories) it is left out.
     */
    private static int block(
            StringBuilder system,
            String heading,
            List<RecalledItem> items,
            int budget,
            List<String> ids,
            List<String> texts,
            java.util.function.UnaryOperator<String> macros,
            boolean cutToFit) {
        int left = budget - TokenEstimate.of(heading) - 2;
        StringBuilder block = new StringBuilder();
        for (var item : items) {
            String text = macros.apply(item.text()).strip();
            String line = "- " + text.replaceAll("\\s*\\n\\s*", " ");
            int cost = TokenEstimate.of(line) + 1;
            if (text.isBlank()) {
                continue;
            }
            if (cost > left) {
                // Recall chose this item within the recall budget, measured without the bullet and the heading
                // (and a long lore entry may already be cut to that budget): with a quarter of the block's
                // budget still free, cut it to fit rather than drop it silently (issue 12); otherwise skip.
                if (!cutToFit || left * 4 < budget || left < 8) {
                    continue;
                }
                text = TokenEstimate.cut(text, left - 3);
                line = "- " + text.replaceAll("\\s*\\n\\s*", " ");
                cost = TokenEstimate.of(line) + 1;
                if (text.isBlank() || cost > left) {
                    continue;
                }
            }
            block.append('\n').append(line);
            left -= cost;
            ids.add(item.id());
            texts.add(text);
        }
        if (block.isEmpty()) {
            return budget;
        }
        system.append("\n\n").append(heading).append(block);
        return left;
    }

    /** Keeps the newest lines of a summary that fit in {@code tokens}. */
    private static String shorten(String summary, int tokens) {
        if (TokenEstimate.of(summary) <= tokens) {
            return summary;
        }
        List<String> lines = new ArrayList<>(summary.lines().toList());
        while (!lines.isEmpty() && TokenEstimate.of(String.join("\n", lines)) > tokens) {
            lines.remove(0);
        }
        return String.join("\n", lines);
    }
}
