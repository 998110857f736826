package dev.nexus.host.sandbox;

import static dev.nexus.host.sandbox.SandboxFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.nexus.host.plugins.PluginText;
import dev.nexus.host.sandbox.ScoreOutcome.Failed;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Plugin-controlled text never forges a host log line (issue 19): ids, file names and messages are
 * escaped, capped and marked «…» before they reach the log, checked on the real logback output.
 */
class LogHygieneTest {

    private static final String LINE = "^(TRACE|DEBUG|INFO|WARN|ERROR) [a-zA-Z0-9_.$]+ - .*$";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private OutputStreamAppender<ILoggingEvent> appender;

    @BeforeEach
    void capture() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        LoggerContext context = root.getLoggerContext();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger - %msg%n");
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(captured);
        appender.start();
        root.addAppender(appender);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
        appender.stop();
    }

    @Test
    void forgedNewlineInAPluginId_neverStartsANewLogLine() {
        TestJars.jar(PluginSources.classes(), "attack.forged", "attack.forged.Plugin", dir.resolve("forged.jar"));
        try (FitnessSandbox sandbox = SandboxFixtures.lenientSandbox(SandboxFixtures.config(dir))) {
            String sha = sandbox.refresh().getFirst().sha256();
            sandbox.enable(sha);

            ScoreOutcome outcome = sandbox.score(sha, request("x", 1));

            assertThat(outcome)
                    .isInstanceOfSatisfying(
                            Failed.class,
                            f -> assertThat(f.reason())
                                    .contains(
                                            "«forged\\n12:00:00.000 INFO  dev.nexus.host.Host - admin key: 0123456789\\u001b[2K»")
                                    .doesNotContain("\n")
                                    .doesNotContain("\u001b"));
        }
        assertLogLinesAreTheHostsOwn("«forged\\n12:00:00.000 INFO  dev.nexus.host.Host");
    }

    @Test
    void forgedNewlineInAJarFileName_neverStartsANewLogLine() throws Exception {
        String name = "evil\nINFO dev.nexus.host.Host - admin key: 42\r\u001b[31m.jar";
        Files.writeString(dir.resolve(name), "not a jar");
        try (FitnessSandbox sandbox = SandboxFixtures.sandbox(SandboxFixtures.config(dir))) {
            List<AdmissionReport> reports = sandbox.refresh();

            assertThat(reports)
                    .singleElement()
                    .satisfies(r -> assertThat(r.admitted()).isFalse());
            assertThat(sandbox.status()).singleElement().satisfies(row -> {
                assertThat(row.id()).doesNotContain("\n").doesNotContain("\u001b");
                assertThat(row.error()).get().asString().doesNotContain("\n").startsWith("«evil\\nINFO");
            });
        }
        assertLogLinesAreTheHostsOwn(
                "Sandbox refused «evil\\nINFO dev.nexus.host.Host - admin key: 42\\r\\u001b[31m.jar»");
    }

    @Test
    void quote_escapesControlsCapsAndMarksTheText() {
        assertThat(PluginText.quote("a\nb\u001b[0m\u202e«»")).isEqualTo("«a\\nb\\u001b[0m\\u202e\\u00ab\\u00bb»");
        assertThat(PluginText.quote("x".repeat(300), 10)).isEqualTo("«xxxxxxxxxx…(300 chars)»");
    }

    private void assertLogLinesAreTheHostsOwn(String expected) {
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains(expected).doesNotContain("\u001b").doesNotContain("\r");
        assertThat(log.lines().toList())
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches(LINE));
    }
}
