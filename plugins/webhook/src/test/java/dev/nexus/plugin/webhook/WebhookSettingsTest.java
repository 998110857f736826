package dev.nexus.plugin.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.testing.FakePluginContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {

    @Test
    void from_emptySection_usesTheDocumentedDefaults() {
        WebhookSettings settings = WebhookSettings.from(FakePluginContext.of("webhook"));

        assertThat(settings.signing()).isFalse();
        assertThat(settings.callbackUrl()).isEmpty();
        assertThat(settings.callbackHosts().isEmpty()).isTrue();
        assertThat(settings.tolerance()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.maxBodyBytes()).isEqualTo(65_536);
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.retryBase()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.retryMax()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void from_shortKey_isRefusedWithoutEchoingIt() {
        FakePluginContext context = FakePluginContext.builder("webhook")
                .secret("signing-key", "hunter2")
                .build();

        assertThatThrownBy(() -> new WebhookConnector().start(context))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "webhook secret 'signing-key' is 7 bytes long; use at least 32 random bytes, e.g. the output of:"
                                + " openssl rand -hex 32")
                .message()
                .doesNotContain("hunter2");
    }

    @Test
    void from_previousKeyWithoutACurrentOne_isRefused() {
        FakePluginContext context = FakePluginContext.builder("webhook")
                .secret("previous-signing-key", Requests.KEY)
                .build();

        assertThatThrownBy(() -> WebhookSettings.from(context))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook secret 'previous-signing-key' is set but 'signing-key' is not; set"
                        + " NEXUS_SECRET_WEBHOOK_SIGNING_KEY to the current key");
    }

    @Test
    void from_badValues_nameTheKey() {
        assertThatThrownBy(() -> settings(Map.of("callback-url", "ftp://example.com/x")))
                .hasMessage(
                        "webhook config 'callback-url' must be an absolute http(s) URL with a host and no user info,"
                                + " got 'ftp://example.com/x'");
        assertThatThrownBy(() -> settings(Map.of("tolerance-seconds", 0)))
                .hasMessage("webhook config 'tolerance-seconds' must be between 1 and 3600, got 0");
        assertThatThrownBy(() -> settings(Map.of("callback-hosts", List.of("https://x.example"))))
                .hasMessage(
                        "webhook config 'callback-hosts' entry 'https://x.example' must be a host name (hooks.example.com)"
                                + " or a subdomain wildcard (*.example.com)");
        assertThatThrownBy(() -> settings(Map.of("request-timeout-ms", "soon")))
                .hasMessage("plugin config 'request-timeout-ms' must be an integer, got 'soon'");
    }

    @Test
    void callbackHosts_matchExactNamesAndSubdomainsOnly() {
        HostPatterns hosts = HostPatterns.of("callback-hosts", List.of("hooks.example.com", "*.example.org"));

        assertThat(hosts.allows("HOOKS.example.com.")).isTrue();
        assertThat(hosts.allows("a.example.org")).isTrue();
        assertThat(hosts.allows("example.org")).isFalse();
        assertThat(hosts.allows("badexample.org")).isFalse();
        assertThat(hosts.allows("hooks.example.com.evil.net")).isFalse();
        assertThat(hosts.allows(null)).isFalse();
    }

    private static WebhookSettings settings(Map<String, Object> config) {
        return WebhookSettings.from(
                FakePluginContext.builder("webhook").config(config).build());
    }
}
