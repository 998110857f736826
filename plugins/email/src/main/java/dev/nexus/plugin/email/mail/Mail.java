package dev.nexus.plugin.email.mail;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One mail of the watched folder, as far as the connector needs it. Immutable. Ids are kept with their
 * angle brackets ({@code <abc@example.org>}) and only when well formed; addresses are lower-cased.
 *
 * @param uid the mail's IMAP UID in its folder
 * @param messageId its {@code Message-ID}
 * @param inReplyTo the first id of {@code In-Reply-To}
 * @param references the ids of {@code References}, oldest first (at most {@value #MAX_REFERENCES})
 * @param from the sender's address, lower case
 * @param subject the decoded subject, control characters removed
 * @param headers the headers that tell automatic mail apart, by lower-case name (first value)
 * @param plain the first {@code text/plain} body part that is not an attachment, at most the read limit
 * @param html the first {@code text/html} body part that is not an attachment, at most the read limit
 * @param sentAt its {@code Date}
 * @param problem why the mail could not be read, when it could not (its other fields are then partial)
 */
public record Mail(
        long uid,
        Optional<String> messageId,
        Optional<String> inReplyTo,
        List<String> references,
        Optional<String> from,
        String subject,
        Map<String, String> headers,
        Optional<String> plain,
        Optional<String> html,
        Optional<Instant> sentAt,
        Optional<String> problem) {

    /** The most {@code References} ids kept: the thread's root and the latest ones. */
    public static final int MAX_REFERENCES = 20;

    /** Copies the collections. */
    public Mail {
        references = List.copyOf(references);
        headers = Map.copyOf(headers);
    }

    /** Returns the header {@code name} (lower case), or empty. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }
}
