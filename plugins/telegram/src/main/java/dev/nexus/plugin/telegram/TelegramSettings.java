package dev.nexus.plugin.telegram;

import dev.nexus.api.ConfigReader;
import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.RateLimit;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Telegram connector's configuration ({@code plugins.config.telegram}) and secrets, with defaults.
 * Immutable.
 *
 * <p>Secrets ({@code NEXUS_SECRET_TELEGRAM_<NAME>}): {@code bot-token} (from BotFather; without it the
 * connector starts but stays {@code failing} and every delivery fails saying so) and, in webhook mode,
 * {@code webhook-secret} (1-256 of {@code A-Z a-z 0-9 _ -}; Telegram sends it back in
 * {@code X-Telegram-Bot-Api-Secret-Token}).
 *
 * @param token the bot token; empty when not configured
 * @param personality the personality answering on this bot
 * @param webhook true for webhook mode, false for long polling
 * @param apiUrl the Bot API base URL, without a trailing slash
 * @param webhookUrl webhook mode: the public URL registered with {@code setWebhook} at start, if any
 * @param webhookSecret webhook mode: the secret token Telegram must send back; empty when not configured
 * @param pollTimeout the long-polling timeout of {@code getUpdates}
 * @param groupReplies when to answer in groups
 * @param groupProbability the chance of answering a group message that does not address the bot
 * @param rateLimit how many replies per second the host may send
 * @param requestTimeout how long a Bot API call may take beyond the poll timeout
 * @param backoffMax the longest wait between reconnection attempts
 */
record TelegramSettings(
        Optional<String> token,
        String personality,
        boolean webhook,
        String apiUrl,
        Optional<URI> webhookUrl,
        Optional<String> webhookSecret,
        Duration pollTimeout,
        Set<GroupReply> groupReplies,
        double groupProbability,
        RateLimit rateLimit,
        Duration requestTimeout,
        Duration backoffMax) {

    /** When the bot answers a message in a group. */
    enum GroupReply {
        /** The message names the bot ({@code @bot_username}, a text mention or a command addressed to it). */
        MENTION,
        /** The message replies to one of the bot's messages. */
        REPLY,
        /** Every message. */
        ALWAYS
    }

    /** The rate limit announced before the connector is started: Telegram allows about 30 messages a second. */
    static final RateLimit DEFAULT_RATE_LIMIT = RateLimit.perSecond(25);

    /** Copies the set. */
    TelegramSettings {
        groupReplies = groupReplies.isEmpty() ? Set.of() : Set.copyOf(groupReplies);
    }

    /**
     * Reads configuration and secrets.
     *
     * @throws IllegalArgumentException naming every key that is wrong, its value (never a secret) and the fix
     */
    static TelegramSettings from(PluginContext context) {
        ConfigReader read = new ConfigReader("telegram", context.config());
        String personality = read.required(
                "personality",
                "the id of the personality that answers on this bot,"
                        + " e.g. plugins.config.telegram.personality: zen-engineer");
        String mode = read.text("mode").orElse("polling").toLowerCase(Locale.ROOT);
        if (!mode.equals("polling") && !mode.equals("webhook")) {
            read.problem("mode", "must be polling or webhook, got '" + cap(mode) + "'");
        }
        Optional<String> token = context.secret("bot-token").map(String::strip).filter(t -> !t.isEmpty());
        if (token.isPresent() && !token.get().matches("[0-9]{1,20}:[A-Za-z0-9_-]{20,100}")) {
            read.problem("telegram secret 'bot-token' does not look like a BotFather token"
                    + " (<digits>:<letters>); copy it again from @BotFather into NEXUS_SECRET_TELEGRAM_BOT_TOKEN");
        }
        Optional<String> secret =
                context.secret("webhook-secret").map(String::strip).filter(t -> !t.isEmpty());
        if (secret.isPresent() && !secret.get().matches("[A-Za-z0-9_-]{1,256}")) {
            read.problem("telegram secret 'webhook-secret' must be 1-256 characters of A-Z, a-z,"
                    + " 0-9, _ and - (Telegram's rule for secret_token)");
        }
        Set<GroupReply> replies =
                read.choices("group-replies", GroupReply.class, Set.of(GroupReply.MENTION, GroupReply.REPLY));
        double probability = read.fraction("group-reply-probability", 0);
        String apiUrl = url(read, read.text("api-url").orElse("https://api.telegram.org"), "api-url")
                .map(u -> u.toString().replaceAll("/+$", ""))
                .orElse("");
        Optional<URI> webhookUrl = read.text("webhook-url").flatMap(u -> url(read, u, "webhook-url"));
        Duration pollTimeout = Duration.ofSeconds(read.integer("poll-timeout-seconds", 30, 0, 50));
        RateLimit rateLimit = RateLimit.perSecond((int) read.integer("rate-limit-per-second", 25, 1, 30));
        Duration requestTimeout = Duration.ofMillis(read.integer("request-timeout-ms", 10_000, 100, 120_000));
        Duration backoffMax = Duration.ofSeconds(read.integer("backoff-max-seconds", 60, 1, 3600));
        read.check();
        return new TelegramSettings(
                token,
                personality,
                mode.equals("webhook"),
                apiUrl,
                webhookUrl,
                secret,
                pollTimeout,
                replies,
                probability,
                rateLimit,
                requestTimeout,
                backoffMax);
    }

    /** Parses an absolute http(s) URL; records a problem and returns empty when it is not one. */
    private static Optional<URI> url(ConfigReader read, String text, String key) {
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                read.problem(key, "must be an absolute http(s) URL, got '" + cap(text) + "'");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            read.problem(key, "is not a valid URL: '" + cap(text) + "'");
            return Optional.empty();
        }
    }

    static String cap(String text) {
        return ConfigReader.echo(text);
    }
}
