package dev.nexus.host.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The server's console logging, configured in code rather than from a {@code logback.xml}: Logback
 * finds this class through {@link java.util.ServiceLoader} ({@code META-INF/services}) before it looks
 * for any XML, and building the appender directly skips the XML parser and Joran's model (about 8% of
 * the main thread's start-up samples when it was XML).
 *
 * <p>What it sets up: {@code NEXUS_LOG_LEVEL} (default {@code info}) for {@code dev.nexus}; Jetty,
 * Javalin, Flyway, Hikari and PF4J at {@code warn}; everything else at {@code info}; one console
 * appender, text ({@value #PATTERN}) or, with {@code NEXUS_LOG_FORMAT=json}, one JSON object per line
 * (Logback's {@link JsonEncoder} without sequence numbers, nanoseconds or context). Both variables are
 * read as system properties first, then from the environment, as Logback's {@code ${NAME:-default}} did.
 *
 * <p>A configuration of the user's own still wins: with {@code -Dlogback.configurationFile=…}, or a
 * {@code logback.xml} (or {@code logback-test.xml}) on the class path, this class steps aside and
 * Logback reads that file as usual. {@code -Dnexus.logging.builtin=true} ignores a {@code logback.xml}
 * or {@code logback-test.xml} found on the class path (the test class path carries a quiet one; child
 * hosts started by tests want the server's own logging); it never overrides an explicit
 * {@code logback.configurationFile}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfiguration extends ContextAwareBase implements Configurator {

    /** The text format's layout: time, level, thread, logger, then the request and conversation ids. */
    public static final String PATTERN =
            "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} [%X{request:-} %X{conversation:-}] - %msg%n";

    private static final Map<String, Level> QUIET = Map.of(
            "org.eclipse.jetty", Level.WARN,
            "io.javalin", Level.WARN,
            "org.flywaydb", Level.WARN,
            "com.zaxxer.hikari", Level.WARN,
            "org.pf4j", Level.WARN);

    private final Function<String, @Nullable String> variables;
    private final Function<String, @Nullable String> properties;
    private final java.util.function.Predicate<String> onClassPath;

    /** The instance Logback's service loader makes: system properties, the environment, the class path. */
    public LogConfiguration() {
        this(
                name -> {
                    String property = System.getProperty(name);
                    return property != null ? property : System.getenv(name);
                },
                System::getProperty,
                name -> LogConfiguration.class.getClassLoader().getResource(name) != null);
    }

    LogConfiguration(
            Function<String, @Nullable String> variables,
            Function<String, @Nullable String> properties,
            java.util.function.Predicate<String> onClassPath) {
        this.variables = variables;
        this.properties = properties;
        this.onClassPath = onClassPath;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (userConfiguration()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // Logback's own lookup reads the user's file
        }
        context.getStatusManager().add(new NopStatusListener());
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(json() ? "json" : "text");
        console.setEncoder(encoder(context));
        console.start();
        context.getLogger("dev.nexus").setLevel(Level.toLevel(variable("NEXUS_LOG_LEVEL", "info"), Level.DEBUG));
        QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** True when the user (or a test) supplies a Logback file that must be read instead. */
    boolean userConfiguration() {
        if (properties.apply("logback.configurationFile") != null) {
            return true;
        }
        if (Boolean.parseBoolean(properties.apply("nexus.logging.builtin"))) {
            return false;
        }
        return onClassPath.test("logback-test.xml") || onClassPath.test("logback.xml");
    }

    private boolean json() {
        return variable("NEXUS_LOG_FORMAT", "text")
                .trim()
                .toLowerCase(Locale.ROOT)
                .equals("json");
    }

    private Encoder<ILoggingEvent> encoder(LoggerContext context) {
        if (json()) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(PATTERN);
        text.start();
        return text;
    }

    private String variable(String name, String otherwise) {
        String value = variables.apply(name);
        return value == null || value.isEmpty() ? otherwise : value;
    }
}
