package dev.nexus.plugin.slack;

import dev.nexus.api.PluginConfig;
import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.RateLimit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
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

    static SlackSettings from(PluginContext context) {
        PluginConfig config = context.config();
        String personality = config.string("personality")
                .filter(p -> !p.isBlank())
                .orElseThrow(() -> new IllegalArgumentException(
                        "slack config 'personality' is required: the id of the personality that answers"
                                + " in this workspace, e.g. plugins.config.slack.personality: zen-engineer"));
        Optional<String> token = context.secret("bot-token").map(String::strip).filter(t -> !t.isEmpty());
        token.ifPresent(t -> {
            if (!t.matches("xox[bp]-[A-Za-z0-9-]{10,250}")) {
                throw new IllegalArgumentException(
                        "slack secret 'bot-token' must be the Bot User OAuth Token (xoxb-…) from"
                                + " OAuth & Permissions; set NEXUS_SECRET_SLACK_BOT_TOKEN");
            }
        });
        Optional<byte[]> secret = context.secret("signing-secret")
                .map(String::strip)
                .filter(t -> !t.isEmpty())
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Set<ChannelReply> replies = EnumSet.noneOf(ChannelReply.class);
        var listed = config.strings("channel-replies");
        if (listed.isEmpty()) {
            replies.add(ChannelReply.MENTION);
            replies.add(ChannelReply.THREAD);
        }
        for (String entry : listed) {
            try {
                replies.add(ChannelReply.valueOf(entry.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "slack config 'channel-replies' entry '" + cap(entry) + "' must be mention, thread or always",
                        e);
            }
        }
        double probability;
        String text = config.string("channel-reply-probability").orElse("0");
        try {
            probability = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            probability = -1;
        }
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException(
                    "slack config 'channel-reply-probability' must be a number from 0 to 1, got '" + cap(text) + "'");
        }
        String api =
                config.string("api-url").orElse("https://slack.com/api").strip().replaceAll("/+$", "");
        if (!api.matches("(?i)https?://[^/\\s]+(/\\S*)?")) {
            throw new IllegalArgumentException(
                    "slack config 'api-url' must be an absolute http(s) URL, got '" + cap(api) + "'");
        }
        return new SlackSettings(
                token,
                secret,
                personality.strip(),
                api,
                replies,
                probability,
                Duration.ofSeconds(bounded(config, "tolerance-seconds", 300, 5, 3600)),
                RateLimit.perSecond((int) bounded(config, "rate-limit-per-second", 1, 1, 50)),
                Duration.ofMillis(bounded(config, "request-timeout-ms", 10_000, 100, 120_000)));
    }

    private static long bounded(PluginConfig config, String key, long fallback, long min, long max) {
        long value = config.integer(key, fallback);
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    "slack config '" + key + "' must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    static String cap(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }
}
