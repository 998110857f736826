package dev.nexus.plugin.telegram;

import dev.nexus.api.PluginStore;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.OutboundMessage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends replies with {@code sendMessage}: MarkdownV2, split at 4096 characters ({@link MarkdownV2}),
 * in a group as a reply to the message answered (and in its forum topic). A split reply remembers in
 * the plugin store how many parts Telegram took ({@value #SENT}{@code <reply id>}), so a retry after a
 * 429 or a restart sends only the parts still missing: every part arrives once. Maps answers: 429 with
 * {@code parameters.retry_after} and 5xx retry later; other errors (blocked by the user, chat not found)
 * fail. Thread-safe.
 */
final class Outbox {

    /** Store key prefix: parts of a reply already sent, {@code <count>:<first message id>}. */
    static final String SENT = "sent:";
    /** Store key prefix: a later part of a split reply, pointing at its first part. */
    static final String PART = "part:";

    private static final Duration KEEP = Duration.ofDays(7);

    private final TelegramSettings settings;
    private final Optional<BotApi> api;
    private final PluginStore store;

    Outbox(TelegramSettings settings, Optional<BotApi> api, PluginStore store) {
        this.settings = settings;
        this.api = api;
        this.store = store;
    }

    DeliveryResult send(OutboundMessage message) {
        if (api.isEmpty()) {
            return new DeliveryResult.Failed("telegram has no bot token; set NEXUS_SECRET_TELEGRAM_BOT_TOKEN");
        }
        String chat = message.replyTo().get(Updates.CHAT);
        if (chat == null || !chat.matches("-?[0-9]{1,20}")) {
            return new DeliveryResult.Failed("the reply has no Telegram chat id to go to");
        }
        List<String> texts = MarkdownV2.messages(message.text());
        int done = 0;
        String first = "";
        try {
            Optional<String> progress = store.get(SENT + message.messageId());
            if (progress.isPresent()) {
                String[] parts = progress.get().split(":", 2);
                done = Integer.parseInt(parts[0]);
                first = parts[1];
            }
        } catch (PluginStore.Unavailable e) {
            return new DeliveryResult.RetryLater(
                    backoff(message.attempt()), "the plugin store cannot be read: " + e.getMessage());
        }
        for (int part = done; part < texts.size(); part++) {
            BotApi.Answer answer = api.get().call("sendMessage", parameters(message, chat, texts.get(part), part == 0));
            if (!(answer instanceof BotApi.Answer.Ok ok)) {
                return failure(answer, message.attempt());
            }
            String id = ok.result() instanceof Map<?, ?> sent
                    ? Updates.number(sent.get("message_id"))
                            .map(String::valueOf)
                            .orElse("")
                    : "";
            if (part == 0) {
                first = id;
            }
            try {
                if (part > 0 && !id.isEmpty()) {
                    store.put(PART + chat + ":" + id, chat + ":" + first, KEEP);
                }
                if (texts.size() > 1) {
                    store.put(SENT + message.messageId(), (part + 1) + ":" + first, KEEP);
                }
            } catch (PluginStore.Unavailable e) {
                return new DeliveryResult.RetryLater(
                        backoff(message.attempt()),
                        "part " + (part + 1) + " is sent but cannot be recorded: " + e.getMessage());
            }
        }
        return new DeliveryResult.Delivered(first.isEmpty() ? "" : chat + ":" + first);
    }

    private static Map<String, Object> parameters(
            OutboundMessage message, String chat, String text, boolean firstPart) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("chat_id", Long.parseLong(chat));
        parameters.put("text", text);
        parameters.put("parse_mode", "MarkdownV2");
        String topic = message.replyTo().get(Updates.TOPIC);
        if (topic != null && topic.matches("[0-9]{1,20}")) {
            parameters.put("message_thread_id", Long.parseLong(topic));
        }
        String answered = message.replyTo().get(Updates.MESSAGE);
        if (firstPart && chat.startsWith("-") && answered != null && answered.matches("[0-9]{1,20}")) {
            // In a group, the reply quotes the message it answers; it is sent even if that was deleted.
            parameters.put(
                    "reply_parameters",
                    Map.of("message_id", Long.parseLong(answered), "allow_sending_without_reply", true));
        }
        return parameters;
    }

    private DeliveryResult failure(BotApi.Answer answer, int attempt) {
        return switch (answer) {
            case BotApi.Answer.Error error
            when error.retryAfter().isPresent() ->
                new DeliveryResult.RetryLater(error.retryAfter().get(), "Telegram rate limit: " + error.description());
            case BotApi.Answer.Error error
            when error.code() >= 500 || error.code() == 429 ->
                new DeliveryResult.RetryLater(
                        backoff(attempt), "Telegram answered " + error.code() + " " + error.description());
            case BotApi.Answer.Error error ->
                new DeliveryResult.Failed("Telegram refused the reply: " + error.code() + " " + error.description());
            case BotApi.Answer.Unreachable unreachable ->
                new DeliveryResult.RetryLater(backoff(attempt), unreachable.reason());
            case BotApi.Answer.Ok ok -> new DeliveryResult.Delivered("");
        };
    }

    private Duration backoff(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 20));
        Duration wait = Duration.ofSeconds(1L << doublings);
        return wait.compareTo(settings.backoffMax()) <= 0 ? wait : settings.backoffMax();
    }
}
