package dev.nexus.plugin.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole way round on the real host with the packaged email jar and a real IMAP/SMTP server on
 * loopback (GreenMail): a mail is answered in its thread; the host is restarted; mail that arrived while it
 * was down is answered after the restart (nothing lost), the first mail is not answered again (nothing
 * repeated), and a reply from another person to the personality's mail continues the same conversation
 * while a new mail starts another. The plugin list shows the link as connected. And with the password only
 * in the vault (set through {@code PUT /v1/secrets/email/password} while the link says it has none), a reply
 * the SMTP server first puts off (451) is sent exactly once, after a host restart in the middle.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class EmailIT {

    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";

    @Parameter
    Database.Kind database;

    private TestHost host(Path dir, MailServer mail) {
        return host(dir, mail, Map.of(), true);
    }

    /** A host with the plugin; its password comes from the environment, or (when {@code envPassword} is false) only from the vault. */
    private TestHost host(Path dir, MailServer mail, Map<String, Object> extra, boolean envPassword) {
        StringBuilder config = new StringBuilder();
        Map<String, Object> section = new java.util.LinkedHashMap<>(mail.config());
        section.putAll(extra);
        section.forEach((key, value) -> config.append(config.isEmpty() ? "" : ", ")
                .append(key)
                .append(": ")
                .append(value instanceof Number ? value.toString() : "'" + value + "'"));
        var builder = TestHost.builder()
                .database(database)
                .dataDir(dir.resolve("data"))
                .yaml("plugins: {directory: '" + dir.resolve("plugins") + "', config: {email: {" + config + "}}}\n"
                        + "platforms: {poll-millis: 20, backoff-millis: 10}")
                .env("NEXUS_PERSONALITIES_DIR", dir.resolve("personalities").toString());
        if (envPassword) {
            builder.env("NEXUS_SECRET_EMAIL_PASSWORD", MailServer.PASSWORD);
        }
        return builder.start();
    }

    private static void install(Path dir) throws java.io.IOException {
        Path personalities = dir.resolve("personalities").resolve("zen-engineer");
        Files.createDirectories(personalities);
        Files.copy(
                Path.of("..", "..", "personalities", "zen-engineer", "persona.yaml"),
                personalities.resolve("persona.yaml"));
        PackagedPlugin.installInto(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("data"));
    }

    @Test
    void aPasswordSetInTheVault_isUsed_andAReplyTheSmtpServerPutsOffIsSentOnceAfterAHostRestart(@TempDir Path dir)
            throws Exception {
        install(dir);
        try (MailServer mail = new MailServer();
                FakeSmtp smtp = new FakeSmtp(1, "451 4.3.0 try again later")) {
            // The first attempt is put off for 2 s (backoff-max 5): long enough that the host is stopped while it
            // waits.
            Map<String, Object> viaFake = Map.of("smtp-port", smtp.port(), "backoff-max-seconds", 5);
            mail.deliver(MailServer.raw(ALICE, "<wait@example.org>", "Later", "Answer me when you can."));
            try (TestHost first = host(dir, mail, viaFake, false)) {
                MailServer.await(
                        "the link says it has no password",
                        () -> String.valueOf(
                                        PackagedPlugin.listed(first, "email").get("health"))
                                .contains("no password"));
                assertThat(first.http()
                                .put("/v1/secrets/email/password", "{\"value\":\"" + MailServer.PASSWORD + "\"}")
                                .statusCode())
                        .isEqualTo(200);
                MailServer.await("the reply was tried once and put off", () -> smtp.rcpts() >= 1);
            }
            try (TestHost second = host(dir, mail, viaFake, false)) {
                MailServer.await(
                        "the reply is sent after the restart",
                        () -> smtp.taken().size() == 1);
                Thread.sleep(2500); // more than two polls and the outbox's next round: a repeat would show
            }

            assertThat(smtp.taken()).as("replies sent").hasSize(1);
            assertThat(smtp.taken().get(0))
                    .contains("In-Reply-To: <wait@example.org>")
                    .contains("Subject: Re: Later")
                    .contains("To: alice@example.org");
        }
    }

    @Test
    void aMail_isAnsweredInItsThread_once_acrossAHostRestart_andAReplyContinuesTheConversation(@TempDir Path dir)
            throws Exception {
        install(dir);

        try (MailServer mail = new MailServer()) {
            mail.deliver(MailServer.raw(ALICE, "<m1@example.org>", "Deploys", "My deploy keeps failing."));
            String jdbcUrl;
            String ourReply;
            try (TestHost first = host(dir, mail)) {
                MailServer.await(
                        "the first mail is answered", () -> mail.mailbox(ALICE).size() == 1);
                ourReply = mail.mailbox(ALICE).get(0).getMessageID();
                jdbcUrl = first.jdbcUrl();
            }
            mail.deliver(MailServer.raw(
                    BOB,
                    "<m2@example.org>",
                    "Re: Deploys",
                    "Same here.\n\nOn Fri, Alice wrote:\n> old",
                    "In-Reply-To: " + ourReply,
                    "References: <m1@example.org> " + ourReply));
            mail.deliver(MailServer.raw(ALICE, "<m3@example.org>", "Another topic", "What about tests?"));

            try (TestHost second = host(dir, mail)) {
                MailServer.await(
                        "both mails sent while the host was down are answered",
                        () -> mail.mailbox(ALICE).size() == 2
                                && mail.mailbox(BOB).size() == 1);
                Map<String, Object> listed = PackagedPlugin.listed(second, "email");
                assertThat(listed).containsEntry("state", "started");
                assertThat(listed.get("health")).asString().contains("email").contains("state=connected");
                Thread.sleep(2500); // more than two polls: a repeated mail would be answered again
            }

            assertThat(mail.mailbox(ALICE)).as("replies to Alice").hasSize(2);
            assertThat(mail.mailbox(BOB)).as("replies to Bob").hasSize(1);
            MimeMessage toBob = mail.mailbox(BOB).get(0);
            assertThat(toBob.getSubject()).isEqualTo("Re: Deploys");
            assertThat(toBob.getHeader("In-Reply-To")).containsExactly("<m2@example.org>");
            assertThat(toBob.getHeader("References")[0].replaceAll("\\s+", " "))
                    .isEqualTo("<m1@example.org> " + ourReply + " <m2@example.org>");
            List<List<String>> rows = new ArrayList<>();
            try (Connection connection = DriverManager.getConnection(jdbcUrl);
                    ResultSet rs = connection
                            .createStatement()
                            .executeQuery("SELECT external_id, conversation_id, user_id"
                                    + " FROM messages WHERE platform = 'email' AND role = 'user' ORDER BY seq")) {
                while (rs.next()) {
                    rows.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            assertThat(rows)
                    .extracting(row -> row.get(0))
                    .containsExactly("<m1@example.org>", "<m2@example.org>", "<m3@example.org>");
            assertThat(rows.get(1).get(1))
                    .as("Bob's reply continues Alice's thread")
                    .isEqualTo(rows.get(0).get(1))
                    .isNotEqualTo(rows.get(2).get(1));
            assertThat(rows)
                    .extracting(row -> row.get(2))
                    .containsExactly("email:" + ALICE, "email:" + BOB, "email:" + ALICE);
        }
    }
}
