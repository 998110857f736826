package dev.nexus.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nexus.api.testing.Concurrently;
import dev.nexus.api.testing.FakePluginContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tests every {@link PlatformConnector} must pass. Extend it, return a fresh connector from
 * {@link #newConnector()}, give it the configuration it needs in {@link #newContext()}, and, when the
 * connector takes HTTP requests, build a valid (authenticated) request in {@link #validInbound}.
 *
 * <p>What it checks: a stable lower-case platform name and rate limit; {@code send} and
 * {@code handle} before {@code start} or after {@code stop} fail as values, never by throwing and
 * never by delivering; {@code stop} is safe without {@code start} and when repeated; hostile HTTP
 * requests get a 4xx (or empty) reply and deliver nothing; a valid request delivers exactly one
 * message for this platform, a replayed or tampered one delivers nothing new; concurrent requests are
 * all handled.
 */
public abstract class PlatformConnectorContract {

    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private final Set<PlatformConnector> running = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    /** Returns a new connector that has not been started. */
    protected abstract PlatformConnector newConnector();

    /** Returns the context to start a connector with; override to supply configuration and secrets. */
    protected FakePluginContext newContext() {
        return FakePluginContext.of("contract");
    }

    /**
     * Returns a valid, authenticated request carrying one message with the platform id
     * {@code externalId}, as {@code context}'s configuration expects it (for example correctly signed
     * at {@code context.clock()}'s time), or empty when the connector has no HTTP side.
     *
     * <p>Abstract on purpose: a connector that leaves it out would pass the inbound tests having
     * checked nothing. Returning empty makes those tests report as <em>skipped</em>, with the reason.
     */
    protected abstract Optional<HttpInbound> validInbound(FakePluginContext context, String externalId);

    /**
     * Returns the external id the connector gives the message of {@code validInbound(context, name)}; by
     * default {@code name} itself. Override it for platforms whose message ids are not free text (Telegram's
     * are {@code <chat id>:<message id>}, numbers): the request then carries ids derived from {@code name}.
     */
    protected String externalIdOf(String name) {
        return name;
    }

    /** Returns the valid request, or skips the calling test (visibly, with the reason) when there is none. */
    private HttpInbound requireValidInbound(FakePluginContext context, String externalId) {
        Optional<HttpInbound> request = validInbound(context, externalId);
        assumeTrue(
                request.isPresent(),
                "validInbound(...) returned empty: this connector has no HTTP side in the"
                        + " test, so the inbound tests are skipped; return a valid, signed request to run them");
        return request.get();
    }

    /** Returns a reply to send in the tests; the default addresses nothing in particular. */
    protected OutboundMessage sampleOutbound() {
        return new OutboundMessage(
                "reply-1", "in-1", "conversation-1", "contract-persona", "Hello from the contract.", Map.of(), 1);
    }

    @AfterEach
    final void stopRunningConnectors() {
        for (PlatformConnector connector : List.copyOf(running)) {
            connector.stop();
        }
        running.clear();
    }

    @Test
    void platform_isLowerCaseAndStable() {
        PlatformConnector connector = newConnector();

        assertThat(connector.platform()).matches(PLATFORM).isEqualTo(connector.platform());
        assertThat(newConnector().platform()).isEqualTo(connector.platform());
    }

    @Test
    void rateLimit_isDeclaredAndStable() {
        PlatformConnector connector = newConnector();

        assertThat(connector.rateLimit()).isNotNull().isEqualTo(connector.rateLimit());
    }

    @Test
    void stop_withoutStart_doesNotThrow() {
        assertThatCode(() -> newConnector().stop()).doesNotThrowAnyException();
    }

    @Test
    void stop_calledTwice_doesNotThrow() {
        PlatformConnector connector = newConnector();
        connector.start(newContext());

        assertThatCode(() -> {
                    connector.stop();
                    connector.stop();
                })
                .doesNotThrowAnyException();
    }

    @Test
    void send_beforeStart_returnsAFailureInsteadOfThrowing() {
        PlatformConnector connector = newConnector();

        DeliveryResult result = sendSafely(connector, sampleOutbound());

        assertThat(result).isNotNull().isNotInstanceOf(DeliveryResult.Delivered.class);
        assertReasonPresent(result);
    }

    @Test
    void send_afterStop_returnsAFailureInsteadOfThrowing() {
        PlatformConnector connector = newConnector();
        connector.start(newContext());
        connector.stop();

        DeliveryResult result = sendSafely(connector, sampleOutbound());

        assertThat(result).isNotNull().isNotInstanceOf(DeliveryResult.Delivered.class);
    }

    @Test
    void send_afterStart_returnsAResultWithAReason() {
        PlatformConnector connector = start(newContext());

        DeliveryResult result = sendSafely(connector, sampleOutbound());

        assertThat(result).isNotNull();
        assertReasonPresent(result);
    }

    @Test
    void handle_beforeStart_deliversNothing() {
        FakePluginContext context = newContext();
        PlatformConnector connector = newConnector();
        HttpInbound request = validInbound(context, "before-start").orElse(garbage("{}"));

        Optional<HttpReply> reply = handleSafely(connector, request);

        reply.ifPresent(r ->
                assertThat(r.status()).as("status of a request before start").isGreaterThanOrEqualTo(400));
        assertThat(context.inbound().calls()).isZero();
    }

    @Test
    void handle_hostileRequests_answerClientErrorsAndDeliverNothing() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        byte[] invalidUtf8 = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, '{', '}'};
        byte[] huge = new byte[1 << 20];
        Arrays.fill(huge, (byte) '[');
        List<HttpInbound> hostile = List.of(
                new HttpInbound("POST", "/", Map.of(), new byte[0]),
                new HttpInbound("POST", "/", Map.of(), invalidUtf8),
                new HttpInbound("POST", "/", Map.of("Content-Type", List.of("application/json")), huge),
                new HttpInbound("POST", "/../../etc/passwd", Map.of(), "{}".getBytes(StandardCharsets.UTF_8)),
                new HttpInbound("GET", "/", Map.of(), new byte[0]),
                new HttpInbound("DELETE", "/", Map.of(), new byte[0]),
                garbage("[1,2,3]"),
                garbage("{\"text\": \"hi\""),
                garbage("{\"id\":\"x\",\"user\":\"u\",\"personality\":\"p\",\"text\":\"unsigned\"}"));

        for (HttpInbound request : hostile) {
            Optional<HttpReply> reply = handleSafely(connector, request);
            reply.ifPresent(r -> assertThat(r.status())
                    .as(
                            "status for hostile %s %s with %d body bytes",
                            request.method(), request.path(), request.body().length)
                    .isBetween(400, 499));
        }
        assertThat(context.inbound().messages()).isEmpty();
    }

    @Test
    void handle_validRequest_deliversOneMessageForThisPlatform() {
        FakePluginContext context = newContext();
        Optional<HttpInbound> request = Optional.of(requireValidInbound(context, "contract-1"));
        PlatformConnector connector = start(context);

        HttpReply reply = handleSafely(connector, request.get()).orElseThrow();

        assertThat(reply.status()).isBetween(200, 299);
        assertThat(context.inbound().messages()).singleElement().satisfies(message -> {
            assertThat(message.platform()).isEqualTo(connector.platform());
            assertThat(message.externalId()).isEqualTo(externalIdOf("contract-1"));
        });
    }

    @Test
    void handle_sameRequestTwice_storesOneMessage() {
        FakePluginContext context = newContext();
        Optional<HttpInbound> request = Optional.of(requireValidInbound(context, "contract-replayed"));
        PlatformConnector connector = start(context);

        handleSafely(connector, request.get());
        Optional<HttpReply> second = handleSafely(connector, request.get());

        assertThat(second).isPresent();
        assertThat(second.get().status()).isLessThan(500);
        assertThat(context.inbound().messages()).hasSize(1);
    }

    @Test
    void handle_tamperedBody_isRefusedAndDeliversNothing() {
        FakePluginContext context = newContext();
        Optional<HttpInbound> request = Optional.of(requireValidInbound(context, "contract-tampered"));
        PlatformConnector connector = start(context);
        byte[] body = request.get().body();
        int last = body.length - 1;
        int at = body.length > 2 && body[last] == '}' ? last - 1 : last;
        body[at] = (byte) (body[at] == ' ' ? '\t' : ' ');
        HttpInbound tampered = new HttpInbound(
                request.get().method(), request.get().path(), request.get().headers(), body);

        HttpReply reply = handleSafely(connector, tampered).orElseThrow();

        assertThat(reply.status()).isBetween(400, 499);
        assertThat(context.inbound().messages()).isEmpty();
    }

    @Test
    void handle_concurrentValidRequests_deliversEachOnce() {
        FakePluginContext context = newContext();
        requireValidInbound(context, "probe");
        int threads = 16;
        List<HttpInbound> requests = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            requests.add(validInbound(context, "concurrent-" + i).orElseThrow());
        }
        PlatformConnector connector = start(context);

        List<Integer> statuses = Concurrently.run(
                threads,
                i -> handleSafely(connector, requests.get(i)).orElseThrow().status());

        assertThat(statuses).allSatisfy(status -> assertThat(status).isBetween(200, 299));
        assertThat(context.inbound().messages()).hasSize(threads);
    }

    /** Starts a connector with {@code context} and stops it after the test. */
    protected final PlatformConnector start(FakePluginContext context) {
        PlatformConnector connector = newConnector();
        connector.start(context);
        running.add(connector);
        return connector;
    }

    private static HttpInbound garbage(String body) {
        return new HttpInbound(
                "POST",
                "/",
                Map.of("Content-Type", List.of("application/json")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static DeliveryResult sendSafely(PlatformConnector connector, OutboundMessage message) {
        AtomicReference<DeliveryResult> result = new AtomicReference<>();
        assertThatCode(() -> result.set(connector.send(message)))
                .as("send must return failures as DeliveryResult values")
                .doesNotThrowAnyException();
        return result.get();
    }

    private static Optional<HttpReply> handleSafely(PlatformConnector connector, HttpInbound request) {
        AtomicReference<Optional<HttpReply>> reply = new AtomicReference<>();
        assertThatCode(() -> reply.set(connector.handle(request)))
                .as("handle must answer bad requests with a reply, not an exception")
                .doesNotThrowAnyException();
        assertThat(reply.get())
                .as("handle must return Optional.empty() rather than null")
                .isNotNull();
        return reply.get();
    }

    private static void assertReasonPresent(DeliveryResult result) {
        switch (result) {
            case DeliveryResult.Delivered delivered ->
                assertThat(delivered.externalId()).isNotNull();
            case DeliveryResult.RetryLater retry -> {
                assertThat(retry.reason()).isNotBlank();
                assertThat(retry.after()).isNotNull();
                assertThat(retry.after().isNegative())
                        .as("retry delay %s is negative", retry.after())
                        .isFalse();
            }
            case DeliveryResult.Failed failed -> assertThat(failed.reason()).isNotBlank();
        }
    }
}
