package dev.nexus.host.rooms;

import dev.nexus.host.llm.Grounding;
import dev.nexus.host.llm.LanguageModel;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.ModelMessage;
import dev.nexus.host.llm.ModelReply;
import dev.nexus.host.llm.ModelRequest;
import dev.nexus.host.persona.PersonaGrounding;
import dev.nexus.host.persona.PersonaPrompt;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityVersion;
import dev.nexus.host.persona.TraitRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes one personality's turn in a room. The prompt holds the personality (with any borrowed
 * traits), who else is in the room, and only the messages this personality witnessed: its own as
 * assistant turns, everyone else's as user turns prefixed with the speaker's name. A protocol step adds
 * its task as the last message. The offline model answers from {@code offline} (protocols pass their
 * deterministic text) or, for ordinary turns, from the personality's offline reply to the last
 * message. Stateless and thread-safe.
 */
final class Speaker {

    /** How many witnessed messages a prompt holds at most (the newest). */
    static final int WINDOW = 40;

    /**
     * A written turn. Immutable.
     *
     * @param text the reply
     * @param tokens prompt and reply tokens used
     * @param metadata model, offline, usage, personality version, traits used, borrowed traits
     */
    record Turn(String text, int tokens, Map<String, Object> metadata) {}

    private final LanguageModels models;
    private final PersonaPrompt prompt = new PersonaPrompt(new TraitRenderer());
    private final String defaultPrompt;

    Speaker(LanguageModels models, String defaultPrompt) {
        this.models = models;
        this.defaultPrompt = defaultPrompt;
    }

    /** Returns true when no language model is configured (every turn is composed offline). */
    boolean offline() {
        return models.offline();
    }

    /**
     * Writes {@code version}'s turn.
     *
     * @param lent the personality as it answers (borrowed traits applied) and what it borrowed
     * @param room the room, for who else is present
     * @param witnessed what this personality witnessed, oldest first
     * @param names display names of the personalities by id
     * @param task the protocol step's instruction, or empty for an ordinary turn
     * @param offline the offline text for a protocol step, given what the personality witnessed
     */
    Turn speak(
            PersonalityVersion version,
            Borrowing.Lent lent,
            Room room,
            List<RoomMessage> witnessed,
            Function<String, String> names,
            Optional<String> task,
            Optional<String> offline) {
        Personality personality = lent.personality();
        List<ModelMessage> messages = new ArrayList<>();
        String lastOther = "";
        String lastSpeaker = "";
        for (RoomMessage m : witnessed.subList(Math.max(0, witnessed.size() - WINDOW), witnessed.size())) {
            if (m.fromPersonality() && m.speaker().equals(personality.id().value())) {
                messages.add(ModelMessage.assistant(m.content()));
            } else {
                String who = m.fromPersonality() ? names.apply(m.speaker()) : m.fromUser() ? m.speaker() : "[room]";
                messages.add(ModelMessage.user(who + ": " + m.content()));
                lastOther = m.content();
                lastSpeaker = who;
            }
        }
        task.ifPresent(t -> messages.add(ModelMessage.user("[moderator] " + t)));
        String system =
                prompt.section(personality, "the room", defaultPrompt) + "\n\n" + roomNote(personality, room, names);
        String question = lastOther;
        String asker = lastSpeaker;
        Grounding grounding = offline.<Grounding>map(text -> message -> text)
                .orElseGet(() -> message ->
                        new PersonaGrounding(personality, asker, false, List.of(), List.of()).offlineReply(question));
        LanguageModel model = personality
                .model()
                .map(choice -> models.chosen(personality.id().value(), choice))
                .orElseGet(models::defaultModel);
        ModelReply reply = model.chat(ModelRequest.of(system, messages).withGrounding(grounding));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("personality", Map.of("id", personality.id().value(), "version", version.version()));
        metadata.put("traits", personality.traits().values());
        if (!lent.borrowed().isEmpty()) {
            metadata.put("borrowed", lent.borrowed());
        }
        metadata.put("offline", reply.offline());
        metadata.put("model", reply.model().provider() + "/" + reply.model().name());
        metadata.put(
                "usage",
                Map.of("input", reply.usage().input(), "output", reply.usage().output()));
        metadata.put("witnessedMessages", witnessed.size());
        return new Turn(reply.text().strip(), reply.usage().total(), metadata);
    }

    private static String roomNote(Personality personality, Room room, Function<String, String> names) {
        List<String> others = new ArrayList<>();
        for (String id : room.personalities()) {
            if (!id.equals(personality.id().value())) {
                others.add(names.apply(id));
            }
        }
        return "## The room\nYou are " + personality.name() + ", one participant of a group conversation (\""
                + room.title()
                + "\"). Also present: " + (others.isEmpty() ? "no other personality" : String.join(", ", others))
                + (room.users().isEmpty() ? "" : "; people: " + String.join(", ", room.users())) + ".\n"
                + "Messages from others start with the speaker's name. Speak only as " + personality.name()
                + ", in your own voice; never write lines for anyone else, and do not prefix your reply with your name. "
                + "You know only what was said while you were in the room.";
    }
}
