package dev.nexus.plugin.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.plugin.email.mail.Mail;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading mails into messages, without a server: the cases the GreenMail tests do not reach. */
class MailsTest {

    private final Mails mails = new Mails(EmailSettings.from(FakePluginContext.builder("email")
            .config(Map.of(
                    "personality",
                    "zen-engineer",
                    "address",
                    "Nexus@Example.org",
                    "imap-host",
                    "imap.example.org",
                    "smtp-host",
                    "smtp.example.org"))
            .build()));

    private static Mail mail(
            String id, List<String> references, String subject, String plain, Map<String, String> headers) {
        return new Mail(
                7,
                Optional.of(id),
                references.isEmpty() ? Optional.empty() : Optional.of(references.getLast()),
                references,
                Optional.of("alice@example.org"),
                subject,
                headers,
                Optional.of(plain),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    @Test
    void replyWithOnlyQuotedText_isSkipped() {
        Mails.Read read = mails.read(
                mail(
                        "<r@x.org>",
                        List.of("<root@x.org>"),
                        "Re: Plans",
                        "\nOn Fri, Nexus <nexus@example.org> wrote:\n> Shall we?",
                        Map.of()),
                1,
                Instant.EPOCH);

        assertThat(read)
                .isInstanceOfSatisfying(
                        Mails.Read.Skip.class, skip -> assertThat(skip.why()).contains("no new text"));
    }

    @Test
    void newMailWithAnEmptyBody_isReadAsItsSubject() {
        Mails.Read read =
                mails.read(mail("<n@x.org>", List.of(), "Are you there?", "  \n", Map.of()), 1, Instant.EPOCH);

        assertThat(read)
                .isInstanceOfSatisfying(
                        Mails.Read.Message.class,
                        message -> assertThat(message.message().text()).isEqualTo("Are you there?"));
    }

    @Test
    void veryLongIds_areHashedIntoKeysTheHostStores() {
        String longId = "<" + "a".repeat(200) + "@x.org>";

        Mails.Read read = mails.read(mail(longId, List.of(), "Hi", "hello", Map.of()), 1, Instant.EPOCH);

        assertThat(read).isInstanceOfSatisfying(Mails.Read.Message.class, message -> {
            assertThat(message.message().externalId()).startsWith("sha256:").hasSize(71);
            assertThat(message.message().thread())
                    .hasValueSatisfying(thread -> assertThat(thread).hasSize(71));
            assertThat(message.message().replyTo().get(Mails.ANSWERED)).isEqualTo(longId);
        });
    }

    @Test
    void automaticMail_isRecognisedByEachSign() {
        List<Map<String, String>> automatic = List.of(
                Map.of("auto-submitted", "auto-generated"),
                Map.of("precedence", "Junk"),
                Map.of("x-autoreply", "yes"),
                Map.of("list-id", "<list.x.org>"),
                Map.of("return-path", "<>"),
                Map.of("content-type", "multipart/report; report-type=delivery-status"));

        for (Map<String, String> headers : automatic) {
            assertThat(mails.read(mail("<a@x.org>", List.of(), "x", "text", headers), 1, Instant.EPOCH))
                    .as("mail with %s", headers)
                    .isInstanceOf(Mails.Read.Skip.class);
        }
        assertThat(mails.read(
                        mail("<a@x.org>", List.of(), "x", "text", Map.of("auto-submitted", "no")), 1, Instant.EPOCH))
                .isInstanceOf(Mails.Read.Message.class);
    }
}
