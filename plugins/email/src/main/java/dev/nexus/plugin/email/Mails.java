package dev.nexus.plugin.email;

import dev.nexus.api.platform.InboundMessage;
import dev.nexus.plugin.email.mail.Mail;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a mail into what the host takes. The sender's address is the platform user; the thread is the
 * root of the mail's thread (the first {@code References} id, else {@code In-Reply-To}, else its own
 * {@code Message-ID}), so every mail of one email thread continues one conversation, whoever wrote it;
 * the external id is the {@code Message-ID}, so a mail fetched twice is stored once. Automatic mail
 * (auto-replies, bounces, bulk and list mail) and mail from our own address are skipped, so the
 * personality never answers a vacation responder. Immutable and thread-safe.
 */
final class Mails {

    /** The replyTo keys handed back in outbound messages. */
    static final String TO = "to";

    static final String SUBJECT = "subject";
    static final String ANSWERED = "message-id";
    static final String REFERENCES = "references";

    /** What a mail comes to. */
    sealed interface Read {
        /** A message for the host. */
        record Message(InboundMessage message) implements Read {}

        /** Nothing for the host, and why (for the log). */
        record Skip(String why) implements Read {}
    }

    private final EmailSettings settings;

    Mails(EmailSettings settings) {
        this.settings = settings;
    }

    Read read(Mail mail, long validity, Instant now) {
        if (mail.problem().isPresent()) {
            return new Read.Skip(
                    "mail " + mail.uid() + " cannot be read: " + mail.problem().get());
        }
        if (mail.from().isEmpty()) {
            return new Read.Skip("mail " + mail.uid() + " has no readable sender address");
        }
        String from = mail.from().get();
        if (from.equals(settings.address())) {
            return new Read.Skip("mail " + mail.uid() + " is from our own address");
        }
        Optional<String> automatic = automatic(mail, from);
        if (automatic.isPresent()) {
            return new Read.Skip("mail " + mail.uid() + " is automatic (" + automatic.get() + ")");
        }
        String body = mail.plain()
                .filter(p -> !p.isBlank())
                .or(() -> mail.html().map(MailText::fromHtml))
                .orElse("");
        String text = MailText.newText(body, settings.maxTextChars());
        if (text.isBlank() && mail.inReplyTo().isEmpty() && mail.references().isEmpty()) {
            text = MailText.newText(
                    mail.subject(), settings.maxTextChars()); // a new mail that says it all in its subject
        }
        if (text.isBlank()) {
            return new Read.Skip("mail " + mail.uid() + " has no new text");
        }
        String externalId = mail.messageId().map(Mails::bounded).orElse("uid:" + validity + ":" + mail.uid());
        String root = !mail.references().isEmpty()
                ? mail.references().get(0)
                : mail.inReplyTo().or(mail::messageId).orElse(externalId);
        Map<String, String> replyTo = new HashMap<>();
        replyTo.put(TO, from);
        replyTo.put(SUBJECT, mail.subject());
        mail.messageId().ifPresent(id -> replyTo.put(ANSWERED, id));
        List<String> references = new ArrayList<>(mail.references());
        if (references.isEmpty()) {
            mail.inReplyTo().ifPresent(references::add);
        }
        mail.messageId().filter(id -> !references.contains(id)).ifPresent(references::add);
        replyTo.put(
                REFERENCES, String.join(" ", dev.nexus.plugin.email.mail.Ids.trimmed(references, Mail.MAX_REFERENCES)));
        return new Read.Message(new InboundMessage(
                EmailConnector.PLATFORM,
                externalId,
                from,
                settings.personality(),
                Optional.empty(),
                text,
                mail.sentAt().orElse(now),
                replyTo,
                Optional.of(bounded(root))));
    }

    /** Why a mail is automatic, if it is (RFC 3834 Auto-Submitted, Precedence, common vendor headers, bounces). */
    static Optional<String> automatic(Mail mail, String from) {
        String auto = mail.header("auto-submitted").orElse("no").strip().toLowerCase(Locale.ROOT);
        if (!auto.startsWith("no")) {
            return Optional.of("Auto-Submitted: " + EmailSettings.cap(auto));
        }
        String precedence = mail.header("precedence").orElse("").strip().toLowerCase(Locale.ROOT);
        if (precedence.equals("bulk")
                || precedence.equals("junk")
                || precedence.equals("list")
                || precedence.equals("auto_reply")) {
            return Optional.of("Precedence: " + precedence);
        }
        if (mail.header("x-autoreply").isPresent()
                || mail.header("x-autorespond").isPresent()) {
            return Optional.of("an auto-reply header");
        }
        if (mail.header("list-id").isPresent()) {
            return Optional.of("mailing-list mail");
        }
        if (mail.header("return-path")
                .map(String::strip)
                .filter(path -> path.equals("<>"))
                .isPresent()) {
            return Optional.of("an empty Return-Path (a bounce)");
        }
        if (mail.header("content-type").orElse("").toLowerCase(Locale.ROOT).startsWith("multipart/report")) {
            return Optional.of("a delivery report");
        }
        String local = from.substring(0, from.indexOf('@'));
        if (local.equals("mailer-daemon") || local.equals("postmaster") || local.matches("no-?reply|do-?not-?reply")) {
            return Optional.of("sent from " + local);
        }
        return Optional.empty();
    }

    /** An id the host can store (at most 150 characters, no control characters); longer ones are hashed. */
    static String bounded(String id) {
        if (id.length() <= 150 && id.chars().noneMatch(Character::isISOControl)) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
