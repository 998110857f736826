package dev.nexus.host.goals;

import dev.nexus.host.NexusException;
import dev.nexus.host.json.Json;
import dev.nexus.host.llm.LanguageModel;
import dev.nexus.host.llm.ModelMessage;
import dev.nexus.host.llm.ModelRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the milestone a user says they finished with the configured language model: the open
 * milestones of the user's active goals are numbered, and the model answers {@code {"milestone": N}}
 * or {@code {"milestone": null}}. Only messages that speak of finishing something are sent (so a
 * turn about anything else costs no model call); an answer that is not that JSON, a number outside
 * the list, or a failing model yields empty, and the offline rules decide instead. Thread-safe.
 */
final class ModelMilestones {

    /** Words that speak of finishing something; without one the model is not asked. */
    private static final Pattern FINISHING = Pattern.compile(
            "\\b(finish(ed)?|complet(e|ed)|done|wrapped up|got through|submitted|published|passed|shipped|ticked off|checked off)\\b",
            Pattern.CASE_INSENSITIVE);

    private static final int MAX_CANDIDATES = 40;
    private static final String INSTRUCTIONS = """
            You decide whether a user's message says they have finished one of their goal milestones. \
            You get the message and a numbered list of open milestones. Answer ONLY a JSON object: \
            {"milestone": N} with the number of the one milestone the message says is finished, or \
            {"milestone": null} when it says none is, or it is unclear which.""";

    private final LanguageModel model;

    ModelMilestones(LanguageModel model) {
        this.model = model;
    }

    /** The model's answer as a match, or empty (nothing finished, unclear, or the model failed). */
    Optional<MilestoneMatcher.Match> match(String message, List<Goal> goals) {
        if (message == null
                || message.length() > 4000
                || !FINISHING.matcher(message).find()) {
            return Optional.empty();
        }
        List<MilestoneMatcher.Match> candidates = new ArrayList<>();
        StringBuilder list = new StringBuilder();
        for (Goal goal : goals) {
            for (Milestone m : goal.milestones()) {
                if (!m.isDone() && candidates.size() < MAX_CANDIDATES) {
                    candidates.add(new MilestoneMatcher.Match(goal, m, message.strip()));
                    list.append(candidates.size())
                            .append(". ")
                            .append(m.title())
                            .append(" (goal: ")
                            .append(goal.title())
                            .append(")\n");
                }
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        try {
            String text = model.chat(new ModelRequest(
                            INSTRUCTIONS,
                            List.of(ModelMessage.user(
                                    "Message:\n" + message.strip() + "\n\nOpen milestones:\n" + list)),
                            List.of(),
                            40,
                            Optional.empty()))
                    .text();
            int start = text.indexOf('{');
            int end = text.lastIndexOf('}');
            if (start < 0 || end < start) {
                return Optional.empty();
            }
            Map<String, Object> answer = Json.readMap(text.substring(start, end + 1));
            if (answer.get("milestone") instanceof Number n
                    && n.doubleValue() == Math.rint(n.doubleValue())
                    && n.intValue() >= 1
                    && n.intValue() <= candidates.size()) {
                return Optional.of(candidates.get(n.intValue() - 1));
            }
            return Optional.empty();
        } catch (NexusException e) {
            return Optional.empty();
        }
    }
}
