package dev.nexus.host.conversation;

import dev.nexus.host.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who said a user message, when a conversation holds turns of several people (issue 16, item 5): a
 * group chat relayed through the API, a platform's group thread. Immutable.
 *
 * @param name the name the prompt shows before the turn ("Ana"), 1–{@value #MAX_NAME} characters
 *     without control characters
 * @param id the speaker's identity, when known: a platform identity ({@code telegram:4711}) or a
 *     user id; 1–{@value #MAX_ID} characters without control characters
 */
public record Speaker(String name, Optional<String> id) {

    /** The longest speaker name. */
    public static final int MAX_NAME = 100;
    /** The longest speaker identity. */
    public static final int MAX_ID = 200;

    /** Strips the name; an absent id is empty. */
    public Speaker {
        name = name == null ? "" : name.strip();
        id = id == null ? Optional.empty() : id.map(String::strip);
    }

    /** A speaker known by name only. */
    public static Speaker named(String name) {
        return new Speaker(name, Optional.empty());
    }

    /** Returns true when this speaker is {@code user} themself (their id is the user's id). */
    public boolean is(String user) {
        return id.filter(user::equals).isPresent();
    }

    /**
     * Returns what is wrong with this speaker, each naming its field ({@code speaker.name},
     * {@code speaker.id}) and the fix; empty when it is valid.
     */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (name.isEmpty()) {
            problems.add("speaker.name is required when a speaker is given (the name shown before the turn, e.g."
                    + " \"Ana\"); leave out speaker for the conversation's own user");
        } else if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            problems.add("speaker.name must be 1-" + MAX_NAME + " characters without control characters, got "
                    + name.length() + " characters '" + InvalidInputException.cap(name.replaceAll("\\p{Cntrl}", "?"))
                    + "'");
        }
        if (id.isPresent()
                && (id.get().isEmpty()
                        || id.get().length() > MAX_ID
                        || id.get().chars().anyMatch(Character::isISOControl))) {
            problems.add("speaker.id must be 1-" + MAX_ID + " characters without control characters (e.g."
                    + " \"telegram:4711\"), got " + id.get().length() + " characters; leave it out when unknown");
        }
        return problems;
    }
}
