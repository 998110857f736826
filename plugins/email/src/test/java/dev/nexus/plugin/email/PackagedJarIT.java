package dev.nexus.plugin.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.testing.PackagedPlugin;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar carries everything Jakarta Mail needs. In these tests Jakarta Mail is also on the test
 * class path (GreenMail brings it), which would hide a jar that lacks a provider; a real host has none.
 * So the jar's mail package is loaded here by a class loader that sees the JDK and the jar only, with a
 * context class loader that sees no Jakarta Mail either, and sends a mail through a real SMTP server.
 */
class PackagedJarIT {

    @Test
    void packagedJar_sendsMail_withNothingButTheJdkBesideIt() throws Exception {
        try (MailServer server = new MailServer();
                URLClassLoader alone = new URLClassLoader(
                        new URL[] {PackagedPlugin.jar().toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            String pkg = "dev.nexus.plugin.email.mail.";
            Class<?> security = alone.loadClass(pkg + "Security");
            Class<?> endpointType = alone.loadClass(pkg + "Endpoint");
            Class<?> outgoingType = alone.loadClass(pkg + "Outgoing");
            Class<?> smtpType = alone.loadClass(pkg + "Smtp");
            assertThat(smtpType.getClassLoader()).isSameAs(alone);
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object plain = Enum.valueOf((Class) security, "PLAIN");
            Object endpoint = endpointType.getConstructors()[0].newInstance(
                    "127.0.0.1",
                    server.smtpPort(),
                    plain,
                    MailServer.NEXUS,
                    MailServer.PASSWORD,
                    Duration.ofSeconds(5));
            Object outgoing = outgoingType.getConstructors()[0].newInstance(
                    MailServer.NEXUS,
                    "carol@example.org",
                    "Re: hi",
                    "<nexus.1@example.org>",
                    Optional.of("<a@example.org>"),
                    List.of("<a@example.org>"),
                    "plain text",
                    "<p>html</p>");
            Object smtp = smtpType.getConstructor(endpointType).newInstance(endpoint);
            Method send = smtpType.getMethod("send", outgoingType);

            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
            Object result;
            try {
                result = send.invoke(smtp, outgoing);
            } finally {
                thread.setContextClassLoader(previous);
            }

            assertThat(result.getClass().getSimpleName())
                    .as("result %s", result)
                    .isEqualTo("Sent");
            assertThat(server.mailbox("carol@example.org"))
                    .singleElement()
                    .satisfies(mail -> assertThat(mail.getHeader("In-Reply-To")).containsExactly("<a@example.org>"));
        }
    }
}
