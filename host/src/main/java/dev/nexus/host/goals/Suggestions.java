package dev.nexus.host.goals;

import dev.nexus.host.NexusException;
import dev.nexus.host.llm.LanguageModel;
import dev.nexus.host.llm.ModelMessage;
import dev.nexus.host.llm.ModelRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Next steps for a goal. With a configured language model the model writes them (at most five short
 * lines); without one, or when the model fails, a fixed offline rule set does, and the result says so:
 * overdue milestones, a passed deadline, a stalled goal (no change for {@value #STALLED_DAYS} days), the
 * pace the deadline asks for, a goal without milestones, a goal whose milestones are all done, and the
 * next open milestone. Thread-safe.
 */
public final class Suggestions {

    private static final Logger LOG = LoggerFactory.getLogger(Suggestions.class);

    /** Days without any change after which an active goal counts as stalled. */
    static final int STALLED_DAYS = 14;

    private static final int MAX_MODEL_LINES = 5;
    private static final String INSTRUCTIONS = """
            You are a coach helping a person reach a long-term goal. Given the goal, its milestones and \
            dates, suggest the next concrete steps. Answer with at most five lines, one short suggestion per \
            line, no numbering, no preamble.""";

    private final Optional<LanguageModel> model;
    private final Clock clock;

    Suggestions(Optional<LanguageModel> model, Clock clock) {
        this.model = model;
        this.clock = clock;
    }

    /**
     * One suggestion.
     *
     * @param kind {@code overdue-milestone}, {@code deadline-passed}, {@code stalled}, {@code pace},
     *     {@code add-milestones}, {@code complete-goal}, {@code next-milestone}, or {@code model}
     * @param text the suggestion in words
     * @param milestone the milestone it is about, if any
     */
    public record Suggestion(String kind, String text, Optional<String> milestone) {}

    /**
     * Suggestions and where they came from.
     *
     * @param source {@code model} or {@code offline-rules}
     * @param model the model's label when it wrote them
     * @param note why the offline rules were used, when they were
     * @param suggestions best first
     */
    public record Result(String source, Optional<String> model, Optional<String> note, List<Suggestion> suggestions) {}

    Result suggest(Goal goal, Instant lastActivity) {
        if (model.isPresent()) {
            LanguageModel m = model.get();
            try {
                List<Suggestion> lines = ask(m, goal);
                if (!lines.isEmpty()) {
                    return new Result("model", Optional.of(m.description().label()), Optional.empty(), lines);
                }
                return offline(
                        goal,
                        lastActivity,
                        "the model " + m.description().label() + " gave no suggestions; "
                                + "these come from the offline rules");
            } catch (NexusException e) {
                LOG.warn(
                        "goal suggestions from {} failed; using the offline rules: {}",
                        m.description().label(),
                        e.getMessage());
                return offline(
                        goal,
                        lastActivity,
                        "the model " + m.description().label() + " failed (" + e.getMessage()
                                + "); these come from the offline rules");
            }
        }
        return offline(
                goal,
                lastActivity,
                "no language model is configured; these come from fixed offline rules "
                        + "(overdue milestones, stalled goals, the next open milestone), not from a model");
    }

    private List<Suggestion> ask(LanguageModel m, Goal goal) {
        StringBuilder about = new StringBuilder("Today is ")
                .append(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC))
                .append(".\n")
                .append(GoalService.describe(goal))
                .append('\n');
        if (!goal.description().isBlank()) {
            about.append("About it: ").append(goal.description()).append('\n');
        }
        for (Milestone step : goal.milestones()) {
            about.append("- ").append(step.title()).append(step.isDone() ? " (done)" : " (open)");
            step.due().ifPresent(d -> about.append(", due ").append(LocalDate.ofInstant(d, ZoneOffset.UTC)));
            about.append('\n');
        }
        String text = m.chat(new ModelRequest(
                        INSTRUCTIONS, List.of(ModelMessage.user(about.toString())), List.of(), 300, Optional.empty()))
                .text();
        List<Suggestion> lines = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String clean =
                    line.strip().replaceFirst("^(?:[-*•]|\\d+[.)])\\s*", "").strip();
            if (!clean.isEmpty() && lines.size() < MAX_MODEL_LINES) {
                lines.add(new Suggestion(
                        "model", clean.length() > 500 ? clean.substring(0, 500) + "…" : clean, Optional.empty()));
            }
        }
        return lines;
    }

    /** The offline rules, in order of urgency. */
    Result offline(Goal goal, Instant lastActivity, String note) {
        Instant now = clock.instant();
        List<Suggestion> out = new ArrayList<>();
        List<Milestone> open =
                goal.milestones().stream().filter(m -> !m.isDone()).toList();
        for (Milestone step : open) {
            if (step.due().isPresent() && step.due().get().isBefore(now)) {
                long days = Duration.between(step.due().get(), now).toDays();
                out.add(new Suggestion(
                        "overdue-milestone",
                        "Milestone \"" + step.title() + "\" was due on "
                                + date(step.due().get()) + (days > 0 ? " (" + days + " days ago)" : "")
                                + ": finish it next, or move its date if the plan changed.",
                        Optional.of(step.id())));
            }
        }
        if (goal.status() != GoalStatus.COMPLETED
                && goal.deadline().isPresent()
                && goal.deadline().get().isBefore(now)) {
            out.add(new Suggestion(
                    "deadline-passed",
                    "The deadline " + date(goal.deadline().get()) + " has passed with the goal "
                            + Math.round(goal.progress() * 100) + "% done: set a new deadline or narrow the goal.",
                    Optional.empty()));
        }
        if (goal.status() == GoalStatus.ACTIVE
                && Duration.between(lastActivity, now).toDays() >= STALLED_DAYS) {
            out.add(new Suggestion(
                    "stalled",
                    "Nothing has moved on this goal for "
                            + Duration.between(lastActivity, now).toDays()
                            + " days: pick one small step for this week"
                            + goal.nextOpen()
                                    .map(m -> ", such as starting \"" + m.title() + "\"")
                                    .orElse("") + ", or pause the goal.",
                    goal.nextOpen().map(Milestone::id)));
        }
        if (goal.status() != GoalStatus.COMPLETED
                && goal.deadline().isPresent()
                && goal.deadline().get().isAfter(now)
                && !open.isEmpty()) {
            long days = Math.max(1, Duration.between(now, goal.deadline().get()).toDays());
            out.add(new Suggestion(
                    "pace",
                    open.size() + " milestone" + (open.size() == 1 ? "" : "s") + " left and " + days
                            + " days to the deadline: about one every " + Math.max(1, days / open.size()) + " days.",
                    Optional.empty()));
        }
        if (goal.milestones().isEmpty() && goal.status() != GoalStatus.COMPLETED) {
            out.add(new Suggestion(
                    "add-milestones",
                    "Break the goal into three to five milestones, so progress can be measured " + "(POST /v1/goals/"
                            + goal.id() + "/milestones).",
                    Optional.empty()));
        } else if (open.isEmpty() && goal.status() != GoalStatus.COMPLETED) {
            out.add(new Suggestion(
                    "complete-goal",
                    "Every milestone is done: mark the goal completed, or add the next milestone.",
                    Optional.empty()));
        }
        goal.nextOpen()
                .filter(m -> goal.status() != GoalStatus.COMPLETED)
                .ifPresent(m -> out.add(new Suggestion(
                        "next-milestone",
                        "Next step: \"" + m.title() + "\""
                                + m.due().map(d -> ", due " + date(d)).orElse("") + ".",
                        Optional.of(m.id()))));
        return new Result("offline-rules", Optional.empty(), Optional.of(note), out);
    }

    private static LocalDate date(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
