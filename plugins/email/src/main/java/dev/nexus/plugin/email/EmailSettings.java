package dev.nexus.plugin.email;

import dev.nexus.api.PluginConfig;
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
     * @throws IllegalArgumentException naming the key, the value and the fix
     */
    static EmailSettings from(PluginContext context) {
        PluginConfig config = context.config();
        String personality = required(
                config,
                "personality",
                "the id of the personality that answers this mailbox,"
                        + " e.g. plugins.config.email.personality: zen-engineer");
        String address = required(
                        config,
                        "address",
                        "the mailbox's own address, e.g. plugins.config.email.address:" + " nexus@example.org")
                .toLowerCase(Locale.ROOT);
        if (!address.matches("[^\\s<>\"@\\p{Cntrl}]{1,64}@[A-Za-z0-9.-]{1,190}")) {
            throw new IllegalArgumentException(
                    "email config 'address' must be a plain address such as nexus@example.org," + " got '"
                            + cap(address) + "'");
        }
        String username = config.string("username")
                .map(String::strip)
                .filter(u -> !u.isEmpty())
                .orElse(address);
        Duration timeout = Duration.ofSeconds(bounded(config, "timeout-seconds", 30, 1, 300));
        Security imapSecurity = security(config, "imap-security", Security.TLS);
        String imapHost = host(config, "imap-host", imapSecurity);
        int imapPort = (int) bounded(config, "imap-port", imapSecurity == Security.TLS ? 993 : 143, 1, 65_535);
        Security smtpSecurity = security(config, "smtp-security", Security.STARTTLS);
        String smtpHost = host(config, "smtp-host", smtpSecurity);
        int smtpPort = (int) bounded(
                config,
                "smtp-port",
                switch (smtpSecurity) {
                    case TLS -> 465;
                    case STARTTLS -> 587;
                    case PLAIN -> 25;
                },
                1,
                65_535);
        String folder = config.string("folder")
                .map(String::strip)
                .filter(f -> !f.isEmpty())
                .orElse("INBOX");
        if (folder.length() > 200 || folder.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("email config 'folder' must be a folder name of at most 200 characters"
                    + " without control characters, got '" + cap(folder) + "'");
        }
        return new EmailSettings(
                personality,
                address,
                new Endpoint(imapHost, imapPort, imapSecurity, username, "", timeout),
                new Endpoint(smtpHost, smtpPort, smtpSecurity, username, "", timeout),
                folder,
                Duration.ofSeconds(bounded(config, "poll-seconds", 60, 1, 3600)),
                config.flag("idle", true),
                (int) bounded(config, "batch-size", 25, 1, 500),
                (int) bounded(config, "max-text-chars", 8000, 100, 100_000),
                (int) bounded(config, "max-part-bytes", 262_144, 1024, 10_485_760),
                Duration.ofSeconds(bounded(config, "backoff-max-seconds", 300, 1, 3600)),
                new RateLimit((int) bounded(config, "rate-limit-per-minute", 20, 1, 600), Duration.ofMinutes(1)));
    }

    /** The domain of our address, for our Message-IDs. */
    String domain() {
        return address.substring(address.indexOf('@') + 1);
    }

    private static String required(PluginConfig config, String key, String what) {
        return config.string(key)
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .orElseThrow(() -> new IllegalArgumentException("email config '" + key + "' is required: " + what));
    }

    private static Security security(PluginConfig config, String key, Security fallback) {
        String value = config.string(key).orElse(fallback.name()).strip().toUpperCase(Locale.ROOT);
        try {
            return Security.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "email config '" + key + "' must be tls, starttls or plain, got '"
                            + cap(value.toLowerCase(Locale.ROOT)) + "'",
                    e);
        }
    }

    private static String host(PluginConfig config, String key, Security security) {
        String host = required(
                config,
                key,
                "the mail server's host name, e.g. " + (key.startsWith("imap") ? "imap" : "smtp") + ".example.org");
        if (!host.matches("[A-Za-z0-9.:\\[\\]-]{1,253}")) {
            throw new IllegalArgumentException(
                    "email config '" + key + "' must be a host name or IP address, got '" + cap(host) + "'");
        }
        if (security == Security.PLAIN && !loopback(host)) {
            throw new IllegalArgumentException(
                    "email config '" + key.replace("-host", "-security") + "' is plain, which"
                            + " sends the password unencrypted; it is allowed only for a server on this machine (localhost,"
                            + " 127.0.0.1, ::1), not '" + cap(host) + "': use tls or starttls");
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

    private static long bounded(PluginConfig config, String key, long fallback, long min, long max) {
        long value = config.integer(key, fallback);
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    "email config '" + key + "' must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    static String cap(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }
}
