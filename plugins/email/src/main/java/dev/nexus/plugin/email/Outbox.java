package dev.nexus.plugin.email;

import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.plugin.email.mail.Ids;
import dev.nexus.plugin.email.mail.Outgoing;
import dev.nexus.plugin.email.mail.Smtp;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sends replies over SMTP to the sender of the mail answered, in its thread: {@code Re:} subject,
 * {@code In-Reply-To} the mail answered, {@code References} the thread, our own {@code Message-ID}
 * (derived from the reply's id, so a retried reply keeps it), a plain part and an escaped HTML
 * alternative. A failure that may pass retries later with backoff through the host's outbox; a
 * permanent refusal (a 5xx answer, an invalid address) fails at once and is logged. Thread-safe.
 */
final class Outbox {

    private final EmailSettings settings;
    private final Supplier<Optional<String>> password;
    private final System.Logger log;

    Outbox(EmailSettings settings, Supplier<Optional<String>> password, System.Logger log) {
        this.settings = settings;
        this.password = password;
        this.log = log;
    }

    DeliveryResult send(OutboundMessage message) {
        String to = message.replyTo().getOrDefault(Mails.TO, "");
        if (to.isBlank()) {
            return new DeliveryResult.Failed("the reply has no address to go to (it does not answer a mail)");
        }
        Optional<String> secret = password.get();
        if (secret.isEmpty()) {
            return new DeliveryResult.RetryLater(
                    backoff(message.attempt()),
                    "no password to log in to SMTP: set"
                            + " NEXUS_SECRET_EMAIL_PASSWORD or PUT /v1/secrets/email/password");
        }
        String messageId = "<nexus." + hash(message.messageId()) + "@" + settings.domain() + ">";
        Outgoing mail = new Outgoing(
                settings.address(),
                to,
                subject(message.replyTo().getOrDefault(Mails.SUBJECT, "")),
                messageId,
                Optional.ofNullable(message.replyTo().get(Mails.ANSWERED)),
                Ids.all(message.replyTo().getOrDefault(Mails.REFERENCES, "")),
                message.text(),
                MailText.toHtml(message.text()));
        return switch (new Smtp(settings.smtp().withPassword(secret.get())).send(mail)) {
            case Smtp.Result.Sent sent -> new DeliveryResult.Delivered(messageId);
            case Smtp.Result.Transient failure ->
                new DeliveryResult.RetryLater(backoff(message.attempt()), failure.reason());
            case Smtp.Result.Permanent refused -> {
                log.log(
                        Level.WARNING,
                        "email reply " + message.messageId() + " to " + EmailSettings.cap(to) + " is given up: "
                                + refused.reason());
                yield new DeliveryResult.Failed(refused.reason());
            }
        };
    }

    /** {@code Re: <subject>}, without a second {@code Re:}; a mail without subject gets {@code Re: your mail}. */
    static String subject(String original) {
        String subject = original.replaceAll("\\p{Cntrl}+", " ").strip();
        if (subject.isEmpty()) {
            return "Re: your mail";
        }
        if (subject.toLowerCase(Locale.ROOT).matches("^(re|aw|sv)\\s*:.*")) {
            return subject;
        }
        return "Re: " + subject;
    }

    private Duration backoff(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 20));
        Duration wait = Duration.ofSeconds(2L << doublings);
        return wait.compareTo(settings.backoffMax()) <= 0 ? wait : settings.backoffMax();
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
