package dev.nexus.plugin.email.mail;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Sends replies over SMTP: {@code multipart/alternative} with a UTF-8 {@code text/plain} part and a
 * {@code text/html} part, our own {@code Message-ID}, {@code In-Reply-To}, {@code References} and
 * {@code Auto-Submitted: auto-replied}. Every header value is checked before it is written: addresses
 * strictly (RFC 822), ids against the msg-id shape, the subject encoded (RFC 2047) with line breaks
 * removed. Immutable and thread-safe (each send opens its own connection).
 */
public final class Smtp {

    /** What a send came to. */
    public sealed interface Result {
        /** The server took the mail. */
        record Sent() implements Result {}

        /** A failure that may pass (the server is down, a 4xx answer): try again later. */
        record Transient(String reason) implements Result {}

        /** The server refused the mail for good (a 5xx answer for the recipient or the mail): do not retry. */
        record Permanent(String reason) implements Result {}
    }

    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n\\p{Cntrl}]+");

    private final Endpoint endpoint;

    public Smtp(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Sends {@code mail}; failures come back as values. */
    public Result send(Outgoing mail) {
        return Loader.call(() -> {
            MimeMessage message;
            try {
                message = build(Sessions.of("smtp", endpoint), mail);
            } catch (AddressException e) {
                return new Result.Permanent("the address is not valid: " + Sessions.reason(e));
            } catch (MessagingException | IllegalArgumentException e) {
                return new Result.Permanent("the reply cannot be written as a mail: " + Sessions.reason(e));
            }
            try (Transport transport =
                    message.getSession().getTransport(endpoint.security() == Security.TLS ? "smtps" : "smtp")) {
                transport.connect(
                        endpoint.host(),
                        endpoint.port(),
                        endpoint.username(),
                        endpoint.password().isEmpty() ? null : endpoint.password());
                transport.sendMessage(message, message.getAllRecipients());
                return new Result.Sent();
            } catch (MessagingException e) {
                return classify(e);
            }
        });
    }

    private Result classify(MessagingException e) {
        int code = code(e);
        if (code >= 500 && code < 600) {
            return new Result.Permanent(
                    "the SMTP server at " + endpoint + " refused the mail (" + code + "): " + Sessions.reason(e));
        }
        MailServerException failure = Sessions.failure("sending over SMTP", endpoint, e);
        return new Result.Transient(code > 0 ? failure.getMessage() + " (" + code + ")" : failure.getMessage());
    }

    /** The SMTP reply code of a failure, looking into the per-address failures; 0 when there is none. */
    private static int code(Exception e) {
        for (Throwable t = e; t != null; t = t instanceof MessagingException m ? m.getNextException() : null) {
            if (t instanceof SMTPAddressFailedException a) {
                return a.getReturnCode();
            }
            if (t instanceof SMTPSendFailedException s && s.getReturnCode() > 0) {
                return s.getReturnCode();
            }
            if (t instanceof SendFailedException failed
                    && failed.getNextException() == null
                    && failed.getInvalidAddresses() != null
                    && failed.getInvalidAddresses().length > 0) {
                return 550;
            }
        }
        return 0;
    }

    static MimeMessage build(Session session, Outgoing mail) throws MessagingException {
        InternetAddress from = strict(mail.from());
        InternetAddress to = strict(mail.to());
        String subject = LINE_BREAKS.matcher(mail.subject()).replaceAll(" ").strip();
        if (!Ids.valid(mail.messageId())) {
            throw new IllegalArgumentException("our Message-ID is not a valid msg-id");
        }
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", mail.messageId());
            }
        };
        message.setFrom(from);
        message.setRecipients(Message.RecipientType.TO, new Address[] {to});
        if (subject.contains("=?")) {
            // Text that looks like an encoded word would be decoded by the reader's mail program (into line
            // breaks, say): encode the whole subject so it reads back exactly as written.
            message.setHeader("Subject", encodedWords(subject));
        } else {
            message.setSubject(subject, StandardCharsets.UTF_8.name());
        }
        message.setSentDate(new Date());
        mail.inReplyTo().filter(Ids::valid).ifPresent(id -> header(message, "In-Reply-To", id));
        String references =
                String.join(" ", mail.references().stream().filter(Ids::valid).toList());
        if (!references.isEmpty()) {
            header(message, "References", references);
        }
        header(message, "Auto-Submitted", "auto-replied");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(mail.text(), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(plain);
        alternative.addBodyPart(html);
        message.setContent(alternative);
        message.saveChanges();
        return message;
    }

    /** {@code text} as RFC 2047 base64 words of at most 45 bytes each (75 characters), folded. */
    static String encodedWords(String text) {
        StringBuilder words = new StringBuilder();
        int start = 0;
        while (start < text.length()) {
            int end = start;
            int bytes = 0;
            while (end < text.length()) {
                int next = text.offsetByCodePoints(end, 1);
                int size = text.substring(end, next).getBytes(StandardCharsets.UTF_8).length;
                if (bytes + size > 45) {
                    break;
                }
                bytes += size;
                end = next;
            }
            if (words.length() > 0) {
                words.append("\r\n ");
            }
            words.append("=?UTF-8?B?")
                    .append(java.util.Base64.getEncoder()
                            .encodeToString(text.substring(start, end).getBytes(StandardCharsets.UTF_8)))
                    .append("?=");
            start = end;
        }
        return words.toString();
    }

    private static InternetAddress strict(String text) throws AddressException {
        if (text == null || LINE_BREAKS.matcher(text).find()) {
            throw new AddressException("an address must not contain line breaks or control characters");
        }
        InternetAddress address = new InternetAddress(text, true);
        address.validate();
        if (address.isGroup() || address.getPersonal() != null) {
            throw new AddressException("expected a bare address");
        }
        return address;
    }

    private static void header(MimeMessage message, String name, String value) {
        if (LINE_BREAKS.matcher(value).find()) {
            throw new IllegalArgumentException("the " + name + " header would contain a line break");
        }
        try {
            message.setHeader(name, MimeUtility.fold(name.length() + 2, value));
        } catch (MessagingException e) {
            throw new IllegalArgumentException("the " + name + " header cannot be set", e);
        }
    }
}
