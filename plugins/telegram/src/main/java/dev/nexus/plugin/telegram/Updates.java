package dev.nexus.plugin.telegram;

import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundReaction;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.DoubleSupplier;

/**
 * Reads Telegram {@code Update} objects (from {@code getUpdates} or a webhook POST) into what the host
 * takes: a text message (or a captioned photo) becomes an inbound message, a {@code message_reaction}
 * with 👍 or 👎 a reaction; everything else is skipped. Applies the reply policy: a private chat is
 * always answered; a group message only when it mentions the bot, replies to it, or by chance (see
 * {@link TelegramSettings.GroupReply}). Group chats and forum topics become threads, so every member's
 * message continues one conversation. Thread-safe (immutable apart from the injected chance).
 */
final class Updates {

    /** The replyTo keys handed back in outbound messages. */
    static final String CHAT = "chat";

    static final String MESSAGE = "message";
    static final String TOPIC = "topic";

    /** What an update comes to. */
    sealed interface Read {
        /** A message for the host. */
        record Message(InboundMessage message) implements Read {}

        /** A reaction for the host; {@code messageKey} is the reacted-to message as {@code <chat>:<message id>}. */
        record Reaction(InboundReaction reaction) implements Read {}

        /** Nothing for the host, and why (for the debug log). */
        record Skip(String why) implements Read {}
    }

    /** Who the bot is, from {@code getMe}. */
    record Bot(long id, String username) {}

    private final TelegramSettings settings;
    private final DoubleSupplier chance;

    Updates(TelegramSettings settings, DoubleSupplier chance) {
        this.settings = settings;
        this.chance = chance;
    }

    /** Returns the update id of an update, or -1 when it has none. */
    static long updateId(Map<?, ?> update) {
        return update.get("update_id") instanceof Number n ? n.longValue() : -1;
    }

    /** Returns true when the update is a group message and so needs the bot's identity to apply the policy. */
    static boolean needsBot(Map<?, ?> update) {
        return update.get("message") instanceof Map<?, ?> message && !isPrivate(message);
    }

    /**
     * Reads one update.
     *
     * @param bot the bot's identity; may be empty for private messages and reactions
     * @param resolveReply maps a reacted-to message ({@code <chat>:<id>}) to the id the host knows the reply by
     */
    Read read(Map<?, ?> update, Optional<Bot> bot, java.util.function.UnaryOperator<String> resolveReply) {
        if (update.get("message") instanceof Map<?, ?> message) {
            return message(message, bot);
        }
        if (update.get("message_reaction") instanceof Map<?, ?> reaction) {
            return reaction(reaction, resolveReply);
        }
        return new Read.Skip("an update of a kind the connector does not take");
    }

    private Read message(Map<?, ?> message, Optional<Bot> bot) {
        Map<?, ?> chat = map(message.get("chat"));
        Map<?, ?> from = map(message.get("from"));
        Optional<Long> chatId = number(chat.get("id"));
        Optional<Long> messageId = number(message.get("message_id"));
        Optional<Long> userId = number(from.get("id"));
        String text = message.get("text") instanceof String t ? t : message.get("caption") instanceof String c ? c : "";
        if (chatId.isEmpty() || messageId.isEmpty() || userId.isEmpty()) {
            return new Read.Skip("a message without chat, message or sender id");
        }
        if (Boolean.TRUE.equals(from.get("is_bot"))) {
            return new Read.Skip("a message from a bot");
        }
        if (text.isBlank()) {
            return new Read.Skip("a message without text");
        }
        Map<String, String> replyTo = new HashMap<>();
        replyTo.put(CHAT, Long.toString(chatId.get()));
        replyTo.put(MESSAGE, Long.toString(messageId.get()));
        Optional<String> thread = Optional.empty();
        if (!isPrivate(message)) {
            if (!addressed(message, text, bot)) {
                return new Read.Skip("a group message that does not address the bot");
            }
            String key = Long.toString(chatId.get());
            if (Boolean.TRUE.equals(message.get("is_topic_message"))
                    && number(message.get("message_thread_id")).isPresent()) {
                String topic =
                        Long.toString(number(message.get("message_thread_id")).get());
                replyTo.put(TOPIC, topic);
                key = key + ":" + topic;
            }
            thread = Optional.of(key);
        }
        Instant at = number(message.get("date")).map(Instant::ofEpochSecond).orElse(Instant.EPOCH);
        InboundMessage inbound = new InboundMessage(
                TelegramConnector.PLATFORM,
                chatId.get() + ":" + messageId.get(),
                Long.toString(userId.get()),
                settings.personality(),
                Optional.empty(),
                text,
                at,
                replyTo,
                thread);
        return new Read.Message(inbound);
    }

