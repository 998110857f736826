package dev.nexus.host.rooms;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.routing.PersonalityRouter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The room protocols, each a fixed procedure over a room's personalities (in the order they joined),
 * stored and streamed as the room's messages, ending in a synthesis that cites who said what. See
 * docs/rooms.md.
 *
 * <ul>
 *   <li><b>debate</b>: every personality states a position; then {@code rounds - 1} rebuttal rounds,
 *       each personality answering the others; then a verdict: a judge personality's, or a vote in
 *       which every personality names the strongest argument of another (never its own); then the
 *       synthesis.</li>
 *   <li><b>panel</b>: every personality answers the question once; then a moderator's synthesis.</li>
 *   <li><b>team</b>: a leader splits the task among the others by their capabilities (tags, knowledge
 *       and description, ranked by {@link PersonalityRouter}), each specialist answers its part, the
 *       leader's validation checks each contribution (present, on its part), and the leader
 *       integrates them.</li>
 * </ul>
 *
 * <p>With the offline model every step's text is composed from the personality and what it
 * witnessed (and says so), and the synthesis quotes instead of weighing: the same room and request
 * give the same transcript. With a language model each step is the personality's own reply to the
 * step's instruction; the synthesis must name every participant, and any it leaves out are added as
 * quoted citations. Stateless; thread-safe.
 */
final class Protocols {

    /** The most rounds a debate may have. */
    static final int MAX_ROUNDS = 5;

    /**
     * A protocol run to start. Immutable.
     *
     * @param protocol {@code debate}, {@code panel} or {@code team}
     * @param question the question or task (1–2000 characters)
     * @param rounds debate rounds, the position round included, in [1, {@value #MAX_ROUNDS}]
     * @param judge the debate's judge or the panel's moderator (a personality present); empty: a vote (debate) or the first personality
     * @param leader the team's leader (a personality present); empty: the first personality
     */
    record Request(String protocol, String question, int rounds, Optional<String> judge, Optional<String> leader) {
        Request {
            if (!Set.of("debate", "panel", "team").contains(protocol)) {
                throw new InvalidInputException("protocol must be debate, panel or team; got '"
                        + InvalidInputException.cap(String.valueOf(protocol)) + "'");
            }
            if (question == null || question.isBlank() || question.length() > 2000) {
                throw new InvalidInputException("question must be 1 to 2000 characters");
            }
            if (rounds < 1 || rounds > MAX_ROUNDS) {
                throw new InvalidInputException("rounds must be within [1, " + MAX_ROUNDS + "], got " + rounds);
            }
        }
    }

    /**
     * A finished run. Immutable.
     *
     * @param protocol which protocol ran
     * @param transcript every message the run stored, in order, the synthesis last
     * @param synthesis the final message
     * @param complete false when the token budget stopped it before every step had run
     */
    record Run(String protocol, List<RoomMessage> transcript, RoomMessage synthesis, boolean complete) {}

    private final RoomService rooms;

    Protocols(RoomService rooms) {
        this.rooms = rooms;
    }

    Run run(String roomId, Request request) {
        Room room = rooms.room(roomId);
        List<String> members = room.personalities();
        int least = request.protocol().equals("team") ? 2 : 2;
        if (members.size() < least) {
            throw new InvalidInputException("a " + request.protocol() + " needs at least " + least
                    + " personalities in the room; it has " + members.size());
        }
        for (Optional<String> named : List.of(request.judge(), request.leader())) {
            if (named.isPresent() && !members.contains(named.get())) {
                throw new InvalidInputException("'" + InvalidInputException.cap(named.get())
                        + "' is not a personality in room " + roomId + "; present: " + members);
            }
        }
        Step step = new Step(roomId, request);
        try {
            return switch (request.protocol()) {
                case "debate" -> debate(step, members, request);
                case "panel" -> panel(step, members, request);
                default -> team(step, members, request);
            };
        } finally {
            rooms.stopped(roomId, request.protocol() + (step.stopped ? " stopped: token-budget" : " ended"));
        }
    }

