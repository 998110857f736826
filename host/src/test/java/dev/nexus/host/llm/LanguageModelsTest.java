package dev.nexus.host.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.DependencyException;
import dev.nexus.host.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LanguageModelsTest {

    @Test
    void settings_withNothingSet_chooseTheOfflineModel() {
        LanguageModels models = LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1));

        assertThat(models.offline()).isTrue();
        assertThat(models.defaultModel().description().offline()).isTrue();
    }

    @Test
    void settings_withBaseUrlKeyAndModel_chooseOpenAiCompatible() {
        LlmSettings settings = new LlmSettings(
                null, "http://127.0.0.1:8080/v1", "k", "qwen2.5", null, null, null, null, null, null, null);

        assertThat(settings.provider()).isEqualTo("openai");
        assertThat(LanguageModels.create(settings, new SplittableRandom(1))
                        .defaultModel()
                        .description())
                .isEqualTo(new ModelDescription("openai", "qwen2.5", "http://127.0.0.1:8080/v1", false));
    }

    @Test
    void settings_fromTheEnvironment_needOnlyThreeValuesForAnOpenAiCompatibleServer() {
        var settings = dev.nexus.host.config.Settings.of(
                "",
                Map.of(
                        "NEXUS_LLM_BASE_URL",
                        "http://127.0.0.1:11434/v1",
                        "NEXUS_LLM_API_KEY",
                        "local",
                        "NEXUS_LLM_MODEL",
                        "llama3.2"));

        LlmSettings llm = settings.section("llm", LlmSettings.class);
        settings.verify(List.of("llm"));

        assertThat(llm.provider()).isEqualTo("openai");
        assertThat(llm.baseUrl()).isEqualTo("http://127.0.0.1:11434/v1");
        assertThat(llm.apiKey()).isEqualTo("local");
        assertThat(llm.model()).isEqualTo("llama3.2");
    }

    @Test
    void settings_fromYaml_bindEndpointsPerProvider() {
        var settings = dev.nexus.host.config.Settings.of("""
                llm:
                  provider: ollama
                  model: llama3.2
                  endpoints:
                    anthropic: {api-key: sk-ant-x}
                """, Map.of());

        LlmSettings llm = settings.section("llm", LlmSettings.class);
        settings.verify(List.of("llm"));

        assertThat(llm.endpoints()).containsEntry("anthropic", new LlmSettings.Endpoint("", "sk-ant-x"));
    }

    @Test
    void settings_reportEveryProblemAtOnce() {
        assertThatThrownBy(() -> new LlmSettings(
                        "ollama",
                        "ftp://x",
                        null,
                        "",
                        3.0,
                        0,
                        0,
                        null,
                        null,
                        null,
                        Map.of("mystery", new LlmSettings.Endpoint("", ""))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("llm.model is required for provider 'ollama'")
                .hasMessageContaining("llm.base-url must be an http(s) URL, got 'ftp://x'")
                .hasMessageContaining("llm.temperature must be within [0, 2], got 3.0")
                .hasMessageContaining("llm.timeout-seconds must be within [1, 3600], got 0")
                .hasMessageContaining("llm.max-attempts must be within [1, 10], got 0")
                .hasMessageContaining("llm.endpoints has unknown provider 'mystery'");
    }

    @Test
    void settings_unknownProvider_isRefusedWithTheChoices() {
        assertThatThrownBy(() -> new LlmSettings("gemini", null, null, "g", null, null, null, null, null, null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("llm.provider must be one of [openai, ollama, anthropic, offline], got 'gemini'");
    }

    @Test
    void settings_toString_neverShowsTheKey() {
        LlmSettings settings = new LlmSettings(
                "anthropic",
                null,
                "sk-ant-secret",
                "claude",
                null,
                null,
                null,
                null,
                null,
                null,
                Map.of("openai", new LlmSettings.Endpoint("", "sk-openai-secret")));

        assertThat(settings.toString())
                .doesNotContain("sk-ant-secret")
                .doesNotContain("sk-openai-secret")
                .contains("***");
    }

    @Test
    void chosen_withOfflineOverride_usesTheOfflineModel_evenWhenARemoteOneIsConfigured() {
        LanguageModels models = LanguageModels.create(
                LlmSettings.openAiCompatible("http://127.0.0.1:9/v1", "k", "m"), new SplittableRandom(1));

        assertThat(models.chosen("tester", new ModelChoice("offline", "", Optional.empty()))
                        .description()
                        .offline())
                .isTrue();
    }

    @Test
    void chosen_withAnotherModelOfTheSameProvider_usesTheDefaultEndpoint() {
        LanguageModels models = LanguageModels.create(
                LlmSettings.openAiCompatible("http://127.0.0.1:9/v1", "k", "m"), new SplittableRandom(1));

        LanguageModel model = models.chosen("tester", new ModelChoice("openai", "bigger-model", Optional.of(0.1)));

        assertThat(model.description())
                .isEqualTo(new ModelDescription("openai", "bigger-model", "http://127.0.0.1:9/v1", false));
        assertThat(models.chosen("tester", new ModelChoice("openai", "bigger-model", Optional.of(0.1))))
                .isSameAs(model);
    }

    @Test
    void chosen_withAPublicProviderButNoKey_failsNamingTheSetting() {
        LanguageModels models = LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1));

        assertThatThrownBy(() -> models.chosen("tester", new ModelChoice("anthropic", "claude-x", Optional.empty())))
                .isInstanceOfSatisfying(
                        DependencyException.class,
                        e -> assertThat(e.retriable()).isFalse())
                .hasMessage(
                        "personality 'tester' asks for anthropic model 'claude-x' but no key is configured for anthropic;"
                                + " set llm.endpoints.anthropic.api-key (or remove the personality's model override)");
    }

    @Test
    void chosen_withAnUnknownProvider_failsNamingTheChoices() {
        LanguageModels models = LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1));

        assertThatThrownBy(() -> models.chosen("tester", new ModelChoice("gemini", "g", Optional.empty())))
                .isInstanceOf(DependencyException.class)
                .hasMessageContaining(
                        "asks for model provider 'gemini'; use one of [openai, ollama, anthropic, offline]");
    }

    @Test
    void defaultModel_talksToTheConfiguredServer() {
        try (FakeOpenAiServer fake = FakeOpenAiServer.start()) {
            fake.enqueue(FakeOpenAiServer.reply("configured"));
            LanguageModels models = LanguageModels.create(
                    LlmSettings.openAiCompatible(fake.baseUrl(), "k", "m"), new SplittableRandom(1));

            ModelReply reply = models.defaultModel().chat(ModelRequest.of("s", List.of(ModelMessage.user("hi"))));

            assertThat(reply.text()).isEqualTo("configured");
            assertThat(fake.requests().get(0).body())
                    .containsEntry("model", "m")
                    .containsEntry("temperature", 0.7);
        }
    }

    @Test
    void tokenEstimate_errsHigh_andCountsEmptyAsZero() {
        assertThat(TokenEstimate.of("")).isZero();
        assertThat(TokenEstimate.of("hello")).isEqualTo(2);
        assertThat(TokenEstimate.of("a b c d e f")).isEqualTo(8);
        assertThat(TokenEstimate.of("x".repeat(400))).isEqualTo(100);
    }
}
