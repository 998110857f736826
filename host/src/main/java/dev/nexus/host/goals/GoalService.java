package dev.nexus.host.goals;

import dev.nexus.host.ConflictException;
import dev.nexus.host.Ids;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.auth.Principals;
import dev.nexus.host.conversation.CompletedTurn;
import dev.nexus.host.conversation.RecallRequest;
import dev.nexus.host.conversation.RecalledItem;
import dev.nexus.host.conversation.TurnObserver;
import dev.nexus.host.db.Database;
import dev.nexus.host.llm.LanguageModel;
import dev.nexus.host.llm.TokenEstimate;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The goals engine: a user's long-term goals with milestones, status, deadline and progress (computed
 * from the milestones unless someone set it), every change of progress kept as history. It also
 * serves the conversation: a user's active goals are part of what a turn recalls ({@link #recall}),
 * and a user saying "I finished the first chapter" marks the matching milestone done
 * ({@link #afterTurn}: the configured model decides when there is one, the offline rules otherwise or
 * when the model finds nothing; recorded with the chat message as its source and the method). Thread-safe.
 */
public final class GoalService implements TurnObserver {

    private static final Logger LOG = LoggerFactory.getLogger(GoalService.class);

    /** The most goals one user may hold. */
    static final int MAX_GOALS = 200;
    /** The most milestones one goal may have. */
    static final int MAX_MILESTONES = 50;

    static final int MAX_TITLE = 200;
    static final int MAX_DESCRIPTION = 4000;
    static final int MAX_NOTE = 2000;
    /** Active goals offered to a turn's recall, at most. */
    static final int RECALLED_GOALS = 5;

    private final GoalRepository repository;
    private final Clock clock;
    private final Suggestions suggestions;
    private final Optional<ModelMilestones> modelMilestones;

    /**
     * @param model the configured language model for suggestions; empty (or the offline model) means the offline rules
     */
    public GoalService(Database database, Clock clock, Optional<LanguageModel> model) {
        this.repository = new GoalRepository(database);
        this.clock = clock;
        this.suggestions = new Suggestions(model.filter(m -> !m.description().offline()), clock);
        this.modelMilestones = model.filter(m -> !m.description().offline()).map(ModelMilestones::new);
    }

    /**
     * What a goal is made of when created. Every field but the title is optional.
     *
     * @param title 1-200 characters
     * @param description at most 4000 characters
     * @param status {@code active} (default), {@code paused} or {@code completed}
     * @param deadline an ISO date ({@code 2027-03-01}) or instant
     * @param milestones the first milestones, in order
     */
    public record Draft(
            String title, String description, String status, String deadline, List<MilestoneDraft> milestones) {}

    /**
     * A milestone as sent.
     *
     * @param title 1-200 characters
     * @param due an ISO date or instant
     */
    public record MilestoneDraft(String title, String due) {}

    /**
     * Creates a goal for {@code user}.
     *
     * @throws InvalidInputException naming the field at fault
     * @throws ConflictException when the user already holds {@value #MAX_GOALS} goals
     */
    public Goal create(String user, Draft draft) {
        Principals.requireValid("user", user);
        if (draft == null) {
            throw new InvalidInputException("the body must be a goal such as {\"title\": \"Write a novel\"}");
        }
        String title = title("title", draft.title());
        String description = text("description", draft.description(), MAX_DESCRIPTION);
        GoalStatus status = draft.status() == null ? GoalStatus.ACTIVE : GoalStatus.parse("status", draft.status());
        Optional<Instant> deadline = time("deadline", draft.deadline());
        List<MilestoneDraft> steps = draft.milestones() == null ? List.of() : draft.milestones();
        if (steps.size() > MAX_MILESTONES) {
            throw new InvalidInputException(
                    "'milestones' may hold at most " + MAX_MILESTONES + " milestones, got " + steps.size());
        }
        Instant now = clock.instant();
        String id = Ids.newId(clock);
        List<Milestone> milestones = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            MilestoneDraft step = steps.get(i);
            if (step == null) {
                throw new InvalidInputException(
                        "'milestones[" + i + "]' must be an object such as {\"title\": \"First chapter\"}");
            }
            milestones.add(new Milestone(
                    Ids.newId(clock),
                    id,
                    title("milestones[" + i + "].title", step.title()),
                    i,
                    time("milestones[" + i + "].due", step.due()),
                    Optional.empty(),
                    now));
        }
        if (repository.count(user) >= MAX_GOALS) {
            throw new ConflictException("user '" + InvalidInputException.cap(user) + "' already has " + MAX_GOALS
                    + " goals, the most one user may hold; delete finished ones first");
        }
        Goal goal =
                new Goal(id, user, title, description, status, deadline, OptionalDouble.empty(), now, now, milestones);
        repository.inTransaction(h -> {
            repository.insert(h, goal);
            milestones.forEach(m -> repository.insertMilestone(h, m));
            repository.appendProgress(
                    h, Ids.newId(clock), id, new ProgressPoint(goal.progress(), "created", Optional.empty(), now));
            return null;
        });
        return goal;
    }

    /** Returns {@code user}'s goals, newest first, optionally in one status. */
    public List<Goal> list(String user, Optional<GoalStatus> status) {
        Principals.requireValid("user", user);
        return repository.list(user, status, MAX_GOALS);
    }

    /** Returns goal {@code id}. @throws NotFoundException when there is none */
    public Goal get(String id) {
        return repository.find(id).orElseThrow(() -> NotFoundException.of("goal", id));
    }

    /** Returns the user owning goal {@code id}, or empty when there is no such goal. */
    public Optional<String> ownerOf(String id) {
        return repository.ownerOf(id);
    }

    /**
     * Replaces a goal's title, description, status and deadline (milestones and progress stay).
     *
     * @throws NotFoundException when there is no such goal
     */
    public Goal update(String id, Draft draft) {
        if (draft == null) {
            throw new InvalidInputException(
                    "the body must be a goal such as {\"title\": \"Write a novel\", \"status\": \"paused\"}");
        }
        if (draft.milestones() != null) {
            throw new InvalidInputException("'milestones' cannot be replaced with PUT; add one with POST /v1/goals/"
                    + id + "/milestones and complete it with POST /v1/goals/" + id
                    + "/milestones/{milestone}/complete");
        }
        String title = title("title", draft.title());
        String description = text("description", draft.description(), MAX_DESCRIPTION);
        GoalStatus status = draft.status() == null ? GoalStatus.ACTIVE : GoalStatus.parse("status", draft.status());
        Optional<Instant> deadline = time("deadline", draft.deadline());
        return change(
                id,
                goal -> new Goal(
                        goal.id(),
                        goal.user(),
                        title,
                        description,
                        status,
                        deadline,
                        goal.progressSet(),
                        goal.createdAt(),
                        clock.instant(),
                        goal.milestones()),
                "updated",
                Optional.empty());
    }

    /** Deletes goal {@code id} with its milestones and history. @throws NotFoundException when there is none */
    public void delete(String id) {
        if (!repository.delete(id)) {
            throw NotFoundException.of("goal", id);
        }
    }

    /**
     * Sets a goal's progress to {@code progress}, or (empty) lets the milestones decide it again; kept in the history.
     *
     * @throws InvalidInputException when progress is outside [0, 1] or the note is too long
     */
    public Goal setProgress(String id, OptionalDouble progress, Optional<String> note) {
        if (progress.isPresent() && !(progress.getAsDouble() >= 0 && progress.getAsDouble() <= 1)) {
            throw new InvalidInputException(
                    "'progress' must be a number from 0 to 1 (0.25 is a quarter done), got " + progress.getAsDouble());
        }
        note.ifPresent(n -> text("note", n, MAX_NOTE));
        OptionalDouble rounded =
                progress.isPresent() ? OptionalDouble.of(Goal.round(progress.getAsDouble())) : OptionalDouble.empty();
        return change(
                id,
                goal -> new Goal(
                        goal.id(),
                        goal.user(),
                        goal.title(),
                        goal.description(),
                        goal.status(),
                        goal.deadline(),
                        rounded,
                        goal.createdAt(),
                        clock.instant(),
                        goal.milestones()),
                "set",
                note.filter(n -> !n.isBlank()));
    }

    /**
     * Adds a milestone at the end of goal {@code id}'s list.
     *
     * @throws ConflictException when the goal already has {@value #MAX_MILESTONES}
     */
    public Milestone addMilestone(String id, MilestoneDraft draft) {
        if (draft == null) {
            throw new InvalidInputException("the body must be a milestone such as {\"title\": \"First chapter\"}");
        }
        String title = title("title", draft.title());
        Optional<Instant> due = time("due", draft.due());
        return repository.inTransaction(h -> {
            Goal goal = repository.lock(h, id).orElseThrow(() -> NotFoundException.of("goal", id));
            if (goal.milestones().size() >= MAX_MILESTONES) {
                throw new ConflictException(
                        "goal " + id + " already has " + MAX_MILESTONES + " milestones, the most a goal may have");
            }
            int position = goal.milestones().stream()
                            .mapToInt(Milestone::position)
                            .max()
                            .orElse(-1)
                    + 1;
            Milestone milestone =
                    new Milestone(Ids.newId(clock), id, title, position, due, Optional.empty(), clock.instant());
            repository.insertMilestone(h, milestone);
            recordIfMoved(
                    h,
                    goal,
                    withMilestone(goal, milestone, Optional.empty()),
                    "milestone",
                    Optional.of("added: " + title));
            return milestone;
        });
    }

    /** Marks a milestone done on behalf of {@code who} over the API (source {@code api}, method {@code manual}). */
    public Goal complete(String id, String milestone, String who) {
        return mark(id, milestone, Optional.of(new Milestone.Done(clock.instant(), "api", who, "manual")));
    }

    /**
     * Marks milestone {@code milestone} of goal {@code id} done ({@code done} present) or open again.
     * Idempotent: completing a done milestone changes nothing.
     *
     * @throws NotFoundException when the goal has no such milestone
     */
    public Goal mark(String id, String milestone, Optional<Milestone.Done> done) {
        return repository.inTransaction(h -> {
            Goal goal = repository.lock(h, id).orElseThrow(() -> NotFoundException.of("goal", id));
            Milestone step = goal.milestones().stream()
                    .filter(m -> m.id().equals(milestone))
                    .findFirst()
                    .orElseThrow(() -> new NotFoundException(
                            "goal " + id + " has no milestone '" + InvalidInputException.cap(milestone)
                                    + "'; GET /v1/goals/" + id + " lists its milestones"));
            if (repository.mark(h, milestone, done)) {
                Goal after = withMilestone(goal, step, done);
                String source =
                        done.map(Milestone.Done::source).filter("chat"::equals).orElse("milestone");
                recordIfMoved(
                        h,
                        goal,
                        after,
                        source,
                        Optional.of((done.isPresent() ? "done: " : "reopened: ") + step.title()));
            }
            return repository.find(h, id).orElseThrow();
        });
    }

    /** Returns goal {@code id}'s progress history, oldest first. */
    public List<ProgressPoint> history(String id) {
        get(id);
        return repository.history(id);
    }

    /** Returns next steps for goal {@code id}: from the model when one is configured, else from the offline rules. */
    public Suggestions.Result suggestions(String id) {
        Goal goal = get(id);
        return suggestions.suggest(goal, lastActivity(goal));
    }

    /**
     * Returns {@code request.user()}'s active goals as recalled items (kind {@code goal}), most recent
     * first, as many as fit in {@code tokenBudget}.
     */
    public List<RecalledItem> recall(RecallRequest request, int tokenBudget) {
        if (tokenBudget <= 0 || request.user() == null || request.user().isBlank()) {
            return List.of();
        }
        List<RecalledItem> items = new ArrayList<>();
        int used = 0;
        List<Goal> active = repository.list(request.user(), Optional.of(GoalStatus.ACTIVE), RECALLED_GOALS);
        for (Goal goal : active) {
            String text = describe(goal);
            int cost = TokenEstimate.of(text);
            if (used + cost > tokenBudget) {
                break;
            }
            used += cost;
            items.add(new RecalledItem(goal.id(), "goal", "goals", text, 1.0, Map.of("progress", goal.progress())));
        }
        return items;
    }

    /**
     * Marks done the milestone a user says they finished ("I finished the first chapter"), matched by
     * the offline rules against the open milestones of the user's active goals; the chat message is
     * recorded as the source. Does nothing when nothing (or more than one milestone) matches.
     */
    @Override
    public void afterTurn(CompletedTurn turn) {
        List<Goal> active = repository.list(turn.user(), Optional.of(GoalStatus.ACTIVE), MAX_GOALS);
        if (active.isEmpty()) {
            return;
        }
        // With a model, the model decides; when it finds nothing (or fails), the offline rules still may.
        Optional<MilestoneMatcher.Match> byModel = modelMilestones.flatMap(m -> m.match(turn.userText(), active));
        String method = byModel.isPresent() ? "model" : "rules";
        byModel.or(() -> MilestoneMatcher.match(turn.userText(), active)).ifPresent(match -> {
            mark(
                    match.goal().id(),
                    match.milestone().id(),
                    Optional.of(new Milestone.Done(clock.instant(), "chat", turn.userMessageId(), method)));
            LOG.info(
                    "goal {}: milestone {} marked done from chat message {} ({})",
                    match.goal().id(),
                    match.milestone().id(),
                    turn.userMessageId(),
                    method);
        });
    }

    /** Returns {@code user}'s goals with milestones and history, for a person's export. */
    public List<Map<String, Object>> exportUser(String user) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Goal goal : repository.list(user, Optional.empty(), MAX_GOALS)) {
            Map<String, Object> view = new LinkedHashMap<>(GoalRoutes.view(goal));
            view.put(
                    "history",
                    repository.history(goal.id()).stream().map(GoalRoutes::view).toList());
            out.add(view);
        }
        return out;
    }

    /** Deletes every goal of {@code user} (a person's erasure). */
    public Map<String, Integer> eraseUser(String user) {
        return Map.of("goals", repository.deleteUser(user));
    }

    /** One line about a goal, as a turn recalls it. */
    static String describe(Goal goal) {
        StringBuilder text = new StringBuilder("Goal \"")
                .append(goal.title())
                .append("\": ")
                .append(Math.round(goal.progress() * 100))
                .append("% done");
        long done = goal.milestones().stream().filter(Milestone::isDone).count();
        if (!goal.milestones().isEmpty()) {
            text.append(" (")
                    .append(done)
                    .append(" of ")
                    .append(goal.milestones().size())
                    .append(" milestones)");
        }
        goal.deadline().ifPresent(d -> text.append(", due ").append(LocalDate.ofInstant(d, ZoneOffset.UTC)));
        goal.nextOpen()
                .ifPresent(m ->
                        text.append("; next milestone: \"").append(m.title()).append('"'));
        return text.toString();
    }

    private Instant lastActivity(Goal goal) {
        Instant last = goal.updatedAt();
        for (Milestone m : goal.milestones()) {
            if (m.done().isPresent() && m.done().get().at().isAfter(last)) {
                last = m.done().get().at();
            }
        }
        Optional<Instant> progress = repository.lastActivity(goal.id());
        return progress.filter(last::isBefore).orElse(last);
    }

    private Goal change(String id, java.util.function.UnaryOperator<Goal> edit, String source, Optional<String> note) {
        return repository.inTransaction(h -> {
            Goal goal = repository.lock(h, id).orElseThrow(() -> NotFoundException.of("goal", id));
            Goal after = edit.apply(goal);
            repository.update(h, after);
            if ("set".equals(source)) {
                repository.appendProgress(
                        h, Ids.newId(clock), id, new ProgressPoint(after.progress(), source, note, clock.instant()));
            } else {
                recordIfMoved(h, goal, after, source, note);
            }
            return after;
        });
    }

    private void recordIfMoved(GoalRepository.Tx h, Goal before, Goal after, String source, Optional<String> note) {
        if (before.progress() != after.progress()) {
            repository.appendProgress(
                    h,
                    Ids.newId(clock),
                    after.id(),
                    new ProgressPoint(after.progress(), source, note, clock.instant()));
        }
    }

    private static Goal withMilestone(Goal goal, Milestone changed, Optional<Milestone.Done> done) {
        List<Milestone> steps = new ArrayList<>();
        boolean found = false;
        for (Milestone m : goal.milestones()) {
            if (m.id().equals(changed.id())) {
                steps.add(new Milestone(m.id(), m.goal(), m.title(), m.position(), m.due(), done, m.createdAt()));
                found = true;
            } else {
                steps.add(m);
            }
        }
        if (!found) {
            steps.add(changed);
        }
        return new Goal(
                goal.id(),
                goal.user(),
                goal.title(),
                goal.description(),
                goal.status(),
                goal.deadline(),
                goal.progressSet(),
                goal.createdAt(),
                goal.updatedAt(),
                steps);
    }

    private static String title(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(
                    "'" + field + "' is required: 1-" + MAX_TITLE + " characters, e.g. \"Write a novel\"");
        }
        return text(field, value, MAX_TITLE).strip();
    }

    private static String text(String field, String value, int max) {
        if (value == null) {
            return "";
        }
        if (value.length() > max) {
            throw new InvalidInputException(
                    "'" + field + "' must be at most " + max + " characters, got " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || (Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r')) {
                throw new InvalidInputException(
                        "'" + field + "' must not contain control characters; send printable text");
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c)
                        && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1));
                if (!paired) {
                    throw new InvalidInputException(
                            "'" + field + "' contains an unpaired UTF-16 surrogate; send valid Unicode text");
                }
                i++;
            }
        }
        return value;
    }

    /** Parses an ISO date (midnight UTC) or instant; absent or blank is empty. */
    static Optional<Instant> time(String field, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            if (value.length() == 10) {
                return Optional.of(
                        LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            return Optional.of(Instant.parse(value).truncatedTo(ChronoUnit.MILLIS));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(
                    "'" + field + "' must be an ISO date such as \"2027-03-01\" or an instant such as "
                            + "\"2027-03-01T12:00:00Z\", got '" + InvalidInputException.cap(value) + "'");
        }
    }
}