    /** One run's bookkeeping: what it stored, who said what, whether the budget stopped it. */
    private final class Step {
        final String room;
        final Request request;
        final List<RoomMessage> transcript = new ArrayList<>();
        final Map<String, List<RoomMessage>> said = new LinkedHashMap<>();
        boolean stopped;

        Step(String room, Request request) {
            this.room = room;
            this.request = request;
        }

        void announce(String text, Map<String, Object> metadata) {
            Map<String, Object> all = new LinkedHashMap<>(metadata);
            all.put("protocol", request.protocol());
            transcript.add(rooms.system(room, text, all));
        }

        Optional<RoomMessage> speak(String personality, String stage, int round, String task, OfflineText offline) {
            if (stopped) {
                return Optional.empty();
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("protocol", request.protocol());
            extra.put("stage", stage);
            if (round > 0) {
                extra.put("round", round);
            }
            Optional<RoomMessage> reply = rooms.turn(
                    room,
                    personality,
                    List.of(),
                    Optional.of(task),
                    Optional.of(witnessed ->
                            offline.compose(rooms.version(personality).personality(), witnessed)),
                    request.protocol(),
                    extra);
            if (reply.isEmpty()) {
                stopped = true;
                announce(
                        "The room's token budget is spent: the " + request.protocol() + " stops here, incomplete.",
                        Map.of("stage", "stopped", "reason", "token-budget"));
                return Optional.empty();
            }
            transcript.add(reply.get());
            if (!stage.equals("vote") && !stage.equals("validation")) {
                said.computeIfAbsent(personality, k -> new ArrayList<>()).add(reply.get());
            }
            return reply;
        }
    }

    @FunctionalInterface
    private interface OfflineText {
        String compose(Personality personality, List<RoomMessage> witnessed);
    }

    // ---- debate ---------------------------------------------------------------------------------

    private Run debate(Step step, List<String> members, Request request) {
        String q = request.question().strip();
        step.announce(
                "Debate: \"" + q + "\". " + request.rounds() + " round(s): positions, then rebuttals; then "
                        + request.judge()
                                .map(j -> "the verdict of " + rooms.name(j))
                                .orElse("a vote") + " and a synthesis.",
                Map.of("stage", "opening", "question", q, "rounds", request.rounds(), "participants", members));
        for (String p : members) {
            step.speak(
                    p,
                    "position",
                    1,
                    "Debate question: \"" + q + "\". State your position in a few sentences, with your main reason.",
                    (me, seen) -> offlinePosition(me, q));
        }
        for (int round = 2; round <= request.rounds(); round++) {
            for (int i = 0; i < members.size(); i++) {
                String p = members.get(i);
                String target = members.get((i + 1) % members.size());
                int r = round;
                step.speak(
                        p,
                        "rebuttal",
                        round,
                        "Rebuttal round " + round + " of " + request.rounds() + ": answer the strongest point another "
                                + "participant made (name them), and say whether your position changed.",
                        (me, seen) -> offlineRebuttal(me, rooms.name(target), lastBy(seen, target), r));
            }
        }
        Map<String, Object> verdict = new LinkedHashMap<>();
        String verdictText;
        if (request.judge().isPresent()) {
            String judge = request.judge().get();
            Optional<RoomMessage> judged = step.speak(
                    judge,
                    "verdict",
                    0,
                    "As the judge: which argument was strongest, and why? " + "Name the participant.",
                    (me, seen) -> offlineVerdict(me, members));
            verdict.put("judge", judge);
            judged.ifPresent(m -> verdict.put("verdictMessage", m.id()));
            verdictText = judged.map(m -> rooms.name(judge) + " judged: " + snippet(m.content(), 240))
                    .orElse("No verdict (stopped).");
        } else {
            Map<String, Integer> votes = new LinkedHashMap<>();
            members.forEach(m -> votes.put(m, 0));
            Map<String, String> ballots = new LinkedHashMap<>();
            for (String p : members) {
                List<String> others = members.stream().filter(o -> !o.equals(p)).toList();
                Optional<RoomMessage> ballot = step.speak(
                        p,
                        "vote",
                        0,
                        "Vote: whose argument was strongest, other than your own? "
                                + "Start your answer with their name, then one sentence why. Choose among: "
                                + String.join(
                                        ", ", others.stream().map(rooms::name).toList()) + ".",
                        (me, seen) -> offlineVote(me, others, step.said));
                ballot.flatMap(b -> votedFor(b.content(), others)).ifPresent(choice -> {
                    votes.merge(choice, 1, Integer::sum);
                    ballots.put(p, choice);
                });
            }
            int top = votes.values().stream().max(Integer::compare).orElse(0);
            List<String> winners = votes.entrySet().stream()
                    .filter(e -> e.getValue() == top && top > 0)
                    .map(Map.Entry::getKey)
                    .toList();
            verdict.put("votes", votes);
            verdict.put("ballots", ballots);
            verdict.put("winners", winners);
            verdictText = winners.isEmpty()
                    ? "The vote named nobody."
                    : "The vote: "
                            + String.join(
                                    " and ", winners.stream().map(rooms::name).toList()) + " (" + top + " of "
                            + members.size() + " votes)"
                            + (winners.size() > 1 ? ", a tie." : ".");
        }
        return synthesis(step, members, request.judge().orElse(members.get(0)), q, verdictText, verdict);
    }

