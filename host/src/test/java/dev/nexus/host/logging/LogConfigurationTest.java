package dev.nexus.host.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The built-in logging configuration, on a fresh Logback context: the levels and formats the
 * {@code logback.xml} it replaced set up, and stepping aside for a configuration of the user's own.
 * (Child hosts show it on a real server: {@code ServerLogFormatTest}.)
 */
class LogConfigurationTest {

    private static LoggerContext configured(Map<String, String> variables, Map<String, String> properties) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        LogConfiguration configuration = new LogConfiguration(variables::get, properties::get, name -> false);
        configuration.setContext(context);
        assertThat(configuration.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        return context;
    }

    private static List<Appender<ILoggingEvent>> rootAppenders(LoggerContext context) {
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                .iteratorForAppenders()
                .forEachRemaining(appenders::add);
        return appenders;
    }

    @Test
    void byDefault_devNexusLogsAtInfo_libraryNoiseAtWarn_inTheTextFormat() {
        LoggerContext context = configured(Map.of(), Map.of());

        assertThat(context.getLogger("dev.nexus").getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel())
                .isEqualTo(Level.INFO);
        for (String quiet :
                List.of("org.eclipse.jetty", "io.javalin", "org.flywaydb", "com.zaxxer.hikari", "org.pf4j")) {
            assertThat(context.getLogger(quiet).getLevel()).as(quiet).isEqualTo(Level.WARN);
        }
        List<Appender<ILoggingEvent>> appenders = rootAppenders(context);
        assertThat(appenders).hasSize(1);
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) appenders.get(0);
        assertThat(console.isStarted()).isTrue();
        assertThat(console.getEncoder()).isInstanceOf(PatternLayoutEncoder.class);
        assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern())
                .isEqualTo(
                        "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} [%X{request:-} %X{conversation:-}] - %msg%n");
    }

    @Test
    void nexusLogLevel_setsDevNexus_andAnUnknownLevelMeansDebug_asLogbackReadsIt() {
        assertThat(configured(Map.of("NEXUS_LOG_LEVEL", "warn"), Map.of())
                        .getLogger("dev.nexus")
                        .getLevel())
                .isEqualTo(Level.WARN);
        assertThat(configured(Map.of("NEXUS_LOG_LEVEL", "chatty"), Map.of())
                        .getLogger("dev.nexus")
                        .getLevel())
                .isEqualTo(Level.DEBUG);
    }

    @Test
    void nexusLogFormatJson_writesLogbacksJsonEncoder_withoutSequenceNanosecondsOrContext() {
        LoggerContext context = configured(Map.of("NEXUS_LOG_FORMAT", "json"), Map.of());

        ConsoleAppender<ILoggingEvent> console =
                (ConsoleAppender<ILoggingEvent>) rootAppenders(context).get(0);
        assertThat(console.getEncoder()).isInstanceOf(JsonEncoder.class);
        ILoggingEvent event = new ch.qos.logback.classic.spi.LoggingEvent(
                "x", context.getLogger("dev.nexus.Test"), Level.INFO, "hello {}", null, new Object[] {"there"});
        String line = new String(console.getEncoder().encode(event), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(line)
                .contains("\"level\":\"INFO\"", "\"loggerName\":\"dev.nexus.Test\"", "\"message\":\"hello {}\"")
                .doesNotContain("sequenceNumber", "nanoseconds", "\"context\"");
    }

    @Test
    void aUsersLogbackFile_wins_andTheBuiltInOneStepsAside() {
        LogConfiguration explicit = new LogConfiguration(
                name -> null, Map.of("logback.configurationFile", "/etc/nexus/logback.xml")::get, name -> false);
        LogConfiguration onClassPath = new LogConfiguration(name -> null, name -> null, "logback.xml"::equals);
        LogConfiguration testFile = new LogConfiguration(name -> null, name -> null, "logback-test.xml"::equals);
        LogConfiguration builtInAsked = new LogConfiguration(
                name -> null, Map.of("nexus.logging.builtin", "true")::get, "logback-test.xml"::equals);
        LogConfiguration explicitBeatsBuiltIn = new LogConfiguration(
                name -> null,
                Map.of("nexus.logging.builtin", "true", "logback.configurationFile", "mine.xml")::get,
                name -> false);

        assertThat(explicit.configure(new LoggerContext())).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(onClassPath.configure(new LoggerContext()))
                .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(testFile.configure(new LoggerContext())).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(builtInAsked.userConfiguration()).isFalse();
        assertThat(explicitBeatsBuiltIn.userConfiguration()).isTrue();
    }

    @Test
    void logbackFindsIt_asAService() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(LogConfiguration.class);
    }
}
