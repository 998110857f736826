package dev.nexus.plugin.email.mail;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Jakarta Mail message into a {@link Mail}: ids, sender, subject, the headers that mark automatic
 * mail, and the first plain and HTML body parts (depth and part count bounded, each part cut at the read
 * limit, unknown charsets read as UTF-8). Whatever cannot be read is reported in {@link Mail#problem()}.
 */
final class MessageReader {

    /** Headers kept for telling automatic mail apart. */
    static final List<String> HEADERS = List.of(
            "auto-submitted",
            "precedence",
            "x-autoreply",
            "x-autorespond",
            "x-auto-response-suppress",
            "return-path",
            "content-type",
            "list-id");

    private static final int MAX_DEPTH = 8;
    private static final int MAX_PARTS = 64;

    private MessageReader() {}

    static Mail read(Message message, long uid, int maxBytes) {
        Map<String, String> headers = new HashMap<>();
        Optional<String> problem = Optional.empty();
        for (String name : HEADERS) {
            header(message, name).ifPresent(value -> headers.put(name, value));
        }
        Optional<String> messageId = header(message, "Message-ID").flatMap(Ids::first);
        Optional<String> inReplyTo = header(message, "In-Reply-To").flatMap(Ids::first);
        List<String> references =
                Ids.trimmed(Ids.all(header(message, "References").orElse("")), Mail.MAX_REFERENCES);
        Optional<String> from = header(message, "From").flatMap(MessageReader::address);
        String subject = subject(message);
        Optional<Instant> sentAt = Optional.empty();
        try {
            sentAt = Optional.ofNullable(message.getSentDate()).map(java.util.Date::toInstant);
        } catch (MessagingException | RuntimeException e) {
            // an unreadable Date header: the receipt time stands in
        }
        Bodies bodies = new Bodies(maxBytes);
        try {
            bodies.walk(message, 0);
        } catch (MessagingException | IOException | RuntimeException e) {
            problem = Optional.of("the body cannot be read: " + Sessions.reason(e));
        }
        return new Mail(
                uid,
                messageId,
                inReplyTo,
                references,
                from,
                subject,
                headers,
                bodies.plain,
                bodies.html,
                sentAt,
                problem);
    }

    private static Optional<String> header(Message message, String name) {
        try {
            String[] values = message.getHeader(name);
            if (values == null || values.length == 0 || values[0] == null) {
                return Optional.empty();
            }
            String value = values[0].replaceAll("\\r?\\n[ \\t]*", " ").strip();
            return Optional.of(value.length() <= 2000 ? value : value.substring(0, 2000));
        } catch (MessagingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The first address of a From header, lower case, when it is a plausible address without control characters. */
    static Optional<String> address(String header) {
        try {
            for (InternetAddress address : InternetAddress.parseHeader(header, false)) {
                String text = address.getAddress();
                if (text != null
                        && text.length() <= 254
                        && text.matches("[^\\s<>\"\\p{Cntrl}@]+@[^\\s<>\"\\p{Cntrl}@]+")) {
                    return Optional.of(text.toLowerCase(Locale.ROOT));
                }
            }
        } catch (AddressException | RuntimeException e) {
            // not an address list
        }
        return Optional.empty();
    }

    /** The subject, decoded from its raw header (RFC 2047 words included), with control characters removed. */
    private static String subject(Message message) {
        String subject = header(message, "Subject")
                .map(raw -> {
                    try {
                        return MimeUtility.decodeText(raw);
                    } catch (java.io.UnsupportedEncodingException | RuntimeException e) {
                        return raw;
                    }
                })
                .orElse("");
        subject = subject.replaceAll("\\p{Cntrl}+", " ").strip();
        return subject.length() <= 300 ? subject : subject.substring(0, 300);
    }

    /** Collects the first plain and HTML parts of a MIME tree. */
    private static final class Bodies {
        private final int maxBytes;
        private Optional<String> plain = Optional.empty();
        private Optional<String> html = Optional.empty();
        private int parts;

        Bodies(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        void walk(Part part, int depth) throws MessagingException, IOException {
            if (depth > MAX_DEPTH || ++parts > MAX_PARTS) {
                return;
            }
            if (part.isMimeType("multipart/*")) {
                if (part.getContent() instanceof Multipart multipart) {
                    for (int i = 0; i < multipart.getCount() && parts <= MAX_PARTS; i++) {
                        BodyPart child = multipart.getBodyPart(i);
                        walk(child, depth + 1);
                    }
                }
                return;
            }
            if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                return;
            }
            if (plain.isEmpty() && part.isMimeType("text/plain")) {
                plain = Optional.of(text(part));
            } else if (html.isEmpty() && part.isMimeType("text/html")) {
                html = Optional.of(text(part));
            }
        }

        private String text(Part part) throws MessagingException, IOException {
            Charset charset = StandardCharsets.UTF_8;
            try {
                String name = new ContentType(part.getContentType()).getParameter("charset");
                if (name != null) {
                    charset = Charset.forName(MimeUtility.javaCharset(name.strip()));
                }
            } catch (MessagingException | IllegalArgumentException e) {
                // an unknown or malformed charset: read as UTF-8, undecodable bytes become U+FFFD
            }
            try (InputStream in = part.getInputStream()) {
                return new String(in.readNBytes(maxBytes), charset);
            }
        }
    }
}
