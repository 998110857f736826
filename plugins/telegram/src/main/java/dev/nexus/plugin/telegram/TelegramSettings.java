package dev.nexus.plugin.telegram;

import dev.nexus.api.PluginConfig;
import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.RateLimit;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.EnumSet;
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
     * @throws IllegalArgumentException naming the key, the value (never a secret) and the fix
     */
    static TelegramSettings from(PluginContext context) {
        PluginConfig config = context.config();
        String personality = config.string("personality")
                .filter(p -> !p.isBlank())
                .orElseThrow(() -> new IllegalArgumentException(
                        "telegram config 'personality' is required: the id of the personality that"
                                + " answers on this bot, e.g. plugins.config.telegram.personality: zen-engineer"));
        String mode = config.string("mode").orElse("polling").strip().toLowerCase(Locale.ROOT);
        if (!mode.equals("polling") && !mode.equals("webhook")) {
            throw new IllegalArgumentException(
                    "telegram config 'mode' must be polling or webhook, got '" + cap(mode) + "'");
        }
        Optional<String> token = context.secret("bot-token").map(String::strip).filter(t -> !t.isEmpty());
        token.ifPresent(t -> {
            if (!t.matches("[0-9]{1,20}:[A-Za-z0-9_-]{20,100}")) {
                throw new IllegalArgumentException("telegram secret 'bot-token' does not look like a BotFather token"
                        + " (<digits>:<letters>); copy it again from @BotFather into NEXUS_SECRET_TELEGRAM_BOT_TOKEN");
            }
        });
        Optional<String> secret =
                context.secret("webhook-secret").map(String::strip).filter(t -> !t.isEmpty());
        secret.ifPresent(s -> {
            if (!s.matches("[A-Za-z0-9_-]{1,256}")) {
                throw new IllegalArgumentException(
                        "telegram secret 'webhook-secret' must be 1-256 characters of A-Z, a-z,"
                                + " 0-9, _ and - (Telegram's rule for secret_token)");
            }
        });
        Set<GroupReply> replies = EnumSet.noneOf(GroupReply.class);
        var listed = config.strings("group-replies");
        if (listed.isEmpty()) {
            replies.add(GroupReply.MENTION);
            replies.add(GroupReply.REPLY);
        }
        for (String entry : listed) {
            try {
                replies.add(GroupReply.valueOf(entry.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "telegram config 'group-replies' entry '" + cap(entry) + "' must be mention, reply or always",
                        e);
            }
        }
        double probability =
                probability(config.string("group-reply-probability").orElse("0"));
        return new TelegramSettings(
                token,
                personality.strip(),
                mode.equals("webhook"),
                url(config.string("api-url").orElse("https://api.telegram.org"), "api-url")
                        .toString()
                        .replaceAll("/+$", ""),
                config.string("webhook-url").map(u -> url(u, "webhook-url")),
                secret,
                Duration.ofSeconds(bounded(config, "poll-timeout-seconds", 30, 0, 50)),
                replies,
                probability,
                RateLimit.perSecond((int) bounded(config, "rate-limit-per-second", 25, 1, 30)),
                Duration.ofMillis(bounded(config, "request-timeout-ms", 10_000, 100, 120_000)),
                Duration.ofSeconds(bounded(config, "backoff-max-seconds", 60, 1, 3600)));
    }

    private static double probability(String text) {
        try {
            double value = Double.parseDouble(text.strip());
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "telegram config 'group-reply-probability' must be a number from 0 to 1, got '" + cap(text) + "'");
    }

    private static URI url(String text, String key) {
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException(
                        "telegram config '" + key + "' must be an absolute http(s) URL, got '" + cap(text) + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "telegram config '" + key + "' is not a valid URL: '" + cap(text) + "'", e);
        }
    }

    private static long bounded(PluginConfig config, String key, long fallback, long min, long max) {
        long value = config.integer(key, fallback);
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    "telegram config '" + key + "' must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    static String cap(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }
}
