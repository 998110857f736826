package dev.nexus.plugin.email;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * A real IMAP and SMTP server on loopback (GreenMail) for the tests, with the mailbox the connector
 * watches ({@value #NEXUS}) and helpers to drop raw mails into it and read what reached other mailboxes.
 * Can be stopped and started again on the same ports (its mailboxes start empty then, with a new
 * UIDVALIDITY, as after a server-side restore).
 */
final class MailServer implements AutoCloseable {

    static final String NEXUS = "nexus@example.org";
    static final String PASSWORD = "app-password-1";

    private GreenMail mail;
    private int imapPort;
    private int smtpPort;

    MailServer() {
        start(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
        imapPort = mail.getImap().getPort();
        smtpPort = mail.getSmtp().getPort();
    }

    private void start(ServerSetup[] setup) {
        mail = new GreenMail(setup);
        mail.start();
        mail.setUser(NEXUS, NEXUS, PASSWORD);
    }

    int imapPort() {
        return imapPort;
    }

    int smtpPort() {
        return smtpPort;
    }

    /** The connector's configuration for this server. */
    Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("personality", "zen-engineer");
        config.put("address", NEXUS);
        config.put("imap-host", "127.0.0.1");
        config.put("imap-port", imapPort);
        config.put("imap-security", "plain");
        config.put("smtp-host", "127.0.0.1");
        config.put("smtp-port", smtpPort);
        config.put("smtp-security", "plain");
        config.put("poll-seconds", 1);
        config.put("timeout-seconds", 5);
        config.put("backoff-max-seconds", 1);
        return config;
    }

    void stop() {
        mail.stop();
    }

    /** Starts again on the same ports, with empty mailboxes. */
    void restart() {
        ServerSetup[] setup = {
            new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)
        };
        start(setup);
    }

    /** Drops a raw RFC 5322 mail into the watched mailbox. */
    void deliver(String raw) {
        deliver(raw.getBytes(StandardCharsets.UTF_8));
    }

    void deliver(byte[] raw) {
        try {
            GreenMailUser user = mail.getUserManager().getUser(NEXUS);
            user.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Marks the {@code number}th mail (from 1) of the watched mailbox as read, over IMAP like a mail program. */
    void markRead(int number) {
        try {
            jakarta.mail.Store store = Session.getInstance(new Properties()).getStore("imap");
            store.connect("127.0.0.1", imapPort, NEXUS, PASSWORD);
            try (jakarta.mail.Folder inbox = store.getFolder("INBOX")) {
                inbox.open(jakarta.mail.Folder.READ_WRITE);
                inbox.getMessage(number).setFlag(Flags.Flag.SEEN, true);
            } finally {
                store.close();
            }
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The mails that reached {@code address}'s mailbox. */
    List<MimeMessage> mailbox(String address) {
        return new ArrayList<>(mail.findReceivedMessages(u -> u.getEmail().equalsIgnoreCase(address), m -> true)
                .toList());
    }

    /** The seen flag of each mail in the watched mailbox, oldest first. */
    List<Boolean> seenFlags() {
        List<Boolean> flags = new ArrayList<>();
        for (MimeMessage message : mailbox(NEXUS)) {
            try {
                flags.add(message.getFlags().contains(Flags.Flag.SEEN));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return flags;
    }

    /** A raw mail from {@code from} with the given Message-ID, subject, text and extra header lines. */
    static String raw(String from, String messageId, String subject, String text, String... headers) {
        StringBuilder mail = new StringBuilder();
        mail.append("From: ").append(from).append("\r\n");
        mail.append("To: ").append(NEXUS).append("\r\n");
        mail.append("Subject: ").append(subject).append("\r\n");
        mail.append("Message-ID: ").append(messageId).append("\r\n");
        mail.append("Date: Fri, 4 Dec 2026 10:00:00 +0000\r\n");
        for (String header : headers) {
            mail.append(header).append("\r\n");
        }
        if (java.util.Arrays.stream(headers)
                .noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("content-type"))) {
            mail.append("Content-Type: text/plain; charset=UTF-8\r\n");
        }
        mail.append("MIME-Version: 1.0\r\n\r\n")
                .append(text.replace("\n", "\r\n"))
                .append("\r\n");
        return mail.toString();
    }

    /** Waits up to fifteen seconds for {@code condition}; fails naming {@code what}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        mail.stop();
    }
}
