package dev.nexus.plugin.webhook;

import dev.nexus.api.JsonWriter;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.OutboundMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Delivers replies: POSTs a signed JSON body to the callback URL with an {@code Idempotency-Key}
 * header (the reply's id, stable across retries) and maps the answer to a delivery result: 2xx
 * delivered; 408, 425, 429 and 5xx, timeouts and connection failures retry later (after the callback's
 * {@code Retry-After} in seconds, or an exponential backoff, capped); redirects and other 4xx fail.
 * Thread-safe; owns one JDK HTTP client until {@link #close()}.
 *
 * <pre>
 * POST &lt;callback&gt;
 * Content-Type: application/json
 * Idempotency-Key: &lt;reply id&gt;
 * X-Nexus-Timestamp / X-Nexus-Signature   as for inbound requests
 *
 * {"id": "&lt;reply id&gt;", "inReplyTo": "&lt;your message id&gt;", "conversation": "…",
 *  "personality": "…", "text": "…", "attempt": 1}
 * </pre>
 */
final class CallbackClient implements AutoCloseable {

    private static final Pattern SECONDS = Pattern.compile("\\d{1,9}");

    private final WebhookSettings settings;
    private final Clock clock;
    private final HttpClient client;

    CallbackClient(WebhookSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    DeliveryResult deliver(OutboundMessage message) {
        if (!settings.signing()) {
            return new DeliveryResult.Failed("the webhook has no signing key, so replies cannot be signed; set "
                    + "NEXUS_SECRET_WEBHOOK_SIGNING_KEY");
        }
        URI target;
        String perMessage = message.replyTo().get(WebhookMessage.CALLBACK_URL);
        if (perMessage != null) {
            try {
                target = WebhookSettings.url(perMessage, "callbackUrl");
            } catch (IllegalArgumentException e) {
                return new DeliveryResult.Failed(e.getMessage());
            }
            if (!settings.callbackHosts().allows(target.getHost())) {
                return new DeliveryResult.Failed("callbackUrl host '" + WebhookSettings.cap(target.getHost())
                        + "' is no longer in plugins.config.webhook.callback-hosts");
            }
        } else if (settings.callbackUrl().isPresent()) {
            target = settings.callbackUrl().get();
        } else {
            return new DeliveryResult.Failed(
                    "no callback URL for this reply: set plugins.config.webhook.callback-url, or send"
                            + " callbackUrl with the message and list its host in callback-hosts");
        }
        return post(target, message);
    }

    private DeliveryResult post(URI target, OutboundMessage message) {
        byte[] body = body(message);
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", text(message.messageId()))
                .header(Signatures.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(Signatures.SIGNATURE_HEADER, Signatures.sign(settings.signingKey(), timestamp, body))
                .header("User-Agent", "nexus-webhook/1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            response.body().close(); // the answer's body is not needed; closing stops the download
        } catch (HttpTimeoutException e) {
            return retry(
                    message,
                    "the callback did not answer within "
                            + settings.requestTimeout().toMillis() + " ms");
        } catch (ConnectException e) {
            return retry(message, "could not connect to the callback at " + target.getHost());
        } catch (IOException e) {
            return retry(
                    message, "delivery to the callback failed: " + WebhookSettings.cap(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return retry(message, "interrupted while delivering");
        }
        return result(response, message);
    }

    private DeliveryResult result(HttpResponse<?> response, OutboundMessage message) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            return new DeliveryResult.Delivered("");
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            Duration after = response.headers()
                    .firstValue("Retry-After")
                    .map(String::strip)
                    .filter(value -> SECONDS.matcher(value).matches())
                    .map(value -> min(Duration.ofSeconds(Long.parseLong(value)), settings.retryMax()))
                    .orElseGet(() -> backoff(message.attempt()));
            return new DeliveryResult.RetryLater(after, "the callback answered HTTP " + status);
        }
        if (status / 100 == 3) {
            return new DeliveryResult.Failed("the callback answered HTTP " + status
                    + " (a redirect); redirects are not " + "followed, configure the final URL");
        }
        return new DeliveryResult.Failed("the callback answered HTTP " + status);
    }

    private DeliveryResult retry(OutboundMessage message, String reason) {
        return new DeliveryResult.RetryLater(backoff(message.attempt()), reason);
    }

    /** Returns retry-base × 2^(attempt − 1), at most retry-max. */
    Duration backoff(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        return min(settings.retryBase().multipliedBy(1L << doublings), settings.retryMax());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static byte[] body(OutboundMessage message) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", text(message.messageId()));
        json.put("inReplyTo", text(message.inReplyTo()));
        json.put("conversation", text(message.conversation()));
        json.put("personality", text(message.personality()));
        json.put("text", text(message.text()));
        json.put("attempt", message.attempt());
        return JsonWriter.write(json).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(String value) {
        return Objects.requireNonNullElse(value, "");
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
