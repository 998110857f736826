package dev.nexus.host.rooms;

import dev.nexus.host.ConflictException;
import dev.nexus.host.Ids;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.db.Database;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import dev.nexus.host.persona.PersonalityVersion;
import dev.nexus.host.routing.PersonalityRouter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The front door of rooms: conversations with several personalities and several people, each person
 * their own principal. Creates rooms, adds and removes participants, takes a person's message and
 * lets the personalities the room's {@link TurnPolicy} picks answer it, and runs the
 * {@link Protocols} (debate, panel, team) over a room.
 *
 * <p><b>Who witnessed what.</b> Every participant sees, and every personality is prompted with, only
 * the messages said while it was in the room (see {@link RoomRepository#witnessed}). Room messages are
 * not written into long-term memory (whose facts every personality of a user may recall), so what a
 * personality knows of a room is exactly what it witnessed there; its knowledge packs stay its own.
 *
 * <p><b>Loop guard.</b> Personality turns after one person's message are bounded by the room's
 * {@code maxConsecutive}; no personality answers itself (in free mode the next speaker is never the last
 * one); and every personality turn spends the room's token budget, after which personalities stay
 * silent until an admin raises it. Thread-safe.
 */
public final class RoomService {

    /** The defaults and limits of a room's settings. */
    public static final int DEFAULT_MAX_CONSECUTIVE = 3;

    public static final int MAX_CONSECUTIVE_LIMIT = 20;
    public static final int DEFAULT_TOKEN_BUDGET = 60_000;
    public static final int TOKEN_BUDGET_LIMIT = 2_000_000;
    static final int MAX_MESSAGE_CHARS = 8_000;
    private static final int MAX_PARTICIPANTS = 12;

    /**
     * What a new room should be. Immutable.
     *
     * @param title a title for people (1–200 characters)
     * @param policy the turn-taking policy
     * @param personalities the personalities in it at the start
     * @param users the people in it at the start besides its creator
     * @param maxConsecutive personality turns in a row at most, in [1, {@value #MAX_CONSECUTIVE_LIMIT}]
     * @param tokenBudget model tokens the room may spend, in [1, {@value #TOKEN_BUDGET_LIMIT}]
     * @param borrow trait loans for the whole room
     */
    public record NewRoom(
            String title,
            TurnPolicy policy,
            List<String> personalities,
            List<String> users,
            int maxConsecutive,
            int tokenBudget,
            List<TraitLoan> borrow) {
        /** Validates the settings. */
        public NewRoom {
            if (title == null || title.isBlank() || title.length() > 200) {
                throw new InvalidInputException("title must be 1 to 200 characters");
            }
            personalities = List.copyOf(new LinkedHashSet<>(personalities));
            users = List.copyOf(new LinkedHashSet<>(users));
            borrow = List.copyOf(borrow);
            if (maxConsecutive < 1 || maxConsecutive > MAX_CONSECUTIVE_LIMIT) {
                throw new InvalidInputException(
                        "maxConsecutiveTurns must be within [1, " + MAX_CONSECUTIVE_LIMIT + "], got " + maxConsecutive);
            }
            if (tokenBudget < 1 || tokenBudget > TOKEN_BUDGET_LIMIT) {
                throw new InvalidInputException(
                        "tokenBudget must be within [1, " + TOKEN_BUDGET_LIMIT + "], got " + tokenBudget);
            }
            if (personalities.size() + users.size() + 1 > MAX_PARTICIPANTS) {
                throw new InvalidInputException(
                        "a room holds at most " + MAX_PARTICIPANTS + " participants, its creator included");
            }
        }
    }

    /**
     * What {@link #post} did. Immutable.
     *
     * @param message the person's stored message
     * @param replies the personalities' replies, in order
     * @param stopped why the personalities stopped: {@code done}, {@code nobody-addressed}, {@code max-consecutive},
     *     {@code token-budget} or {@code passed}
     */
    public record Posted(RoomMessage message, List<RoomMessage> replies, String stopped) {}

    private final RoomRepository repository;
    private final PersonalityLookup lookup;
    private final PersonalityRouter router;
    private final Speaker speaker;
    private final Clock clock;
    private final RoomEvents events = new RoomEvents();

    /**
     * Creates the service.
     *
     * @param database where rooms are stored
     * @param lookup the current versions of personalities
     * @param models the language models
     * @param router ranks personalities for the relevance and free policies
     * @param defaultPrompt the host's default system prompt ({@code chat.default-prompt})
     * @param clock timestamps and ids
     */
    public RoomService(
            Database database,
            PersonalityLookup lookup,
            LanguageModels models,
            PersonalityRouter router,
            String defaultPrompt,
            Clock clock) {
        this.repository = new RoomRepository(database);
        this.lookup = lookup;
        this.router = router;
        this.speaker = new Speaker(models, defaultPrompt);
        this.clock = clock;
    }

    /**
     * Creates a room with {@code creator} in it.
     *
     * @throws NotFoundException for an unknown personality (or a loan naming one)
     */
    public Room create(String creator, NewRoom spec) {
        List<Participant> participants = new ArrayList<>();
        participants.add(Participant.user(creator));
        spec.users().stream()
                .filter(u -> !u.equals(creator))
                .map(Participant::user)
                .forEach(participants::add);
        for (String id : spec.personalities()) {
            version(id);
            participants.add(Participant.personality(id));
        }
        Borrowing.check(spec.borrow(), lookup);
        String id = Ids.newId(clock);
        repository.create(
                id,
                spec.title().strip(),
                creator,
                spec.policy(),
                spec.maxConsecutive(),
                spec.tokenBudget(),
                spec.borrow(),
                participants,
                () -> Ids.newId(clock),
                clock.instant());
        return room(id);
    }

    /** Returns the room. @throws NotFoundException when unknown */
    public Room room(String id) {
        return repository.room(id).orElseThrow(() -> NotFoundException.of("room", id));
    }

    /** Returns the user who created room {@code id} if {@code user} is in it now; for the HTTP access rule. */
    public boolean isMember(String id, String user) {
        return repository.present(id, Participant.user(user));
    }

    /** Returns true when room {@code id} exists. */
    public boolean exists(String id) {
        return repository.room(id).isPresent();
    }

    /** Returns the rooms {@code user} is in now, newest first. */
    public List<Room> roomsOf(String user) {
        return repository.roomsOf(user).stream().map(this::room).toList();
    }

    /** Returns the newest rooms of everyone, at most {@code limit} (for admins). */
    public List<Room> all(int limit) {
        return repository.allRooms(limit).stream().map(this::room).toList();
    }

    /**
     * Adds {@code participant} to the room; it witnesses what is said from now on, nothing before.
     *
     * @throws NotFoundException for an unknown room or personality
     * @throws ConflictException when it is already in the room, or the room is full
     */
    public Room join(String id, Participant participant, String by) {
        Room room = room(id);
        if (participant.kind() == Participant.Kind.PERSONALITY) {
            version(participant.name());
        }
        if (room.present().size() >= MAX_PARTICIPANTS) {
            throw new ConflictException(
                    "room " + id + " already holds " + MAX_PARTICIPANTS + " participants; remove one first");
        }
        String text = display(participant) + " joined (added by " + by + ").";
        repository
                .join(
                        id,
                        participant,
                        Ids.newId(clock),
                        note(text, Map.of("event", "joined", "participant", participant.toString())))
                .ifPresentOrElse(events::stored, () -> {
                    throw new ConflictException(participant + " is already in room " + id);
                });
        return room(id);
    }

    /**
     * Removes {@code participant}; it keeps what it witnessed and sees nothing said after.
     *
     * @throws NotFoundException for an unknown room, or a participant not in it
     */
    public Room leave(String id, Participant participant, String by) {
        room(id);
        String text =
                display(participant) + " left" + (by.equals(participant.name()) ? "." : " (removed by " + by + ").");
        repository
                .leave(id, participant, note(text, Map.of("event", "left", "participant", participant.toString())))
                .ifPresentOrElse(events::stored, () -> {
                    throw NotFoundException.of("participant of room " + id, participant.toString());
                });
        return room(id);
    }

    /**
     * Returns the room's messages after {@code afterSeq}, oldest first: everything for an admin
     * ({@code viewer} empty), else only what {@code viewer} witnessed.
     */
    public List<RoomMessage> messages(String id, Optional<Participant> viewer, long afterSeq, int limit) {
        room(id);
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit must be within [1, 500], got " + limit);
        }
        return viewer.map(v -> repository.witnessed(id, v, afterSeq, limit))
                .orElseGet(() -> repository.messages(id, afterSeq, limit));
    }

    /**
     * Stores {@code user}'s message and lets personalities answer it: those it addresses ({@code to},
     * or named in the text as {@code @id}, {@code @Firstname} or their full name), else the ones the
     * room's policy picks.
     *
     * @throws ConflictException when {@code user} is not in the room
     * @throws InvalidInputException for an empty or oversized message, or {@code to} naming a personality not present
     */
    public Posted post(String id, String user, String text, List<String> to, List<TraitLoan> borrow) {
        if (text == null || text.isBlank() || text.length() > MAX_MESSAGE_CHARS) {
            throw new InvalidInputException("message must be 1 to " + MAX_MESSAGE_CHARS + " characters");
        }
        Room room = room(id);
        if (!room.has(Participant.user(user))) {
            throw new ConflictException(
                    "user '" + user + "' is not in room " + id + "; add user:" + user + " as a participant first");
        }
        for (String named : to) {
            if (!room.has(Participant.personality(named))) {
                throw new InvalidInputException("'to' names personality '" + InvalidInputException.cap(named)
                        + "', which is not in room " + id + "; present: " + room.personalities());
            }
        }
        Borrowing.check(borrow, lookup);
        RoomMessage said = store(id, "user", user, text.strip(), Map.of(), 0);
        List<String> addressed = new ArrayList<>(new LinkedHashSet<>(to));
        for (String mentioned : mentions(room, text)) {
            if (!addressed.contains(mentioned)) {
                addressed.add(mentioned);
            }
        }
        List<RoomMessage> replies = new ArrayList<>();
        String stopped = answer(room, said, addressed, borrow, replies);
        events.stopped(id, stopped);
        return new Posted(said, replies, stopped);
    }

    private String answer(
            Room room, RoomMessage said, List<String> addressed, List<TraitLoan> borrow, List<RoomMessage> replies) {
        List<String> first;
        String reason;
        if (!addressed.isEmpty()) {
            first = addressed;
            reason = "addressed";
        } else {
            reason = room.policy().word();
            first = switch (room.policy()) {
                case MENTION -> List.of();
                case ROUND_ROBIN -> nextInTurn(room).map(List::of).orElse(List.of());
                case RELEVANCE, FREE ->
                    mostRelevant(room, said.content(), Optional.empty())
                            .map(List::of)
                            .orElse(List.of());
            };
        }
        if (first.isEmpty()) {
            return room.personalities().isEmpty() ? "no-personality" : "nobody-addressed";
        }
        String last = "";
        RoomMessage lastMessage = said;
        for (String personality : first) {
            if (replies.size() >= room.maxConsecutive()) {
                return "max-consecutive";
            }
            Optional<RoomMessage> reply =
                    turn(room.id(), personality, borrow, Optional.empty(), Optional.empty(), reason, Map.of());
            if (reply.isEmpty()) {
                return "token-budget";
            }
            replies.add(reply.get());
            last = personality;
            lastMessage = reply.get();
        }
        if (room.policy() != TurnPolicy.FREE) {
            return "done";
        }
        while (replies.size() < room.maxConsecutive()) {
            Optional<String> next = mostRelevant(room(room.id()), lastMessage.content(), Optional.of(last));
            if (next.isEmpty()) {
                return "done";
            }
            Optional<RoomMessage> reply = turn(
                    room.id(),
                    next.get(),
                    borrow,
                    Optional.of("Answer the last message if you have something to add; if not, reply exactly PASS."),
                    Optional.empty(),
                    "free",
                    Map.of());
            if (reply.isEmpty()) {
                return "token-budget";
            }
            if (reply.get().content().equals(PASSED)) {
                return "passed";
            }
            replies.add(reply.get());
            last = next.get();
            lastMessage = reply.get();
        }
        return "max-consecutive";
    }

    /** The content of a turn a personality passed (never stored). */
    static final String PASSED = "PASS";

    /**
     * Writes one personality turn and stores it: the room's and the turn's loans applied, prompted with
     * what it witnessed. Empty when the room's token budget is spent (nothing is stored then).
     *
     * @param task a protocol step's instruction
     * @param offline the offline text of a protocol step, from what the personality witnessed
     * @param reason why it speaks (stored in the metadata)
     */
    Optional<RoomMessage> turn(
            String roomId,
            String personality,
            List<TraitLoan> loans,
            Optional<String> task,
            Optional<Function<List<RoomMessage>, String>> offline,
            String reason,
            Map<String, Object> extra) {
        Room room = room(roomId);
        if (room.tokensLeft() <= 0) {
            return Optional.empty();
        }
        PersonalityVersion version = version(personality);
        List<TraitLoan> all = new ArrayList<>(room.borrowed());
        all.addAll(loans);
        Borrowing.Lent lent = Borrowing.apply(version, all, lookup);
        List<RoomMessage> witnessed =
                repository.lastWitnessed(roomId, Participant.personality(personality), Speaker.WINDOW);
        events.speaking(roomId, personality, reason);
        Speaker.Turn written =
                speaker.speak(version, lent, room, witnessed, this::name, task, offline.map(f -> f.apply(witnessed)));
        String text = withoutOwnName(written.text(), version.personality());
        if (reason.equals("free") && (text.equals(PASSED) || text.isBlank())) {
            return Optional.of(
                    new RoomMessage("", roomId, 0, "personality", personality, PASSED, Map.of(), clock.instant()));
        }
        Map<String, Object> metadata = new LinkedHashMap<>(written.metadata());
        metadata.put("reason", reason);
        metadata.putAll(extra);
        return Optional.of(
                store(roomId, "personality", personality, text.isBlank() ? "…" : text, metadata, written.tokens()));
    }

    /** Stores a system note (a protocol step's announcement) in the room. */
    RoomMessage system(String roomId, String text, Map<String, Object> metadata) {
        return store(roomId, RoomMessage.SYSTEM, "room", text, metadata, 0);
    }

    /** Tells the room's watchers that a run of turns ended, and why. */
    void stopped(String roomId, String reason) {
        events.stopped(roomId, reason);
    }

    /** Returns the display name of personality {@code id} (its id when it no longer exists). */
    String name(String id) {
        try {
            return lookup.current(PersonalityId.of(id))
                    .map(v -> v.personality().name())
                    .orElse(id);
        } catch (RuntimeException e) {
            return id;
        }
    }

    /** Watches room {@code id}; close to stop. */
    AutoCloseable watch(String id, Consumer<RoomEvents.Event> listener) {
        return events.subscribe(id, listener);
    }

    PersonalityLookup lookup() {
        return lookup;
    }

    PersonalityRouter router() {
        return router;
    }

    boolean offline() {
        return speaker.offline();
    }

    PersonalityVersion version(String id) {
        return lookup.current(PersonalityId.of(id)).orElseThrow(() -> NotFoundException.of("personality", id));
    }

    private RoomMessage store(
            String roomId, String kind, String speakerName, String text, Map<String, Object> metadata, int tokens) {
        RoomMessage stored = repository.append(
                roomId,
                new RoomRepository.NewMessage(
                        Ids.newId(clock), kind, speakerName, text, metadata, tokens, clock.instant()));
        events.stored(stored);
        return stored;
    }

    private RoomRepository.NewMessage note(String text, Map<String, Object> metadata) {
        return new RoomRepository.NewMessage(
                Ids.newId(clock), RoomMessage.SYSTEM, "room", text, metadata, 0, clock.instant());
    }

    private String display(Participant p) {
        return p.kind() == Participant.Kind.PERSONALITY ? name(p.name()) + " (" + p.name() + ")" : p.name();
    }

    /** The next personality after the last one that spoke, in joining order. */
    private Optional<String> nextInTurn(Room room) {
        List<String> present = room.personalities();
        if (present.isEmpty()) {
            return Optional.empty();
        }
        List<RoomMessage> recent = repository.messages(room.id(), 0, Integer.MAX_VALUE);
        for (int i = recent.size() - 1; i >= 0; i--) {
            RoomMessage m = recent.get(i);
            if (m.fromPersonality() && present.contains(m.speaker())) {
                return Optional.of(present.get((present.indexOf(m.speaker()) + 1) % present.size()));
            }
        }
        return Optional.of(present.get(0));
    }

    /** The present personality (other than {@code not}) that best fits {@code text}. */
    private Optional<String> mostRelevant(Room room, String text, Optional<String> not) {
        List<Personality> candidates = new ArrayList<>();
        for (String id : room.personalities()) {
            if (not.filter(id::equals).isEmpty()) {
                lookup.current(PersonalityId.of(id)).ifPresent(v -> candidates.add(v.personality()));
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        return router.rank(text, candidates, List.of()).best().map(dev.nexus.host.routing.Match::id);
    }

    private static final Pattern WORD_EDGE = Pattern.compile("[^\\p{L}\\p{N}-]+");

    /** The personalities present that {@code text} names, in the order they appear. */
    List<String> mentions(Room room, String text) {
        String folded = " "
                + WORD_EDGE
                        .matcher(text.toLowerCase(Locale.ROOT).replace("@", " @"))
                        .replaceAll(" ") + " ";
        String withAt = " " + text.toLowerCase(Locale.ROOT) + " ";
        Map<Integer, String> found = new java.util.TreeMap<>();
        for (String id : room.personalities()) {
            Set<String> forms = new LinkedHashSet<>();
            forms.add("@" + id);
            String name = name(id).toLowerCase(Locale.ROOT);
            forms.add(" " + WORD_EDGE.matcher(name).replaceAll(" ").strip() + " ");
            String firstName = name.split("\\s+")[0];
            forms.add("@" + firstName);
            int at = Integer.MAX_VALUE;
            for (String form : forms) {
                int i = form.startsWith("@") ? indexOfWord(withAt, form) : folded.indexOf(form);
                if (i >= 0) {
                    at = Math.min(at, i);
                }
            }
            if (at != Integer.MAX_VALUE) {
                found.putIfAbsent(at, id);
            }
        }
        return List.copyOf(found.values());
    }

    private static int indexOfWord(String text, String form) {
        int from = 0;
        while (true) {
            int i = text.indexOf(form, from);
            if (i < 0) {
                return -1;
            }
            int end = i + form.length();
            if (end >= text.length() || !Character.isLetterOrDigit(text.charAt(end)) && text.charAt(end) != '-') {
                return i;
            }
            from = i + 1;
        }
    }

    private static String withoutOwnName(String text, Personality personality) {
        String stripped = text.strip();
        String prefix = personality.name() + ":";
        return stripped.regionMatches(true, 0, prefix, 0, prefix.length())
                ? stripped.substring(prefix.length()).strip()
                : stripped;
    }
}
