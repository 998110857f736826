package dev.nexus.plugin.discord;

import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundReaction;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;

/**
 * Reads Discord gateway dispatches ({@code MESSAGE_CREATE}, {@code MESSAGE_REACTION_ADD}) and slash
 * command interactions into what the host takes, applying the reply policy: a DM is always answered;
 * a guild message only when it mentions the bot, replies to it, or by chance. A guild channel (a thread
 * is a channel too) is a thread of its own, so every member's message continues one conversation.
 * Thread-safe.
 */
final class Events {

    /** replyTo keys. */
    static final String CHANNEL = "channel";

    static final String MESSAGE = "message";
    static final String GUILD = "guild";
    static final String APPLICATION = "application";
    static final String INTERACTION_TOKEN = "interactionToken";

    /** What an event comes to. */
    sealed interface Read {
        /** A message for the host. */
        record Message(InboundMessage message) implements Read {}

        /** A reaction for the host. */
        record Reaction(InboundReaction reaction) implements Read {}

        /** Nothing for the host, and why. */
        record Skip(String why) implements Read {}
    }

    /** Who the bot is, from READY. */
    record Bot(String id, String username) {}

    private final DiscordSettings settings;
    private final DoubleSupplier chance;

    Events(DiscordSettings settings, DoubleSupplier chance) {
        this.settings = settings;
        this.chance = chance;
    }

    /** Reads a {@code MESSAGE_CREATE} dispatch's {@code d}. */
    Read message(Map<?, ?> message, Bot bot) {
        Map<?, ?> author = map(message.get("author"));
        String id = text(message.get("id"));
        String channel = text(message.get("channel_id"));
        String user = text(author.get("id"));
        String content = text(message.get("content"));
        if (id.isEmpty() || channel.isEmpty() || user.isEmpty()) {
            return new Read.Skip("a message without id, channel or author");
        }
        if (Boolean.TRUE.equals(author.get("bot")) || user.equals(bot.id())) {
            return new Read.Skip("a message from a bot");
        }
        Map<String, String> replyTo = new HashMap<>();
        replyTo.put(CHANNEL, channel);
        replyTo.put(MESSAGE, id);
        Optional<String> thread = Optional.empty();
        String guild = text(message.get("guild_id"));
        if (!guild.isEmpty()) {
            if (!addressed(message, content, bot)) {
                return new Read.Skip("a guild message that does not address the bot");
            }
            replyTo.put(GUILD, guild);
            thread = Optional.of(channel);
        }
        // "<@123>" means nothing to a model; the bot's name does.
        String text = content.replace("<@" + bot.id() + ">", "@" + bot.username())
                .replace("<@!" + bot.id() + ">", "@" + bot.username())
                .strip();
        if (text.isEmpty()) {
            return new Read.Skip("a message without text (an attachment only, or no MESSAGE_CONTENT intent)");
        }
        return new Read.Message(new InboundMessage(
                DiscordConnector.PLATFORM,
                id,
                user,
                settings.personality(),
                Optional.empty(),
                text,
                instant(message.get("timestamp")),
                replyTo,
                thread));
    }

    private boolean addressed(Map<?, ?> message, String content, Bot bot) {
        var policy = settings.guildReplies();
        if (policy.contains(DiscordSettings.GuildReply.ALWAYS)) {
            return true;
        }
        if (policy.contains(DiscordSettings.GuildReply.MENTION)) {
            boolean listed = message.get("mentions") instanceof List<?> mentions
                    && mentions.stream().anyMatch(m -> bot.id().equals(text(map(m).get("id"))));
            if (listed || content.contains("<@" + bot.id() + ">") || content.contains("<@!" + bot.id() + ">")) {
                return true;
            }
        }
        if (policy.contains(DiscordSettings.GuildReply.REPLY)
                && bot.id()
                        .equals(text(map(map(message.get("referenced_message")).get("author"))
                                .get("id")))) {
            return true;
        }
        return settings.guildProbability() > 0 && chance.getAsDouble() < settings.guildProbability();
    }

    /** Reads a {@code MESSAGE_REACTION_ADD} dispatch's {@code d}; {@code resolveReply} maps a message id to the reply id. */
    Read reaction(Map<?, ?> reaction, Bot bot, Instant now, UnaryOperator<String> resolveReply) {
        String user = text(reaction.get("user_id"));
        String message = text(reaction.get("message_id"));
        String emoji = text(map(reaction.get("emoji")).get("name"));
        if (user.isEmpty() || message.isEmpty() || user.equals(bot.id())) {
            return new Read.Skip("a reaction without user or message, or the bot's own");
        }
        Optional<InboundReaction.Thumbs> thumbs = switch (emoji) {
            case "👍", "❤️", "❤", "🔥", "👏", "😍" -> Optional.of(InboundReaction.Thumbs.UP);
            case "👎", "💩", "🤮", "😡" -> Optional.of(InboundReaction.Thumbs.DOWN);
            default -> Optional.empty();
        };
        if (thumbs.isEmpty()) {
            return new Read.Skip("a reaction other than 👍 or 👎");
        }
        return new Read.Reaction(new InboundReaction(
                DiscordConnector.PLATFORM,
                message + ":" + user + ":" + emoji,
                user,
                resolveReply.apply(message),
                thumbs,
                OptionalInt.empty(),
                List.of(),
                now));
    }

    /**
     * Reads an APPLICATION_COMMAND interaction (a slash command such as {@code /ask question:…}): the text is
     * the command's string options joined by spaces (or its name). Empty when it carries no usable text.
     */
    Optional<InboundMessage> command(Map<?, ?> interaction, Instant now) {
        String id = text(interaction.get("id"));
        String application = text(interaction.get("application_id"));
        String token = text(interaction.get("token"));
        String channel = text(interaction.get("channel_id"));
        Map<?, ?> member = map(interaction.get("member"));
        String user = text(map(member.isEmpty() ? interaction.get("user") : member.get("user"))
                .get("id"));
        Map<?, ?> data = map(interaction.get("data"));
        StringBuilder text = new StringBuilder();
        if (data.get("options") instanceof List<?> options) {
            for (Object option : options) {
                if (map(option).get("value") instanceof String value && !value.isBlank()) {
                    text.append(text.isEmpty() ? "" : " ").append(value.strip());
                }
            }
        }
        if (text.isEmpty()) {
            text.append(text(data.get("name")));
        }
        if (id.isEmpty()
                || application.isEmpty()
                || token.isEmpty()
                || user.isEmpty()
                || text.toString().isBlank()) {
            return Optional.empty();
        }
        Map<String, String> replyTo = new HashMap<>();
        replyTo.put(APPLICATION, application);
        replyTo.put(INTERACTION_TOKEN, token);
        if (!channel.isEmpty()) {
            replyTo.put(CHANNEL, channel);
        }
        String guild = text(interaction.get("guild_id"));
        Optional<String> thread = guild.isEmpty() || channel.isEmpty() ? Optional.empty() : Optional.of(channel);
        return Optional.of(new InboundMessage(
                DiscordConnector.PLATFORM,
                id,
                user,
                settings.personality(),
                Optional.empty(),
                text.toString(),
                now,
                replyTo,
                thread));
    }

    static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    /** Discord sends ids as strings (snowflakes); a number is accepted too. */
    static String text(Object value) {
        return value instanceof String s
                ? s
                : value instanceof Long || value instanceof Integer ? value.toString() : "";
    }

    private static Instant instant(Object value) {
        if (value instanceof String text) {
            try {
                return java.time.OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                return Instant.EPOCH;
            }
        }
        return Instant.EPOCH;
    }
}
