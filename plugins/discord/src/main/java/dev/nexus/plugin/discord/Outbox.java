package dev.nexus.plugin.discord;

import dev.nexus.api.PluginStore;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.OutboundMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends replies: to a channel with {@code POST /channels/{id}/messages} (in a guild as a reply to the
 * message answered), or, for a slash command, as the interaction's follow-up
 * ({@code POST /webhooks/{application}/{token}}). Replies over 2000 characters are split at paragraph,
 * line or word breaks; the parts sent are remembered in the plugin store ({@value #SENT}), so a retry
 * after a 429 or a restart sends only the missing ones. {@code allowed_mentions} is empty: a reply never
 * pings {@code @everyone}, roles or users. Rate limits ({@link Rest}) become {@link DeliveryResult.RetryLater}.
 * Thread-safe.
 */
final class Outbox {

    /** Discord's limit on a message's content, in characters. */
    static final int LIMIT = 2000;

    static final String SENT = "sent:";
    static final String PART = "part:";
    private static final Duration KEEP = Duration.ofDays(7);

    private final DiscordSettings settings;
    private final Optional<Rest> rest;
    private final PluginStore store;

    Outbox(DiscordSettings settings, Optional<Rest> rest, PluginStore store) {
        this.settings = settings;
        this.rest = rest;
        this.store = store;
    }

    DeliveryResult send(OutboundMessage message) {
        if (rest.isEmpty()) {
            return new DeliveryResult.Failed("discord has no bot token; set NEXUS_SECRET_DISCORD_BOT_TOKEN");
        }
        Map<String, String> to = message.replyTo();
        String path;
        boolean followUp = to.containsKey(Events.INTERACTION_TOKEN) && to.containsKey(Events.APPLICATION);
        if (followUp) {
            if (!to.get(Events.APPLICATION).matches("[0-9]{1,25}")
                    || !to.get(Events.INTERACTION_TOKEN).matches("[A-Za-z0-9._-]{1,500}")) {
                return new DeliveryResult.Failed("the interaction's application id or token is malformed");
            }
            path = "/webhooks/" + to.get(Events.APPLICATION) + "/" + to.get(Events.INTERACTION_TOKEN);
        } else {
            String channel = to.get(Events.CHANNEL);
            if (channel == null || !channel.matches("[0-9]{1,25}")) {
                return new DeliveryResult.Failed("the reply has no Discord channel id to go to");
            }
            path = "/channels/" + channel + "/messages";
        }
        List<String> parts =
                split(message.text().isBlank() ? "…" : message.text().strip(), LIMIT);
        int done = 0;
        String first = "";
        try {
            Optional<String> progress = store.get(SENT + message.messageId());
            if (progress.isPresent()) {
                String[] fields = progress.get().split(":", 2);
                done = Integer.parseInt(fields[0]);
                first = fields[1];
            }
        } catch (PluginStore.Unavailable e) {
            return new DeliveryResult.RetryLater(
                    backoff(message.attempt()), "the plugin store cannot be read: " + e.getMessage());
        }
        for (int part = done; part < parts.size(); part++) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("content", parts.get(part));
            body.put("allowed_mentions", Map.of("parse", List.of()));
            String answered = to.get(Events.MESSAGE);
            if (!followUp
                    && part == 0
                    && to.containsKey(Events.GUILD)
                    && answered != null
                    && answered.matches("[0-9]{1,25}")) {
                body.put("message_reference", Map.of("message_id", answered, "fail_if_not_exists", false));
            }
            Rest.Answer answer = rest.get().call("POST", path, Optional.of(body), !followUp);
            String id;
            switch (answer) {
                case Rest.Answer.Ok ok -> id = Events.text(ok.body().get("id"));
                case Rest.Answer.Limited limited -> {
                    return new DeliveryResult.RetryLater(limited.after(), limited.reason());
                }
                case Rest.Answer.Error error
                when error.status() >= 500 -> {
                    return new DeliveryResult.RetryLater(
                            backoff(message.attempt()), "Discord answered " + error.status());
                }
                case Rest.Answer.Error error -> {
                    return new DeliveryResult.Failed(
                            "Discord refused the reply: " + error.status() + " " + error.message());
                }
                case Rest.Answer.Unreachable unreachable -> {
                    return new DeliveryResult.RetryLater(backoff(message.attempt()), unreachable.reason());
                }
            }
            if (part == 0) {
                first = id;
            }
            try {
                if (part > 0 && !id.isEmpty()) {
                    store.put(PART + id, first, KEEP);
                }
                if (parts.size() > 1) {
                    store.put(SENT + message.messageId(), (part + 1) + ":" + first, KEEP);
                }
            } catch (PluginStore.Unavailable e) {
                return new DeliveryResult.RetryLater(
                        backoff(message.attempt()),
                        "part " + (part + 1) + " is sent but cannot be recorded: " + e.getMessage());
            }
        }
        return new DeliveryResult.Delivered(first);
    }

    /** Splits at paragraph, line or word breaks in the second half of each part, never inside a surrogate pair. */
    static List<String> split(String text, int budget) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (text.length() - start > budget) {
            int end = start + budget;
            if (Character.isLowSurrogate(text.charAt(end))) {
                end--;
            }
            int floor = start + budget / 2;
            int cut = -1;
            for (String separator : List.of("\n\n", "\n", " ")) {
                int at = text.lastIndexOf(separator, end - separator.length());
                if (at >= floor) {
                    cut = at;
                    break;
                }
            }
            if (cut < 0) {
                cut = end;
            }
            parts.add(text.substring(start, cut).stripTrailing());
            start = cut;
            while (start < text.length() && Character.isWhitespace(text.charAt(start)) && start < cut + 2) {
                start++;
            }
        }
        parts.add(text.substring(start));
        parts.removeIf(String::isBlank);
        return parts.isEmpty() ? List.of("…") : parts;
    }

    private Duration backoff(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 20));
        Duration wait = Duration.ofSeconds(1L << doublings);
        return wait.compareTo(settings.backoffMax()) <= 0 ? wait : settings.backoffMax();
    }
}
