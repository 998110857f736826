package dev.nexus.host.auth;

import dev.nexus.host.InvalidInputException;

/** Rules for user ids (principals) wherever they are named: keys, links, paths. Stateless. */
public final class Principals {

    /** The longest user id, as stored in every table that keeps one. */
    public static final int MAX_LENGTH = 200;

    private Principals() {}

    /**
     * Checks a user id: 1-200 characters, no control characters, no unpaired surrogates.
     *
     * @param field the field or parameter that carried it, for the message
     * @throws InvalidInputException naming the field and the fix
     */
    public static String requireValid(String field, String user) {
        if (user == null || user.isBlank() || user.length() > MAX_LENGTH) {
            throw new InvalidInputException("'" + field + "' must be a user id of 1-" + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidInputException(
                        "'" + field + "' must not contain control characters; use printable text");
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c)
                        && i + 1 < user.length()
                        && Character.isLowSurrogate(user.charAt(i + 1));
                if (!paired) {
                    throw new InvalidInputException(
                            "'" + field + "' contains an unpaired UTF-16 surrogate; send valid Unicode text");
                }
                i++;
            }
        }
        return user;
    }
}