    // ---- panel ----------------------------------------------------------------------------------

    private Run panel(Step step, List<String> members, Request request) {
        String q = request.question().strip();
        String moderator = request.judge().orElse(members.get(0));
        step.announce(
                "Panel: \"" + q + "\". Each panelist answers once; then " + rooms.name(moderator) + " sums up.",
                Map.of("stage", "opening", "question", q, "participants", members, "moderator", moderator));
        for (String p : members) {
            step.speak(
                    p,
                    "answer",
                    1,
                    "Panel question: \"" + q + "\". Give your answer from your own expertise, in a few sentences.",
                    (me, seen) -> offlinePosition(me, q));
        }
        return synthesis(step, members, moderator, q, "", Map.of("moderator", moderator));
    }

    // ---- team -----------------------------------------------------------------------------------

    private Run team(Step step, List<String> members, Request request) {
        String task = request.question().strip();
        String leader = request.leader().orElse(members.get(0));
        List<String> specialists =
                members.stream().filter(m -> !m.equals(leader)).toList();
        Map<String, String> parts = new LinkedHashMap<>();
        for (String s : specialists) {
            Personality p = rooms.version(s).personality();
            parts.put(s, "the part of \"" + task + "\" that calls for " + capability(p));
        }
        step.announce(
                "Team task: \"" + task + "\". " + rooms.name(leader) + " leads; specialists: "
                        + String.join(
                                ", ", specialists.stream().map(rooms::name).toList()) + ".",
                Map.of("stage", "opening", "question", task, "leader", leader, "specialists", specialists));
        StringBuilder plan = new StringBuilder();
        parts.forEach((s, part) -> plan.append("- ")
                .append(rooms.name(s))
                .append(": ")
                .append(part)
                .append('\n'));
        step.speak(
                leader,
                "split",
                0,
                "You lead this task: \"" + task + "\". Split it among the specialists by their capabilities; "
                        + "this is the split by capability, restate or refine it, one line per specialist:\n" + plan,
                (me, seen) ->
                        "I split the task by what each of us does best (offline: the split follows each specialist's tags and "
                                + "description, not a reading of the task):\n"
                                + plan.toString().strip());
        Map<String, Object> validation = new LinkedHashMap<>();
        for (String s : specialists) {
            String part = parts.get(s);
            Optional<RoomMessage> done = step.speak(
                    s,
                    "contribution",
                    0,
                    rooms.name(leader) + " asks you for " + part + ". Deliver your part in a few sentences.",
                    (me, seen) -> offlineContribution(me, part));
            Set<String> asked = words(part);
            validation.put(
                    s,
                    done.map(m -> {
                                long shared = words(m.content()).stream()
                                        .filter(asked::contains)
                                        .count();
                                return shared > 0
                                        ? "accepted: on its part (" + shared + " shared words)"
                                        : "flagged: does not mention its part";
                            })
                            .orElse("missing"));
        }
        step.announce(
                "Validation by " + rooms.name(leader) + " (rules: each contribution present and on its part): "
                        + validation.entrySet().stream()
                                .map(e -> rooms.name(e.getKey()) + " " + e.getValue())
                                .toList() + ".",
                Map.of("stage", "validation", "leader", leader, "validation", validation));
        return synthesis(step, members, leader, task, "", Map.of("leader", leader, "validation", validation));
    }

