package dev.nexus.host.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.config.ConfigException;
import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The chat feature as wired into the real host. */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class HostChatTest {

    @Parameter
    Database.Kind database;

    @Test
    void host_servesTheChatRoutes_withKeysRequired() {
        try (TestHost host = TestHost.start(database)) {
            HttpResponse<String> unknown =
                    host.http().post("/v1/chat", "{\"personality\":\"nobody\",\"user\":\"ada\",\"message\":\"hi\"}");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat((String) TestHttp.json(unknown).get("detail")).isEqualTo("unknown personality 'nobody'");
            assertThat(host.http().withKey("").post("/v1/chat/stream", "{}").statusCode())
                    .isEqualTo(401);
            assertThat(host.http().get("/v1/conversations/none/messages").statusCode())
                    .isEqualTo(404);
            assertThat(host.http().withKey("").post("/hooks/webhook", "{}").statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void host_refusesBadModelAndChatSettings_listingEveryProblem() {
        assertThatThrownBy(() -> TestHost.builder()
                        .database(database)
                        .yaml("llm: {provider: anthropic, temperature: 5}\nchat: {window-messages: 1}")
                        .env("NEXUS_PLATFORMS_MAX_ATTEMPTS", "0")
                        .start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("llm.model is required for provider 'anthropic'")
                .hasMessageContaining("llm.temperature must be within [0, 2], got 5.0")
                .hasMessageContaining("chat.window-messages must be within [2, 500], got 1")
                .hasMessageContaining("platforms.max-attempts must be within [1, 100], got 0");
    }
}
