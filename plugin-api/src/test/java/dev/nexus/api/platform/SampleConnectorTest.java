package dev.nexus.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.PluginContext;
import dev.nexus.api.testing.FakePluginContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Runs the connector contract against a small sample connector, and shows it catches broken ones. */
class SampleConnectorTest extends PlatformConnectorContract {

    @Override
    protected PlatformConnector newConnector() {
        return new SampleConnector();
    }

    @Override
    protected FakePluginContext newContext() {
        return FakePluginContext.builder("sample")
                .secret("key", "sample-secret")
                .build();
    }

    @Override
    protected Optional<HttpInbound> validInbound(FakePluginContext context, String externalId) {
        byte[] body = (externalId + "|ada|hello there").getBytes(StandardCharsets.UTF_8);
        return Optional.of(new HttpInbound(
                "POST", "/", Map.of("X-Digest", List.of(SampleConnector.digest("sample-secret", body))), body));
    }

    @Test
    void contract_whenSendThrowsBeforeStart_fails() {
        PlatformConnectorContract contract = contractFor(new SampleConnector() {
            @Override
            public DeliveryResult send(OutboundMessage message) {
                throw new IllegalStateException("not started");
            }
        });

        assertThatThrownBy(contract::send_beforeStart_returnsAFailureInsteadOfThrowing)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("send must return failures as DeliveryResult values");
    }

    @Test
    void contract_whenTamperedBodiesAreAccepted_fails() {
        PlatformConnectorContract contract = contractFor(new SampleConnector() {
            @Override
            boolean authentic(HttpInbound request) {
                return true;
            }
        });

        assertThatThrownBy(contract::handle_tamperedBody_isRefusedAndDeliversNothing)
                .isInstanceOf(AssertionError.class);
        contract.stopRunningConnectors();
    }

    @Test
    void contract_whenPlatformNameIsUpperCase_fails() {
        PlatformConnectorContract contract = contractFor(new SampleConnector() {
            @Override
            public String platform() {
                return "Sample";
            }
        });

        assertThatThrownBy(contract::platform_isLowerCaseAndStable)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Sample");
    }

    private PlatformConnectorContract contractFor(SampleConnector broken) {
        SampleConnectorTest outer = this;
        return new PlatformConnectorContract() {
            @Override
            protected PlatformConnector newConnector() {
                return broken;
            }

            @Override
            protected FakePluginContext newContext() {
                return outer.newContext();
            }

            @Override
            protected Optional<HttpInbound> validInbound(FakePluginContext context, String externalId) {
                return outer.validInbound(context, externalId);
            }
        };
    }

    /** Takes {@code id|user|text} bodies authenticated by a SHA-256 digest of secret and body. */
    static class SampleConnector implements PlatformConnector {
        private volatile PluginContext context;
        private volatile String secret;

        @Override
        public String platform() {
            return "sample";
        }

        @Override
        public RateLimit rateLimit() {
            return RateLimit.perSecond(5);
        }

        @Override
        public void start(PluginContext context) {
            this.secret = context.secret("key").orElseThrow(() -> new IllegalStateException("secret 'key' is missing"));
            this.context = context;
        }

        @Override
        public DeliveryResult send(OutboundMessage message) {
            if (context == null) {
                return new DeliveryResult.Failed("sample connector is not started");
            }
            return new DeliveryResult.Delivered("");
        }

        @Override
        public Optional<HttpReply> handle(HttpInbound request) {
            PluginContext current = context;
            if (current == null) {
                return Optional.of(HttpReply.problem(503, "Not started", "the sample connector is not running"));
            }
            if (!"POST".equals(request.method())) {
                return Optional.of(HttpReply.problem(405, "Method not allowed", "use POST"));
            }
            if (!authentic(request)) {
                return Optional.of(HttpReply.problem(401, "Bad digest", "X-Digest does not match the body"));
            }
            String[] parts = new String(request.body(), StandardCharsets.UTF_8).split("\\|", 3);
            if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
                return Optional.of(HttpReply.problem(400, "Bad body", "expected id|user|text"));
            }
            InboundResult result = current.inbound()
                    .deliver(new InboundMessage(
                            "sample",
                            parts[0],
                            parts[1],
                            "sample-persona",
                            Optional.empty(),
                            parts[2],
                            current.clock().instant(),
                            Map.of()));
            return Optional.of(
                    switch (result) {
                        case InboundResult.Accepted accepted ->
                            HttpReply.json(
                                    accepted.duplicate() ? 200 : 202, "{\"id\":\"" + accepted.messageId() + "\"}");
                        case InboundResult.Rejected rejected -> HttpReply.problem(400, "Rejected", rejected.reason());
                        // RetryLater, and any outcome newer than this connector: nothing stored, the sender retries.
                        default -> HttpReply.problem(503, "Try again", "not stored; send the same id again later");
                    });
        }

        boolean authentic(HttpInbound request) {
            String expected = digest(secret, request.body());
            return request.header("X-Digest")
                    .map(given -> MessageDigest.isEqual(
                            given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8)))
                    .orElse(false);
        }

        @Override
        public void stop() {
            context = null;
        }

        static String digest(String secret, byte[] body) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(secret.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(sha.digest(body));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void sampleConnector_validRequest_isAcceptedWith202() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);

        HttpReply reply =
                connector.handle(validInbound(context, "m-1").orElseThrow()).orElseThrow();

        assertThat(reply.status()).isEqualTo(202);
        assertThat(context.inbound().messages())
                .singleElement()
                .extracting(InboundMessage::text)
                .isEqualTo("hello there");
    }
}
