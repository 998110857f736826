package dev.nexus.plugin.email.mail;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.search.FlagTerm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * Reads one IMAP folder by UID. {@link #open()} logs in and opens the folder for one poll; the caller
 * closes it. Bodies are read with {@code BODY.PEEK}, so nothing is marked seen until {@link Poll#markSeen}.
 * Immutable; each {@link Poll} is confined to one thread.
 */
public final class Imap {

    private final Endpoint endpoint;
    private final String folder;
    private final int maxPartBytes;

    /**
     * @param endpoint the IMAP server
     * @param folder the folder to watch, such as {@code INBOX}
     * @param maxPartBytes the most bytes read of one body part (a longer part is cut)
     */
    public Imap(Endpoint endpoint, String folder, int maxPartBytes) {
        this.endpoint = endpoint;
        this.folder = folder;
        this.maxPartBytes = maxPartBytes;
    }

    /**
     * Logs in and opens the folder.
     *
     * @throws MailServerException when the server cannot be reached, refuses the login or has no such folder
     */
    public Poll open() {
        return Loader.call(() -> {
            Store store = null;
            try {
                store = Sessions.of("imap", endpoint).getStore(endpoint.security() == Security.TLS ? "imaps" : "imap");
                store.connect(endpoint.host(), endpoint.port(), endpoint.username(), endpoint.password());
                Folder opened = store.getFolder(folder);
                if (!opened.exists()) {
                    throw new MailServerException(
                            "the folder '" + folder + "' does not exist at " + endpoint
                                    + "; set folder to an existing one (INBOX is always there)",
                            true);
                }
                opened.open(Folder.READ_WRITE);
                return new Poll(store, opened, (UIDFolder) opened);
            } catch (MessagingException | RuntimeException e) {
                close(store);
                throw e instanceof MailServerException known
                        ? known
                        : Sessions.failure("logging in to IMAP", endpoint, e);
            }
        });
    }

    private static void close(Store store) {
        if (store != null) {
            try {
                store.close();
            } catch (MessagingException | RuntimeException e) {
                // already failing or done; nothing to keep
            }
        }
    }

    /**
     * One open folder. Confined to the polling thread, except {@link #close()}, which another thread may call
     * to end a poll in flight (the poll then fails with {@link MailServerException}); closing twice is harmless.
     */
    public final class Poll implements AutoCloseable {

        private final Store store;
        private final Folder opened;
        private final UIDFolder uids;

        private Poll(Store store, Folder opened, UIDFolder uids) {
            this.store = store;
            this.opened = opened;
            this.uids = uids;
        }

        /** The folder's UIDVALIDITY: when it changes, every UID known before means nothing. */
        public long validity() {
            return Loader.call(() -> {
                try {
                    return uids.getUIDValidity();
                } catch (MessagingException e) {
                    throw Sessions.failure("reading UIDVALIDITY", endpoint, e);
                }
            });
        }

        /**
         * The highest UID in the folder now (UIDNEXT − 1, or the last mail's UID when the server does not
         * say UIDNEXT); 0 for an empty folder. Mail that arrives later gets a higher UID.
         */
        public long lastUid() {
            return Loader.call(() -> {
                try {
                    long next = uids.getUIDNext();
                    if (next > 0) {
                        return next - 1;
                    }
                    int count = opened.getMessageCount();
                    return count == 0 ? 0L : uids.getUID(opened.getMessage(count));
                } catch (MessagingException e) {
                    throw Sessions.failure("reading UIDNEXT", endpoint, e);
                }
            });
        }

        /**
         * Returns up to {@code max} mails with a UID above {@code afterUid}, oldest first; with
         * {@code unreadOnly}, only those not marked seen. A mail that cannot be read comes back with
         * {@link Mail#problem()} set rather than failing the poll.
         *
         * @throws MailServerException when the connection fails
         */
        public List<Mail> mails(long afterUid, boolean unreadOnly, int max) {
            return Loader.call(() -> {
                try {
                    Message[] found = unreadOnly
                            ? opened.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false))
                            : uids.getMessagesByUID(afterUid + 1, UIDFolder.MAXUID);
                    FetchProfile profile = new FetchProfile();
                    profile.add(UIDFolder.FetchProfileItem.UID);
                    opened.fetch(found, profile);
                    List<Message> sorted = new ArrayList<>(
                            Arrays.stream(found).filter(m -> m != null).toList());
                    sorted.removeIf(m -> uidOf(m) <= afterUid);
                    sorted.sort(Comparator.comparingLong(this::uidOf));
                    List<Mail> mails = new ArrayList<>();
                    for (Message message : sorted.subList(0, Math.min(max, sorted.size()))) {
                        mails.add(MessageReader.read(message, uidOf(message), maxPartBytes));
                        if (!store.isConnected()) {
                            throw new MessagingException("the connection closed while reading a mail");
                        }
                    }
                    return mails;
                } catch (MessagingException | RuntimeException e) {
                    throw Sessions.failure("reading the folder '" + folder + "'", endpoint, e);
                }
            });
        }

        /** True when the server offers IMAP IDLE (RFC 2177). */
        public boolean canIdle() {
            return Loader.call(() -> {
                try {
                    return store instanceof IMAPStore imap && imap.hasCapability("IDLE");
                } catch (MessagingException e) {
                    return false;
                }
            });
        }

        /**
         * Waits with IMAP IDLE until the server reports a change to the folder (such as new mail), at most
         * {@code max}; {@link #close()} from another thread ends the wait as well.
         *
         * @throws MailServerException when the connection fails
         */
        public void idle(Duration max) {
            IMAPFolder folder = (IMAPFolder) opened;
            // Any command on the folder from another thread ends the IDLE (Angus sends DONE first).
            Thread timer = Thread.ofVirtual().name("email-idle-timer").start(() -> {
                try {
                    Thread.sleep(max);
                    folder.getMessageCount();
                } catch (InterruptedException | MessagingException | RuntimeException e) {
                    // woken early, or the connection is gone: either way the IDLE is over
                }
            });
            Loader.call(() -> {
                try {
                    folder.idle(true);
                    return null;
                } catch (MessagingException | RuntimeException e) {
                    throw Sessions.failure("waiting for new mail (IDLE)", endpoint, e);
                } finally {
                    timer.interrupt();
                }
            });
        }

        /** Marks the mail {@code uid} as seen (read), once the host has taken it. */
        public void markSeen(long uid) {
            Loader.call(() -> {
                try {
                    Message message = uids.getMessageByUID(uid);
                    if (message != null) {
                        message.setFlag(Flags.Flag.SEEN, true);
                    }
                    return null;
                } catch (MessagingException e) {
                    throw Sessions.failure("marking mail " + uid + " seen", endpoint, e);
                }
            });
        }

        private long uidOf(Message message) {
            try {
                return uids.getUID(message);
            } catch (MessagingException e) {
                return -1;
            }
        }

        @Override
        public void close() {
            Loader.call(() -> {
                try {
                    if (opened.isOpen()) {
                        opened.close(false);
                    }
                } catch (MessagingException | RuntimeException e) {
                    // the connection is gone; closing the store below releases what is left
                }
                Imap.close(store);
                return null;
            });
        }
    }
}
