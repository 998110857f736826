package dev.nexus.plugin.slack;

import dev.nexus.api.ConfigReader;
import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.RateLimit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The Slack connector's configuration ({@code plugins.config.slack}) and secrets. Immutable.
 *
 * <p>Secrets: {@code bot-token} ({@code xoxb-…}, for {@code chat.postMessage}) and {@code signing-secret}
 * (Basic Information → Signing Secret; without it every event is refused with 503).
 *
 * @param token the bot token, if set
 * @param signingSecret the signing secret's bytes, if set
 * @param personality the personality answering in this workspace
 * @param apiUrl the Web API base URL, without a trailing slash
 * @param channelReplies when to answer in channels
 * @param channelProbability the chance of answering a channel message the policy skips
 * @param tolerance how far a request's timestamp may be from the clock
 * @param rateLimit how many replies per second the host may send
 * @param requestTimeout how long a Web API call may take
 */
record SlackSettings(
        Optional<String> token,
        Optional<byte[]> signingSecret,
        String personality,
        String apiUrl,
        Set<ChannelReply> channelReplies,
        double channelProbability,
        Duration tolerance,
        RateLimit rateLimit,
        Duration requestTimeout) {

    /** When the bot answers in a channel. */
    enum ChannelReply {
        /** The message mentions the bot ({@code <@bot user id>}, or an {@code app_mention} event). */
        MENTION,
        /** The message is in a thread the bot has answered in. */
        THREAD,
        /** Every message. */
        ALWAYS
    }

    static final RateLimit DEFAULT_RATE_LIMIT = RateLimit.perSecond(1);

    SlackSettings {
        channelReplies = Set.copyOf(channelReplies);
    }

    /**
     * Reads configuration and secrets.
     *
     * @throws IllegalArgumentException naming every key that is wrong, its value (never a secret) and the fix
     */
    static SlackSettings from(PluginContext context) {
        ConfigReader read = new ConfigReader("slack", context.config());
        String personality = read.required(
                "personality",
                "the id of the personality that answers in this workspace,"
                        + " e.g. plugins.config.slack.personality: zen-engineer");
        Optional<String> token = context.secret("bot-token").map(String::strip).filter(t -> !t.isEmpty());
        if (token.isPresent() && !token.get().matches("xox[bp]-[A-Za-z0-9-]{10,250}")) {
            read.problem("slack secret 'bot-token' must be the Bot User OAuth Token (xoxb-…) from"
                    + " OAuth & Permissions; set NEXUS_SECRET_SLACK_BOT_TOKEN");
        }
        Optional<byte[]> secret = context.secret("signing-secret")
                .map(String::strip)
                .filter(t -> !t.isEmpty())
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Set<ChannelReply> replies =
                read.choices("channel-replies", ChannelReply.class, Set.of(ChannelReply.MENTION, ChannelReply.THREAD));
        double probability = read.fraction("channel-reply-probability", 0);
        String api = read.text("api-url").orElse("https://slack.com/api").replaceAll("/+$", "");
        if (!api.matches("(?i)https?://[^/\\s]+(/\\S*)?")) {
            read.problem("api-url", "must be an absolute http(s) URL, got '" + cap(api) + "'");
        }
        Duration tolerance = Duration.ofSeconds(read.integer("tolerance-seconds", 300, 5, 3600));
        RateLimit rateLimit = RateLimit.perSecond((int) read.integer("rate-limit-per-second", 1, 1, 50));
        Duration requestTimeout = Duration.ofMillis(read.integer("request-timeout-ms", 10_000, 100, 120_000));
        read.check();
        return new SlackSettings(
                token, secret, personality, api, replies, probability, tolerance, rateLimit, requestTimeout);
    }

    static String cap(String text) {
        return ConfigReader.echo(text);
    }
}