    // ---- synthesis ------------------------------------------------------------------------------

    private Run synthesis(
            Step step,
            List<String> members,
            String writer,
            String question,
            String verdictText,
            Map<String, Object> verdict) {
        Map<String, List<String>> cited = new LinkedHashMap<>();
        for (String m : members) {
            cited.put(
                    m,
                    step.said.getOrDefault(m, List.of()).stream()
                            .map(RoomMessage::id)
                            .toList());
        }
        String quoted = quotes(members, step.said);
        Map<String, Object> metadata = new LinkedHashMap<>(verdict);
        metadata.put("protocol", step.request.protocol());
        metadata.put("stage", "synthesis");
        metadata.put("question", question);
        metadata.put(
                "citations",
                cited.entrySet().stream()
                        .map(e ->
                                Map.of("speaker", e.getKey(), "name", rooms.name(e.getKey()), "messages", e.getValue()))
                        .toList());
        metadata.put("complete", !step.stopped);
        RoomMessage synthesis;
        Optional<RoomMessage> written = step.stopped
                ? Optional.empty()
                : rooms.turn(
                        step.room,
                        writer,
                        List.of(),
                        Optional.of("Write the final synthesis of this " + step.request.protocol() + " on \"" + question
                                + "\": where the participants agree, "
                                + "where they differ, and the conclusion"
                                + (verdictText.isEmpty() ? "" : " (" + verdictText + ")")
                                + ". Cite each participant by name in square brackets, e.g. ["
                                + rooms.name(members.get(0)) + "], for what they said."),
                        Optional.of(seen -> offlineSynthesis(step.request.protocol(), question, verdictText, quoted)),
                        "synthesis",
                        metadata);
        if (written.isPresent()) {
            RoomMessage m = written.get();
            List<String> missing = members.stream()
                    .filter(p -> !m.content()
                            .toLowerCase(Locale.ROOT)
                            .contains(rooms.name(p).toLowerCase(Locale.ROOT)))
                    .toList();
            if (missing.isEmpty()) {
                synthesis = m;
            } else {
                // The model left someone out: the room adds what they said, quoted, so every participant is cited.
                synthesis = rooms.system(
                        step.room,
                        "Citations the synthesis left out:\n" + quotes(missing, step.said),
                        Map.of(
                                "protocol",
                                step.request.protocol(),
                                "stage",
                                "citations",
                                "for",
                                m.id(),
                                "missing",
                                missing));
                step.transcript.add(m);
            }
        } else {
            Map<String, Object> extractive = new LinkedHashMap<>(metadata);
            extractive.put("complete", false);
            synthesis = rooms.system(
                    step.room, offlineSynthesis(step.request.protocol(), question, verdictText, quoted), extractive);
        }
        step.transcript.add(synthesis);
        return new Run(step.request.protocol(), step.transcript, synthesis, !step.stopped);
    }

    private String quotes(List<String> members, Map<String, List<RoomMessage>> said) {
        StringBuilder out = new StringBuilder();
        for (String m : members) {
            List<RoomMessage> theirs = said.getOrDefault(m, List.of());
            out.append("- [").append(rooms.name(m)).append("] ");
            if (theirs.isEmpty()) {
                out.append("said nothing before the run stopped.\n");
                continue;
            }
            out.append('"')
                    .append(snippet(theirs.get(0).content(), 200))
                    .append("\" (#")
                    .append(theirs.get(0).seq())
                    .append(')');
            if (theirs.size() > 1) {
                RoomMessage last = theirs.get(theirs.size() - 1);
                out.append("; later: \"")
                        .append(snippet(last.content(), 160))
                        .append("\" (#")
                        .append(last.seq())
                        .append(')');
            }
            out.append('\n');
        }
        return out.toString().strip();
    }

