package dev.nexus.plugin.email.mail;

import java.util.List;
import java.util.Optional;

/**
 * A reply to send. Immutable. {@link Smtp} checks every header value again before it is written
 * (addresses strictly, ids against the msg-id shape, no line breaks anywhere), so nothing a sender
 * wrote can add a header.
 *
 * @param from our address
 * @param to the recipient's address
 * @param subject the subject, without line breaks
 * @param messageId our {@code Message-ID}, with angle brackets
 * @param inReplyTo the id of the mail answered
 * @param references the thread's ids, oldest first
 * @param text the plain-text body
 * @param html the HTML alternative (already escaped)
 */
public record Outgoing(
        String from,
        String to,
        String subject,
        String messageId,
        Optional<String> inReplyTo,
        List<String> references,
        String text,
        String html) {

    /** Copies the list. */
    public Outgoing {
        references = List.copyOf(references);
    }
}
