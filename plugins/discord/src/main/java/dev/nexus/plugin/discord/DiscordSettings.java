package dev.nexus.plugin.discord;

import dev.nexus.api.ConfigReader;
import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.RateLimit;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Discord connector's configuration ({@code plugins.config.discord}) and secrets, with defaults.
 * Immutable.
 *
 * <p>Secret ({@code NEXUS_SECRET_DISCORD_BOT_TOKEN}, or {@code PUT /v1/secrets/discord/bot-token}):
 * the bot token from the Developer Portal; without it the gateway stays {@code failing} and replies fail.
 *
 * @param token the bot token; empty when not configured
 * @param personality the personality answering on this bot
 * @param apiUrl the REST base URL with its version, without a trailing slash
 * @param gatewayUrl the gateway URL, when configured (otherwise asked from {@code GET /gateway/bot})
 * @param intents the gateway intents bit set
 * @param guildReplies when to answer in guild channels
 * @param guildProbability the chance of answering a guild message that does not address the bot
 * @param publicKey the application's Ed25519 public key, for the interactions endpoint; empty turns it off
 * @param interactionTolerance how far an interaction's timestamp may be from the clock
 * @param rateLimit how many replies per second the host may send
 * @param requestTimeout how long a REST call may take
 * @param backoffMax the longest wait between reconnection attempts
 */
record DiscordSettings(
        Optional<String> token,
        String personality,
        String apiUrl,
        Optional<URI> gatewayUrl,
        long intents,
        Set<GuildReply> guildReplies,
        double guildProbability,
        Optional<PublicKey> publicKey,
        Duration interactionTolerance,
        RateLimit rateLimit,
        Duration requestTimeout,
        Duration backoffMax) {

    /** When the bot answers a message in a guild channel. */
    enum GuildReply {
        /** The message mentions the bot ({@code <@bot id>}). */
        MENTION,
        /** The message replies to one of the bot's messages. */
        REPLY,
        /** Every message (needs the privileged MESSAGE_CONTENT intent to see the text). */
        ALWAYS
    }

    /**
     * GUILDS, GUILD_MESSAGES, GUILD_MESSAGE_REACTIONS, DIRECT_MESSAGES, DIRECT_MESSAGE_REACTIONS and the
     * privileged MESSAGE_CONTENT (without it, guild messages that do not mention the bot arrive empty).
     */
    static final long DEFAULT_INTENTS = 1L | 1L << 9 | 1L << 10 | 1L << 12 | 1L << 13 | 1L << 15;

    /** The rate limit announced before the connector is started: Discord allows 5 messages per 5 s per channel. */
    static final RateLimit DEFAULT_RATE_LIMIT = RateLimit.perSecond(5);

    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** Copies the set. */
    DiscordSettings {
        guildReplies = Set.copyOf(guildReplies);
    }

    /**
     * Reads configuration and secrets.
     *
     * @throws IllegalArgumentException naming every key that is wrong, its value (never a secret) and the fix
     */
    static DiscordSettings from(PluginContext context) {
        ConfigReader read = new ConfigReader("discord", context.config());
        String personality = read.required(
                "personality",
                "the id of the personality that answers on this bot,"
                        + " e.g. plugins.config.discord.personality: zen-engineer");
        Optional<String> token = context.secret("bot-token").map(String::strip).filter(t -> !t.isEmpty());
        if (token.isPresent() && !token.get().matches("[A-Za-z0-9._-]{30,200}")) {
            read.problem("discord secret 'bot-token' does not look like a bot token; copy it again"
                    + " from the Developer Portal (Bot > Reset Token) into NEXUS_SECRET_DISCORD_BOT_TOKEN");
        }
        Set<GuildReply> replies =
                read.choices("guild-replies", GuildReply.class, Set.of(GuildReply.MENTION, GuildReply.REPLY));
        String apiUrl = url(
                        read, read.text("api-url").orElse("https://discord.com/api/v10"), "api-url", "http", "https")
                .map(u -> u.toString().replaceAll("/+$", ""))
                .orElse("");
        Optional<URI> gatewayUrl = read.text("gateway-url").flatMap(u -> url(read, u, "gateway-url", "ws", "wss"));
        long intents;
        try {
            intents = read.config().integer("intents", DEFAULT_INTENTS);
        } catch (IllegalArgumentException e) {
            read.problem(String.valueOf(e.getMessage()));
            intents = DEFAULT_INTENTS;
        }
        double probability = read.fraction("guild-reply-probability", 0);
        Optional<PublicKey> publicKey = read.text("public-key").flatMap(key -> publicKey(read, key));
        Duration interactionTolerance = Duration.ofSeconds(read.integer("interaction-tolerance-seconds", 300, 5, 3600));
        RateLimit rateLimit = RateLimit.perSecond((int) read.integer("rate-limit-per-second", 5, 1, 50));
        Duration requestTimeout = Duration.ofMillis(read.integer("request-timeout-ms", 10_000, 100, 120_000));
        Duration backoffMax = Duration.ofSeconds(read.integer("backoff-max-seconds", 60, 1, 3600));
        read.check();
        return new DiscordSettings(
                token,
                personality,
                apiUrl,
                gatewayUrl,
                intents,
                replies,
                probability,
                publicKey,
                interactionTolerance,
                rateLimit,
                requestTimeout,
                backoffMax);
    }

    /** Reads the public key, recording a problem and returning empty when it is not one. */
    private static Optional<PublicKey> publicKey(ConfigReader read, String hex) {
        try {
            return Optional.of(publicKey(hex));
        } catch (IllegalArgumentException e) {
            read.problem(String.valueOf(e.getMessage()));
            return Optional.empty();
        }
    }

    /** Reads the application's public key as the Developer Portal shows it: 64 hex digits. */
    static PublicKey publicKey(String hex) {
        String text = hex.strip();
        if (!text.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(
                    "discord config 'public-key' must be the 64 hex digits of the application's"
                            + " PUBLIC KEY (Developer Portal > General Information)");
        }
        byte[] raw = HexFormat.of().parseHex(text);
        byte[] encoded = new byte[ED25519_X509_PREFIX.length + raw.length];
        System.arraycopy(ED25519_X509_PREFIX, 0, encoded, 0, ED25519_X509_PREFIX.length);
        System.arraycopy(raw, 0, encoded, ED25519_X509_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("discord config 'public-key' is not a valid Ed25519 public key", e);
        }
    }

    /** Parses an absolute URL with one of the schemes; records a problem and returns empty when it is not one. */
    private static Optional<URI> url(ConfigReader read, String text, String key, String... schemes) {
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!Set.of(schemes).contains(scheme) || uri.getHost() == null) {
                read.problem(key, "must be an absolute " + String.join("/", schemes) + " URL, got '" + cap(text) + "'");
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
