package dev.nexus.plugin.slack;

import dev.nexus.api.JsonReader;
import dev.nexus.api.JsonWriter;
import dev.nexus.api.PluginStore;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.OutboundMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends replies with {@code chat.postMessage} ({@code Authorization: Bearer xoxb-…}, JSON), in the thread
 * of the message answered ({@code thread_ts}), text escaped for mrkdwn ({@code & < >}) and split at
 * {@value #LIMIT} characters with the parts sent remembered, so a retry sends only the missing ones. HTTP 429
 * with {@code Retry-After} and {@code ok:false} errors {@code ratelimited}/{@code internal_error} retry later;
 * other errors ({@code channel_not_found}, {@code not_in_channel}, {@code invalid_auth}) fail. Each thread the
 * bot answers in is remembered ({@value #THREAD}), for the {@code thread} reply policy. Thread-safe.
 */
final class WebApi implements AutoCloseable {

    static final int LIMIT = 4000;
    static final String SENT = "sent:";
    static final String THREAD = "thread:";
    private static final Duration KEEP = Duration.ofDays(7);
    private static final Duration THREADS_KEPT = Duration.ofDays(30);

    private final SlackSettings settings;
    private final PluginStore store;
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    WebApi(SlackSettings settings, PluginStore store) {
        this.settings = settings;
        this.store = store;
    }

    DeliveryResult send(OutboundMessage message) {
        if (settings.token().isEmpty()) {
            return new DeliveryResult.Failed("slack has no bot token; set NEXUS_SECRET_SLACK_BOT_TOKEN");
        }
        String channel = message.replyTo().get(SlackConnector.CHANNEL);
        if (channel == null || !channel.matches("[A-Z0-9]{1,30}")) {
            return new DeliveryResult.Failed("the reply has no Slack channel id to go to");
        }
        Optional<String> thread = Optional.ofNullable(message.replyTo().get(SlackConnector.THREAD_TS));
        List<String> parts =
                split(message.text().isBlank() ? "…" : message.text().strip());
        int done = 0;
        String first = "";
        try {
            Optional<String> progress = store.get(SENT + message.messageId());
            if (progress.isPresent()) {
                String[] fields = progress.get().split(" ", 2);
                done = Integer.parseInt(fields[0]);
                first = fields[1];
            }
        } catch (PluginStore.Unavailable e) {
            return new DeliveryResult.RetryLater(
                    Duration.ofSeconds(5), "the plugin store cannot be read: " + e.getMessage());
        }
        for (int part = done; part < parts.size(); part++) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("channel", channel);
            body.put("text", escape(parts.get(part)));
            thread.ifPresent(ts -> body.put("thread_ts", ts));
            body.put("unfurl_links", false);
            DeliveryResult failure;
            HttpResponse<String> response;
            try {
                response = client.send(
                        HttpRequest.newBuilder(URI.create(settings.apiUrl() + "/chat.postMessage"))
                                .timeout(settings.requestTimeout())
                                .header(
                                        "Authorization",
                                        "Bearer " + settings.token().get())
                                .header("Content-Type", "application/json; charset=utf-8")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        JsonWriter.write(body), StandardCharsets.UTF_8))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                return new DeliveryResult.RetryLater(
                        Duration.ofSeconds(5),
                        "chat.postMessage failed: " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new DeliveryResult.RetryLater(Duration.ofSeconds(5), "interrupted");
            }
            if (response.statusCode() == 429) {
                long seconds = response.headers()
                        .firstValue("Retry-After")
                        .filter(v -> v.strip().matches("[0-9]{1,6}"))
                        .map(v -> Long.parseLong(v.strip()))
                        .orElse(1L);
                return new DeliveryResult.RetryLater(
                        Duration.ofSeconds(seconds), "Slack rate limit (429) on chat.postMessage");
            }
            if (response.statusCode() >= 500) {
                return new DeliveryResult.RetryLater(
                        Duration.ofSeconds(5), "Slack answered HTTP " + response.statusCode());
            }
            Map<?, ?> json;
            try {
                json = JsonReader.read(response.body()) instanceof Map<?, ?> map ? map : Map.of();
            } catch (IllegalArgumentException e) {
                json = Map.of();
            }
            if (!Boolean.TRUE.equals(json.get("ok"))) {
                String error = json.get("error") instanceof String text
                        ? SlackSettings.cap(text)
                        : "HTTP " + response.statusCode();
                failure = error.equals("ratelimited") || error.equals("internal_error") || error.equals("fatal_error")
                        ? new DeliveryResult.RetryLater(Duration.ofSeconds(5), "chat.postMessage: " + error)
                        : new DeliveryResult.Failed("Slack refused the reply: " + error);
                return failure;
            }
            String ts = json.get("ts") instanceof String t ? t : "";
            if (part == 0) {
                first = ts;
            }
            try {
                store.put(THREAD + channel + ":" + thread.orElse(ts), "1", THREADS_KEPT);
                if (parts.size() > 1) {
                    store.put(SENT + message.messageId(), (part + 1) + " " + first, KEEP);
                }
            } catch (PluginStore.Unavailable e) {
                return new DeliveryResult.RetryLater(
                        Duration.ofSeconds(5),
                        "part " + (part + 1) + " is sent but cannot be recorded: " + e.getMessage());
            }
        }
        return new DeliveryResult.Delivered(first.isEmpty() ? "" : channel + ":" + first);
    }

    /** Slack's mrkdwn reserves only these three; everything else (*bold*, `code`) a model writes stays. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (text.length() - start > LIMIT) {
            int end = start + LIMIT;
            if (Character.isLowSurrogate(text.charAt(end))) {
                end--;
            }
            int cut = -1;
            for (String separator : List.of("\n\n", "\n", " ")) {
                int at = text.lastIndexOf(separator, end - separator.length());
                if (at >= start + LIMIT / 2) {
                    cut = at;
                    break;
                }
            }
            cut = cut < 0 ? end : cut;
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

    @Override
    public void close() {
        client.shutdownNow();
    }
}