    private static String offlineSynthesis(String protocol, String question, String verdictText, String quoted) {
        return "Synthesis of the " + protocol + " on \"" + question
                + "\" (offline: this quotes what each participant said; "
                + "no language model weighed the arguments):\n" + quoted
                + (verdictText.isEmpty() ? "" : "\n" + verdictText);
    }

    // ---- offline texts (deterministic, and saying what they are) -------------------------------

    private static String offlinePosition(Personality me, String question) {
        String values = me.values().isEmpty()
                ? "my own perspective"
                : String.join(
                        " and ", me.values().subList(0, Math.min(2, me.values().size())));
        String style = me.style().isEmpty() ? "" : " " + me.style().get(0);
        return "My position on \"" + snippet(question, 160) + "\" starts from what I value: " + values + "." + style
                + " (Offline: composed from my persona, not reasoned about the question.)";
    }

    private static String offlineRebuttal(Personality me, String target, Optional<RoomMessage> theirs, int round) {
        String value = me.values().isEmpty()
                ? "my own perspective"
                : me.values().get(round % me.values().size());
        return theirs.map(m -> "Round " + round + ", to " + target + ", who said \"" + snippet(m.content(), 120)
                                + "\": I grant part of it, but " + value
                                + " weighs more for me, so my position stands.")
                        .orElse("Round " + round + ": I have not heard " + target + " yet, so my position stands on "
                                + value + ".")
                + " (Offline.)";
    }

    private String offlineVerdict(Personality me, List<String> members) {
        return "As judge I cannot weigh the arguments offline; I name no winner. The positions stand side by side: "
                + String.join(", ", members.stream().map(rooms::name).toList()) + ".";
    }

    private String offlineVote(Personality me, List<String> others, Map<String, List<RoomMessage>> said) {
        // The other whose words overlap most with my own values and description: a stated, reproducible rule.
        Set<String> mine = words(String.join(" ", me.values()) + " " + me.description());
        String choice = others.get(0);
        long best = -1;
        for (String o : others) {
            long overlap = said.getOrDefault(o, List.of()).stream()
                    .flatMap(m -> words(m.content()).stream())
                    .distinct()
                    .filter(mine::contains)
                    .count();
            if (overlap > best) {
                best = overlap;
                choice = o;
            }
        }
        return rooms.name(choice) + ". (Offline vote: the participant whose words share the most with my own values, "
                + best + " words.)";
    }

    private static String offlineContribution(Personality me, String part) {
        String value = me.values().isEmpty() ? "care" : me.values().get(0);
        return "My part, " + part + ": I take it on as " + me.name() + ", guided by " + value + "."
                + (me.style().isEmpty() ? "" : " " + me.style().get(0))
                + " (Offline: a statement of approach, not the finished work.)";
    }

    private static String capability(Personality p) {
        if (!p.tags().isEmpty()) {
            return String.join(", ", p.tags().subList(0, Math.min(3, p.tags().size())));
        }
        return snippet(p.description(), 80);
    }

    private Optional<String> votedFor(String ballot, List<String> others) {
        String text = ballot.toLowerCase(Locale.ROOT);
        String best = null;
        int at = Integer.MAX_VALUE;
        for (String o : others) {
            for (String form : List.of(rooms.name(o).toLowerCase(Locale.ROOT), o.toLowerCase(Locale.ROOT))) {
                int i = text.indexOf(form);
                if (i >= 0 && i < at) {
                    at = i;
                    best = o;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static Optional<RoomMessage> lastBy(List<RoomMessage> seen, String speaker) {
        for (int i = seen.size() - 1; i >= 0; i--) {
            if (seen.get(i).fromPersonality() && seen.get(i).speaker().equals(speaker)) {
                return Optional.of(seen.get(i));
            }
        }
        return Optional.empty();
    }

    static String snippet(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1).strip() + "…";
    }

    private static Set<String> words(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() > 3) {
                out.add(w);
            }
        }
        return out;
    }
}
