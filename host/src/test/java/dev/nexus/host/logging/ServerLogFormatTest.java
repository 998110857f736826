package dev.nexus.host.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.ChildHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a real server (a child JVM, {@code Main}, logging configured by Logback's service lookup as in
 * production) writes: the text format, one JSON object per line with {@code NEXUS_LOG_FORMAT=json},
 * and a user's own {@code -Dlogback.configurationFile} winning over the built-in configuration.
 */
class ServerLogFormatTest {

    @TempDir
    Path dir;

    private static String listeningLine(ChildHost child) {
        assertThat(child.awaitLine("Nexus listening on")).as(child.output()).isTrue();
        return Arrays.stream(child.output().split("\n"))
                .filter(line -> line.contains("Nexus listening on"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void byDefault_linesAreText_withTimeLevelThreadLoggerAndTheRequestAndConversationIds() {
        ChildHost.Config config = ChildHost.Config.fresh(Database.Kind.H2, Map.of());
        try (ChildHost child = ChildHost.launch(config)) {
            assertThat(listeningLine(child))
                    .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] dev\\.nexus\\.host\\.Host \\[ \\] - "
                            + "Nexus listening on http://.*");
        } finally {
            config.delete();
        }
    }

    @Test
    void nexusLogFormatJson_writesOneJsonObjectPerLine() throws Exception {
        ChildHost.Config config = ChildHost.Config.fresh(Database.Kind.H2, Map.of("NEXUS_LOG_FORMAT", "json"));
        try (ChildHost child = ChildHost.launch(config)) {
            String line = listeningLine(child);
            @SuppressWarnings("unchecked")
            Map<String, Object> json = new com.fasterxml.jackson.databind.ObjectMapper().readValue(line, Map.class);
            assertThat(json.get("level")).isEqualTo("INFO");
            assertThat(json.get("loggerName")).isEqualTo("dev.nexus.host.Host");
            assertThat(json.get("threadName")).isEqualTo("main");
            assertThat(json.get("message")).isEqualTo("Nexus listening on {} (configuration: {}; data: {})");
            assertThat(json)
                    .containsKeys("timestamp", "mdc", "arguments")
                    .doesNotContainKeys("sequenceNumber", "context");
            List<String> logLines = Arrays.stream(child.output().split("\n"))
                    .filter(l -> l.contains("dev.nexus."))
                    .toList();
            assertThat(logLines).isNotEmpty().allMatch(l -> l.startsWith("{") && l.endsWith("}"));
        } finally {
            config.delete();
        }
    }

    @Test
    void aUsersLogbackConfigurationFile_winsOverTheBuiltInOne() throws Exception {
        Path file = dir.resolve("my-logback.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="mine" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>MINE %level %logger %msg%n</pattern></encoder>
                  </appender>
                  <root level="info"><appender-ref ref="mine"/></root>
                </configuration>
                """);
        ChildHost.Config config = ChildHost.Config.fresh(Database.Kind.H2, Map.of());
        try (ChildHost child = ChildHost.launch(config, List.of("-Dlogback.configurationFile=" + file))) {
            assertThat(listeningLine(child)).startsWith("MINE INFO dev.nexus.host.Host Nexus listening on http://");
        } finally {
            config.delete();
        }
    }
}
