package @PACKAGE@;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.platform.PlatformConnectorContract;
import dev.nexus.api.testing.FakePluginContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The published {@link PlatformConnectorContract} (plugin-api test-jar) plus this connector's own behaviour. */
class @CLASS@Test extends PlatformConnectorContract {

    static final String TOKEN = "a-test-token-of-32-characters-00";

    @Override
    protected PlatformConnector newConnector() {
        return new @CLASS@();
    }

    @Override
    protected FakePluginContext newContext() {
        return FakePluginContext.builder("@ID@").secret("token", TOKEN).config("personality", "test-persona").build();
    }

    @Override
    protected Optional<HttpInbound> validInbound(FakePluginContext context, String externalId) {
        return Optional.of(request(TOKEN, externalId, "Hello there"));
    }

    /** A request as the platform sends it: the body signed with {@code secret}. */
    static HttpInbound request(String secret, String id, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        String signature = "sha256=" + @CLASS@.sign(secret.getBytes(StandardCharsets.UTF_8), body);
        return new HttpInbound("POST", "/", Map.of("X-Signature", List.of(signature), "X-Message-Id", List.of(id),
                "X-User", List.of("ada")), body);
    }

    @Test
    void handle_aValidMessage_deliversItToTheConfiguredPersonality() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);

        HttpReply reply = connector.handle(request(TOKEN, "m-1", "Hello there")).orElseThrow();

        assertThat(reply.status()).isEqualTo(202);
        assertThat(context.inbound().messages()).singleElement().satisfies(message -> {
            assertThat(message.text()).isEqualTo("Hello there");
            assertThat(message.personality()).isEqualTo("test-persona");
        });
    }

    @Test
    void handle_aWrongSignature_is401AndDeliversNothing() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);

        HttpReply reply = connector.handle(request("not-the-shared-secret", "m-2", "Hello")).orElseThrow();

        assertThat(reply.status()).isEqualTo(401);
        assertThat(context.inbound().messages()).extracting(InboundMessage::externalId).isEmpty();
    }

    @Test
    void start_withoutTheSecret_failsNamingTheVariable() {
        assertThatThrownBy(() -> new @CLASS@().start(FakePluginContext.of("@ID@")))
                .hasMessageContaining("NEXUS_SECRET_@ENV_ID@_TOKEN");
    }
}
