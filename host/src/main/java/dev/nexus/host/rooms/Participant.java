package dev.nexus.host.rooms;

import dev.nexus.host.InvalidInputException;
import java.util.Locale;

/**
 * Someone in a room: a person (by user id, each their own principal) or a personality (by id).
 * Written {@code user:alice} or {@code personality:hunter} where one string must say which. Immutable.
 *
 * @param kind who it is
 * @param name the user id or personality id
 */
public record Participant(Kind kind, String name) {

    /** What kind of participant. */
    public enum Kind {
        /** A person, by user id. */
        USER,
        /** A personality, by id. */
        PERSONALITY;

        /** Returns the lower-case word stored and shown. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind of(String word) {
            return switch (word) {
                case "user" -> USER;
                case "personality" -> PERSONALITY;
                default ->
                    throw new InvalidInputException("participant kind must be 'user' or 'personality', got '"
                            + InvalidInputException.cap(word) + "'");
            };
        }
    }

    /** Validates the name. */
    public Participant {
        if (kind == null) {
            throw new InvalidInputException("participant kind is required");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidInputException("a participant needs a " + kind.word() + " id of 1 to 200 characters");
        }
    }

    /** A person. */
    public static Participant user(String id) {
        return new Participant(Kind.USER, id);
    }

    /** A personality. */
    public static Participant personality(String id) {
        return new Participant(Kind.PERSONALITY, id);
    }

    /**
     * Parses {@code user:alice} or {@code personality:hunter}.
     *
     * @throws InvalidInputException naming the expected form
     */
    public static Participant parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon <= 0) {
            throw new InvalidInputException("a participant is written 'user:<id>' or 'personality:<id>', got '"
                    + InvalidInputException.cap(String.valueOf(text)) + "'");
        }
        return new Participant(Kind.of(text.substring(0, colon)), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return kind.word() + ":" + name;
    }
}
