package dev.nexus.plugin.email;

import dev.nexus.api.PluginContext;
import dev.nexus.api.PluginStore;
import dev.nexus.api.platform.ConnectorHealth;
import dev.nexus.api.platform.InboundResult;
import dev.nexus.api.platform.InboundSink;
import dev.nexus.api.platform.LinkHealth;
import dev.nexus.api.platform.LinkLoop;
import dev.nexus.plugin.email.mail.Imap;
import dev.nexus.plugin.email.mail.Mail;
import dev.nexus.plugin.email.mail.MailServerException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A running connector's link to the IMAP server: one virtual thread polls the folder by UID and hands
 * each new mail to the host in order. The cursor ({@value #CURSOR}: {@code <UIDVALIDITY>:<last UID>}, see {@link Cursor})
 * moves past a mail only once the host has taken it (or it was skipped on purpose), and the mail is
 * marked seen on the server only after the host accepted it; a host that answers "retry later" leaves
 * the mail (and every later one) for the next poll. After a restart polling resumes after the stored
 * UID: nothing lost, nothing repeated (a mail fetched twice is recognised by the host by its
 * Message-ID). On first start, and when the folder's UIDVALIDITY changes, the unread mail is taken (in
 * batches, oldest first), then every mail that arrives after it.
 * Between polls the link waits with IMAP IDLE when the server offers it (and {@code idle} is on), so new
 * mail is taken when it arrives; otherwise, and at least every {@code poll-seconds}, it polls. While the
 * server fails the link backs off ({@link LinkHealth}); its thread runs and stops by {@link LinkLoop}. Thread-safe.
 */
final class Link {

    /** The plugin-store key of the cursor. */
    static final String CURSOR = "cursor";

    /** The longest IMAP IDLE before the folder is polled again. */
    private static final Duration MAX_IDLE = Duration.ofMinutes(25);

    private final EmailSettings settings;
    private final Supplier<Optional<String>> password;
    private final Mails mails;
    private final PluginStore store;
    private final InboundSink sink;
    private final Clock clock;
    private final System.Logger log;
    private final LinkHealth health;
    private final LinkLoop loop = new LinkLoop();
    private volatile Imap.Poll inFlight;

    Link(EmailSettings settings, PluginContext context, Supplier<Optional<String>> password, System.Logger log) {
        this.settings = settings;
        this.password = password;
        this.mails = new Mails(settings);
        this.store = context.store();
        this.sink = context.inbound();
        this.clock = context.clock();
        this.log = log;
        this.health =
                new LinkHealth(clock, settings.backoffMax(), ConnectorHealth.State.RECONNECTING, Optional.empty());
    }

    LinkHealth health() {
        return health;
    }

    void start() {
        loop.repeat("email-link", () -> Optional.of(poll()), e -> health.unexpected("email link", e, log));
    }

    /**
     * Stops the link. The worker is never interrupted (it may be inside the plugin store, and an interrupt
     * during a file write closes an embedded H2 database for the whole host): closing the IMAP connection
     * ends a poll in flight, a notify ends a wait. A mail being handed to the host when the connection is
     * closed is either taken (and its UID stored) or read again after the next start.
     */
    void stop() {
        loop.stop();
        Imap.Poll poll = inFlight;
        if (poll != null) {
            // On its own thread: closing may wait for a read in flight, and stop must not wait longer than the join.
            Thread.ofVirtual().name("email-stop").start(poll::close);
        }
        loop.join(settings.imap().timeout().plusSeconds(5));
    }

    /** One poll; returns how long to wait before the next. */
    Duration poll() {
        Optional<String> secret = password.get();
        if (secret.isEmpty()) {
            return health.failing("no password: set NEXUS_SECRET_EMAIL_PASSWORD or PUT /v1/secrets/email/password"
                    + " (an app password for most providers)");
        }
        Cursor cursor;
        try {
            cursor = store.get(CURSOR).flatMap(Cursor::parse).orElse(Cursor.NONE);
        } catch (PluginStore.Unavailable e) {
            return health.reconnecting("the plugin store cannot be read, so polling waits: " + e.getMessage());
        }
        Imap imap = new Imap(settings.imap().withPassword(secret.get()), settings.folder(), settings.maxPartBytes());
        try (Imap.Poll poll = imap.open()) {
            inFlight = poll;
            if (loop.stopped()) {
                return Duration.ZERO;
            }
            long validity = poll.validity();
            if (cursor.validity() != validity) {
                if (!cursor.equals(Cursor.NONE)) {
                    log.log(
                            Level.WARNING,
                            "the UIDVALIDITY of email folder '" + settings.folder() + "' changed from "
                                    + cursor.validity() + " to " + validity
                                    + ": the stored UIDs mean nothing now, so the unread"
                                    + " mail is taken again (mail the host already has is recognised by its Message-ID)");
                }
                cursor = new Cursor(validity, -1, true);
            }
            // Catching up (first start, new UIDVALIDITY): the unread mail only, so old read mail is never answered.
            long lastUid = cursor.unread() ? poll.lastUid() : -1;
            List<Mail> found = poll.mails(cursor.uid(), cursor.unread(), settings.batch());
            health.connected();
            for (Mail mail : found) {
                if (loop.stopped()) {
                    return Duration.ZERO;
                }
                Outcome outcome = process(mail, validity);
                if (outcome == Outcome.RETRY) {
                    return health.reconnecting("the host cannot take mail right now; mail " + mail.uid()
                            + " is read again at the next poll");
                }
                cursor = new Cursor(validity, mail.uid(), cursor.unread());
                if (!store(cursor)) {
                    return health.reconnecting(
                            "the cursor cannot be stored; the host recognises the mail when it comes again");
                }
                if (outcome == Outcome.ACCEPTED) {
                    poll.markSeen(mail.uid());
                }
            }
            if (found.size() == settings.batch()) {
                return Duration.ZERO;
            }
            if (cursor.unread() && !store(new Cursor(validity, Math.max(cursor.uid(), lastUid), false))) {
                return health.reconnecting(
                        "the cursor cannot be stored; the host recognises the mail when it comes again");
            }
            if (settings.idle() && !loop.stopped() && poll.canIdle()) {
                // Servers end an IDLE after 30 minutes (RFC 2177): wait less, then poll again in any case.
                poll.idle(settings.pollEvery().compareTo(MAX_IDLE) < 0 ? settings.pollEvery() : MAX_IDLE);
                return Duration.ZERO;
            }
            return settings.pollEvery();
        } catch (MailServerException e) {
            if (loop.stopped()) {
                return Duration.ZERO;
            }
            return e.loginRefused() ? health.failing(e.getMessage()) : health.reconnecting(e.getMessage());
        } finally {
            inFlight = null;
        }
    }

    private enum Outcome {
        ACCEPTED,
        SKIPPED,
        RETRY
    }

    private Outcome process(Mail mail, long validity) {
        Mails.Read read = mails.read(mail, validity, clock.instant());
        return switch (read) {
            case Mails.Read.Skip skip -> {
                log.log(Level.DEBUG, "email skipped: " + skip.why());
                if (mail.problem().isPresent()) {
                    log.log(Level.WARNING, "email skipped: " + skip.why());
                }
                yield Outcome.SKIPPED;
            }
            case Mails.Read.Message message ->
                switch (sink.deliver(message.message())) {
                    case InboundResult.Accepted accepted -> Outcome.ACCEPTED;
                    case InboundResult.Rejected rejected -> {
                        log.log(
                                Level.WARNING,
                                "the host refused email " + message.message().externalId() + ": " + rejected.reason());
                        yield Outcome.SKIPPED;
                    }
                    default -> Outcome.RETRY;
                };
        };
    }

    private boolean store(Cursor cursor) {
        try {
            store.put(CURSOR, cursor.text());
            return true;
        } catch (PluginStore.Unavailable e) {
            return false;
        }
    }

    /**
     * Where polling stands: the folder's UIDVALIDITY, the last UID handled, and whether the connector is
     * still catching up with the unread mail (stored as {@code <validity>:<uid>} or {@code <validity>:<uid>:unread}).
     */
    private record Cursor(long validity, long uid, boolean unread) {
        static final Cursor NONE = new Cursor(-1, -1, true);

        String text() {
            return validity + ":" + uid + (unread ? ":unread" : "");
        }

        static Optional<Cursor> parse(String text) {
            String[] parts = text.split(":", 3);
            try {
                return Optional.of(new Cursor(
                        Long.parseLong(parts[0]),
                        Long.parseLong(parts[1]),
                        parts.length == 3 && parts[2].equals("unread")));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