    /** The group reply policy. */
    private boolean addressed(Map<?, ?> message, String text, Optional<Bot> bot) {
        var policy = settings.groupReplies();
        if (policy.contains(TelegramSettings.GroupReply.ALWAYS)) {
            return true;
        }
        if (bot.isPresent()) {
            if (policy.contains(TelegramSettings.GroupReply.MENTION) && mentions(message, text, bot.get())) {
                return true;
            }
            if (policy.contains(TelegramSettings.GroupReply.REPLY)
                    && message.get("reply_to_message") instanceof Map<?, ?> replied
                    && number(map(replied.get("from")).get("id"))
                            .filter(id -> id == bot.get().id())
                            .isPresent()) {
                return true;
            }
        }
        return settings.groupProbability() > 0 && chance.getAsDouble() < settings.groupProbability();
    }

    private static boolean mentions(Map<?, ?> message, String text, Bot bot) {
        String handle = "@" + bot.username().toLowerCase(Locale.ROOT);
        Object entities = message.get("entities") != null ? message.get("entities") : message.get("caption_entities");
        if (entities instanceof List<?> list) {
            for (Object item : list) {
                Map<?, ?> entity = map(item);
                int offset = number(entity.get("offset")).orElse(-1L).intValue();
                int length = number(entity.get("length")).orElse(0L).intValue();
                String type = String.valueOf(entity.get("type"));
                if (type.equals("text_mention")
                        && number(map(entity.get("user")).get("id"))
                                .filter(id -> id == bot.id())
                                .isPresent()) {
                    return true;
                }
                if (offset >= 0 && length > 0 && offset + length <= text.length()) {
                    String named = text.substring(offset, offset + length).toLowerCase(Locale.ROOT);
                    if (type.equals("mention") && named.equals(handle)) {
                        return true;
                    }
                    if (type.equals("bot_command") && named.endsWith(handle)) {
                        return true;
                    }
                }
            }
            return false;
        }
        return text.toLowerCase(Locale.ROOT).contains(handle);
    }

    private Read reaction(Map<?, ?> reaction, java.util.function.UnaryOperator<String> resolveReply) {
        Optional<Long> chatId = number(map(reaction.get("chat")).get("id"));
        Optional<Long> messageId = number(reaction.get("message_id"));
        Optional<Long> userId = number(map(reaction.get("user")).get("id"));
        Optional<Long> date = number(reaction.get("date"));
        if (chatId.isEmpty() || messageId.isEmpty() || userId.isEmpty()) {
            return new Read.Skip("an anonymous reaction or one without a message id");
        }
        Optional<InboundReaction.Thumbs> thumbs = Optional.empty();
        if (reaction.get("new_reaction") instanceof List<?> now) {
            for (Object item : now) {
                Map<?, ?> type = map(item);
                if ("emoji".equals(type.get("type")) && type.get("emoji") instanceof String emoji) {
                    thumbs = thumbs.or(() -> thumbsOf(emoji));
                }
            }
        }
        if (thumbs.isEmpty()) {
            return new Read.Skip("a reaction without 👍 or 👎 (or one taken back)");
        }
        String reacted = chatId.get() + ":" + messageId.get();
        InboundReaction inbound = new InboundReaction(
                TelegramConnector.PLATFORM,
                reacted + ":" + userId.get() + ":" + date.orElse(0L),
                Long.toString(userId.get()),
                resolveReply.apply(reacted),
                thumbs,
                OptionalInt.empty(),
                List.of(),
                date.map(Instant::ofEpochSecond).orElse(Instant.EPOCH));
        return new Read.Reaction(inbound);
    }

    private static Optional<InboundReaction.Thumbs> thumbsOf(String emoji) {
        return switch (emoji) {
            case "👍", "❤", "❤️", "🔥", "👏", "🥰", "😍" -> Optional.of(InboundReaction.Thumbs.UP);
            case "👎", "💩", "🤮", "😡", "🥱" -> Optional.of(InboundReaction.Thumbs.DOWN);
            default -> Optional.empty();
        };
    }

    private static boolean isPrivate(Map<?, ?> message) {
        return "private".equals(map(message.get("chat")).get("type"));
    }

    static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    static Optional<Long> number(Object value) {
        return value instanceof Number n && !(value instanceof Double) ? Optional.of(n.longValue()) : Optional.empty();
    }
}
