package dev.nexus.plugin.email;

import dev.nexus.api.ConfigReader;
import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.RateLimit;
import dev.nexus.plugin.email.mail.Endpoint;
import dev.nexus.plugin.email.mail.Security;
import java.time.Duration;
import java.util.Locale;

/**
 * The email connector's configuration ({@code plugins.config.email}), with defaults. Immutable. The
 * password is a secret ({@code NEXUS_SECRET_EMAIL_PASSWORD} or the vault's {@code email/password}) read
 * at each connection, so a password set through the API takes effect at the next poll.
 *
 * @param personality the personality answering this mailbox
 * @param address our own address, lower case (the From of replies; mail from it is ignored)
 * @param imap the IMAP server (password left empty here)
 * @param smtp the SMTP server (password left empty here)
 * @param folder the folder watched
 * @param pollEvery the wait between polls (the longest IDLE, with {@code idle})
 * @param idle whether to wait for new mail with IMAP IDLE between polls, when the server offers it
 * @param batch the most mails taken in one poll
 * @param maxTextChars the most characters of a mail handed to the personality
 * @param maxPartBytes the most bytes read of one body part
 * @param backoffMax the longest wait between attempts while the server fails
 * @param rateLimit how fast replies may be sent
 */
record EmailSettings(
        String personality,
        String address,
        Endpoint imap,
        Endpoint smtp,
        String folder,
        Duration pollEvery,
        boolean idle,
        int batch,
        int maxTextChars,
        int maxPartBytes,
        Duration backoffMax,
        RateLimit rateLimit) {

    /** The rate limit announced before the connector is started. */
    static final RateLimit DEFAULT_RATE_LIMIT = new RateLimit(20, Duration.ofMinutes(1));

    /**
     * Reads the configuration.
     *
     * @throws IllegalArgumentException naming every key that is wrong, its value and the fix
     */
    static EmailSettings from(PluginContext context) {
        ConfigReader read = new ConfigReader("email", context.config());
        String personality = read.required(
                "personality",
                "the id of the personality that answers this mailbox,"
                        + " e.g. plugins.config.email.personality: zen-engineer");
        String address = read.required(
                        "address",
                        "the mailbox's own address, e.g. plugins.config.email.address:" + " nexus@example.org")
                .toLowerCase(Locale.ROOT);
        if (!address.isEmpty() && !address.matches("[^\\s<>\"@\\p{Cntrl}]{1,64}@[A-Za-z0-9.-]{1,190}")) {
            read.problem("address", "must be a plain address such as nexus@example.org, got '" + cap(address) + "'");
        }
        String username = read.text("username").orElse(address);
        Duration timeout = Duration.ofSeconds(read.integer("timeout-seconds", 30, 1, 300));
        Security imapSecurity = read.choice("imap-security", Security.class, Security.TLS);
        String imapHost = host(read, "imap-host", imapSecurity);
        int imapPort = (int) read.integer("imap-port", imapSecurity == Security.TLS ? 993 : 143, 1, 65_535);
        Security smtpSecurity = read.choice("smtp-security", Security.class, Security.STARTTLS);
        String smtpHost = host(read, "smtp-host", smtpSecurity);
        int smtpPort = (int) read.integer(
                "smtp-port",
                switch (smtpSecurity) {
                    case TLS -> 465;
                    case STARTTLS -> 587;
                    case PLAIN -> 25;
                },
                1,
                65_535);
        String folder = read.text("folder").orElse("INBOX");
        if (folder.length() > 200 || folder.chars().anyMatch(Character::isISOControl)) {
            read.problem(
                    "folder",
                    "must be a folder name of at most 200 characters without control characters, got '" + cap(folder)
                            + "'");
        }
        Duration pollEvery = Duration.ofSeconds(read.integer("poll-seconds", 60, 1, 3600));
        boolean idle = read.flag("idle", true);
        int batch = (int) read.integer("batch-size", 25, 1, 500);
        int maxTextChars = (int) read.integer("max-text-chars", 8000, 100, 100_000);
        int maxPartBytes = (int) read.integer("max-part-bytes", 262_144, 1024, 10_485_760);
        Duration backoffMax = Duration.ofSeconds(read.integer("backoff-max-seconds", 300, 1, 3600));
        RateLimit rateLimit =
                new RateLimit((int) read.integer("rate-limit-per-minute", 20, 1, 600), Duration.ofMinutes(1));
        read.check();
        return new EmailSettings(
                personality,
                address,
                new Endpoint(imapHost, imapPort, imapSecurity, username, "", timeout),
                new Endpoint(smtpHost, smtpPort, smtpSecurity, username, "", timeout),
                folder,
                pollEvery,
                idle,
                batch,
                maxTextChars,
                maxPartBytes,
                backoffMax,
                rateLimit);
    }

    /** The domain of our address, for our Message-IDs. */
    String domain() {
        return address.substring(address.indexOf('@') + 1);
    }

    private static String host(ConfigReader read, String key, Security security) {
        String host = read.required(
                key,
                "the mail server's host name, e.g. " + (key.startsWith("imap") ? "imap" : "smtp") + ".example.org");
        if (host.isEmpty()) {
            return host;
        }
        if (!host.matches("[A-Za-z0-9.:\\[\\]-]{1,253}")) {
            read.problem(key, "must be a host name or IP address, got '" + cap(host) + "'");
        } else if (security == Security.PLAIN && !loopback(host)) {
            read.problem(
                    key.replace("-host", "-security"),
                    "is plain, which sends the password unencrypted; it is allowed only for a server on this"
                            + " machine (localhost, 127.0.0.1, ::1), not '" + cap(host) + "': use tls or starttls");
        }
        return host;
    }

    private static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost")
                || h.matches("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}")
                || h.equals("::1")
                || h.equals("[::1]");
    }

    static String cap(String text) {
        return ConfigReader.echo(text);
    }
}
