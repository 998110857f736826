package dev.nexus.host.conversation;

import dev.nexus.host.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code chat} configuration section. Immutable; every default is stated here, once.
 *
 * @param maxMessageChars the longest message accepted, in characters (longer ones get 400)
 * @param windowMessages the most recent messages sent to the model verbatim (fewer when the token budget is tight)
 * @param summaryBatch how many messages beyond the window gather before they are folded into the summary
 * @param recallShare the share of the prompt budget that recalled memories and knowledge may use
 * @param defaultPrompt the host's default system prompt, used when a personality has no template
 *     (and for {@code {{original}}})
 * @param maxToolRounds how many rounds of tool calls a remote model may make in one turn before it is asked
 *     for its final answer without tools; 0 offers no tools at all
 * @param abandonedAfterSeconds on PostgreSQL, how old a chat-API turn still {@code pending} at start-up must be
 *     before the starting host marks it {@code failed} (younger ones may be in the hands of another host);
 *     H2 is single-host, so there every pending turn is marked failed at start (default 300)
 */
public record ChatSettings(
        Integer maxMessageChars,
        Integer windowMessages,
        Integer summaryBatch,
        Double recallShare,
        String defaultPrompt,
        Integer maxToolRounds,
        Integer abandonedAfterSeconds) {

    /** The default system prompt. */
    public static final String DEFAULT_PROMPT =
            "You are {{char}}, talking with {{user}}. Stay in character and write " + "{{char}}'s next reply only.";

    /** Applies defaults and reports every problem at once. */
    public ChatSettings {
        maxMessageChars = maxMessageChars == null ? 8000 : maxMessageChars;
        windowMessages = windowMessages == null ? 24 : windowMessages;
        summaryBatch = summaryBatch == null ? 12 : summaryBatch;
        recallShare = recallShare == null ? 0.3 : recallShare;
        defaultPrompt = defaultPrompt == null || defaultPrompt.isBlank() ? DEFAULT_PROMPT : defaultPrompt;
        maxToolRounds = maxToolRounds == null ? 4 : maxToolRounds;
        abandonedAfterSeconds = abandonedAfterSeconds == null ? 300 : abandonedAfterSeconds;
        List<String> problems = new ArrayList<>();
        if (maxMessageChars < 1 || maxMessageChars > 1_000_000) {
            problems.add("chat.max-message-chars must be within [1, 1000000], got " + maxMessageChars);
        }
        if (windowMessages < 2 || windowMessages > 500) {
            problems.add("chat.window-messages must be within [2, 500], got " + windowMessages);
        }
        if (summaryBatch < 1 || summaryBatch > 500) {
            problems.add("chat.summary-batch must be within [1, 500], got " + summaryBatch);
        }
        if (!(recallShare >= 0 && recallShare <= 0.8)) {
            problems.add("chat.recall-share must be within [0, 0.8], got " + recallShare);
        }
        if (maxToolRounds < 0 || maxToolRounds > 16) {
            problems.add("chat.max-tool-rounds must be within [0, 16], got " + maxToolRounds);
        }
        if (abandonedAfterSeconds < 0 || abandonedAfterSeconds > 86_400) {
            problems.add("chat.abandoned-after-seconds must be within [0, 86400], got " + abandonedAfterSeconds);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("; ", problems));
        }
    }

    /** The settings without {@code abandoned-after-seconds} (its default applies). */
    public ChatSettings(
            Integer maxMessageChars,
            Integer windowMessages,
            Integer summaryBatch,
            Double recallShare,
            String defaultPrompt,
            Integer maxToolRounds) {
        this(maxMessageChars, windowMessages, summaryBatch, recallShare, defaultPrompt, maxToolRounds, null);
    }

    /** Returns the defaults. */
    public static ChatSettings defaults() {
        return new ChatSettings(null, null, null, null, null, null, null);
    }
}
