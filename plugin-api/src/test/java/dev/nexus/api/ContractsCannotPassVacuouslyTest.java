package dev.nexus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.KnowledgePackProvider;
import dev.nexus.api.knowledge.KnowledgePackProviderContract;
import dev.nexus.api.personality.PersonalityBundle;
import dev.nexus.api.personality.PersonalityProvider;
import dev.nexus.api.personality.PersonalityProviderContract;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.platform.PlatformConnectorContract;
import dev.nexus.api.platform.RateLimit;
import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolContract;
import dev.nexus.api.tool.ToolResult;
import dev.nexus.api.tool.ToolSpec;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A plugin author who gives the published contracts nothing to check must not get a green run that
 * checked nothing: fixtures the tests need are abstract, a test that cannot run without one reports
 * as <em>skipped</em> with the reason, and a provider with nothing to offer fails. The lazy contract
 * subclasses below are run through the JUnit launcher, as a build tool would run them.
 */
class ContractsCannotPassVacuouslyTest {

    /** What happened to each test of one run, by method name. */
    private record Outcomes(Map<String, String> skipped, List<String> succeeded, List<String> failed) {}

    private static Outcomes run(Class<?> contract) {
        Map<String, String> skipped = new java.util.LinkedHashMap<>();
        List<String> succeeded = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(
                LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(contract))
                        .build(),
                new TestExecutionListener() {
                    @Override
                    public void executionSkipped(TestIdentifier test, String reason) {
                        skipped.put(test.getDisplayName(), reason);
                    }

                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        if (!test.isTest()) {
                            return;
                        }
                        if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                            succeeded.add(test.getDisplayName());
                        } else if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                            skipped.put(
                                    test.getDisplayName(),
                                    result.getThrowable()
                                            .map(Throwable::getMessage)
                                            .orElse(""));
                        } else {
                            failed.add(test.getDisplayName());
                        }
                    }
                });
        return new Outcomes(skipped, succeeded, failed);
    }

    @Test
    void fixturesTheTestsNeed_areAbstract_soLeavingThemOutDoesNotCompile() throws NoSuchMethodException {
        assertThat(Modifier.isAbstract(PlatformConnectorContract.class
                        .getDeclaredMethod("validInbound", FakePluginContext.class, String.class)
                        .getModifiers()))
                .isTrue();
        assertThat(Modifier.isAbstract(
                        ToolContract.class.getDeclaredMethod("workingArguments").getModifiers()))
                .isTrue();
    }

    @Test
    void connectorContract_withoutAValidRequest_reportsTheInboundTestsAsSkippedWithTheReason() {
        Outcomes outcomes = run(LazyConnectorTest.class);

        assertThat(outcomes.skipped())
                .containsOnlyKeys(
                        "handle_validRequest_deliversOneMessageForThisPlatform()",
                        "handle_sameRequestTwice_storesOneMessage()",
                        "handle_tamperedBody_isRefusedAndDeliversNothing()",
                        "handle_concurrentValidRequests_deliversEachOnce()");
        assertThat(outcomes.skipped().values())
                .allSatisfy(reason -> assertThat(reason).contains("validInbound(...) returned empty"));
        assertThat(outcomes.succeeded())
                .isNotEmpty()
                .doesNotContainAnyElementsOf(outcomes.skipped().keySet());
    }

    @Test
    void toolContract_withoutWorkingArguments_reportsTheSuccessTestAsSkippedWithTheReason() {
        Outcomes outcomes = run(LazyToolTest.class);

        assertThat(outcomes.skipped()).containsKey("invoke_withWorkingArguments_succeeds()");
        assertThat(outcomes.skipped().get("invoke_withWorkingArguments_succeeds()"))
                .contains("workingArguments() returned empty");
        assertThat(outcomes.succeeded()).doesNotContain("invoke_withWorkingArguments_succeeds()");
    }

    @Test
    void providerContracts_withAProviderThatOffersNothing_fail() {
        Outcomes packs = run(EmptyPackProviderTest.class);
        Outcomes personalities = run(EmptyPersonalityProviderTest.class);

        assertThat(packs.failed()).isNotEmpty();
        assertThat(personalities.failed()).isNotEmpty();
    }

    /** A connector with no HTTP side that overrides only what the compiler demands. */
    static class LazyConnectorTest extends PlatformConnectorContract {
        @Override
        protected PlatformConnector newConnector() {
            return new PlatformConnector() {
                private volatile boolean started;

                @Override
                public String platform() {
                    return "lazy";
                }

                @Override
                public RateLimit rateLimit() {
                    return RateLimit.perSecond(1);
                }

                @Override
                public void start(PluginContext context) {
                    started = true;
                }

                @Override
                public DeliveryResult send(OutboundMessage message) {
                    return started ? new DeliveryResult.Delivered("") : new DeliveryResult.Failed("not started");
                }

                @Override
                public void stop() {
                    started = false;
                }
            };
        }

        @Override
        protected Optional<HttpInbound> validInbound(FakePluginContext context, String externalId) {
            return Optional.empty();
        }
    }

    /** A tool for which no call can succeed in the test. */
    static class LazyToolTest extends ToolContract {
        @Override
        protected Tool newTool() {
            return new Tool() {
                @Override
                public ToolSpec spec() {
                    return new ToolSpec(
                            "lazy", "Does nothing useful.", "{\"type\":\"object\",\"properties\":{}}", RiskLevel.LOW);
                }

                @Override
                public ToolResult invoke(ToolCall call) {
                    return new ToolResult.Failure("nothing works here", false);
                }
            };
        }

        @Override
        protected Optional<Map<String, Object>> workingArguments() {
            return Optional.empty();
        }
    }

    /** A pack provider that offers no packs. */
    static class EmptyPackProviderTest extends KnowledgePackProviderContract {
        @Override
        protected KnowledgePackProvider newProvider() {
            return List::<KnowledgePack>of;
        }
    }

    /** A personality provider that offers no personalities. */
    static class EmptyPersonalityProviderTest extends PersonalityProviderContract {
        @Override
        protected PersonalityProvider newProvider() {
            return List::<PersonalityBundle>of;
        }
    }
}
