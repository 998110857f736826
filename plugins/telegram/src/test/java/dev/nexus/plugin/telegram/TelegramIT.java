package dev.nexus.plugin.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole way round on the real host with the packaged Telegram jar and a local fake Bot API: a
 * private message is answered and the reply delivered once although Telegram first answers 429 and the
 * host is restarted while the reply waits; after the restart polling resumes at the stored offset, and
 * two people mentioning the bot in a group share one conversation, each as their own user. The plugin
 * list shows the link as connected.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class TelegramIT {

    @Parameter
    Database.Kind database;

    private TestHost host(Path dir, FakeTelegram telegram) {
        return TestHost.builder()
                .database(database)
                .dataDir(dir.resolve("data"))
                .yaml("plugins: {directory: '" + dir.resolve("plugins")
                        + "', config: {telegram: {personality: zen-engineer,"
                        + " api-url: '" + telegram.url() + "', poll-timeout-seconds: 1}}}\n"
                        + "platforms: {poll-millis: 20, backoff-millis: 10}")
                .env("NEXUS_SECRET_TELEGRAM_BOT_TOKEN", FakeTelegram.TOKEN)
                .env("NEXUS_PERSONALITIES_DIR", dir.resolve("personalities").toString())
                .start();
    }

    private static long deliveredTo(FakeTelegram telegram, long chat) {
        return telegram.delivered().stream()
                .filter(call -> ((Number) call.parameters().get("chat_id")).longValue() == chat)
                .count();
    }

    @Test
    void aMessage_isAnsweredOnce_throughA429AndAHostRestart_andAGroupIsOneConversationOfSeveralPeople(@TempDir Path dir)
            throws IOException, InterruptedException, SQLException {
        Path personalities = dir.resolve("personalities").resolve("zen-engineer");
        Files.createDirectories(personalities);
        Files.copy(
                Path.of("..", "..", "personalities", "zen-engineer", "persona.yaml"),
                personalities.resolve("persona.yaml"));
        PackagedPlugin.installInto(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("data"));

        try (FakeTelegram telegram = new FakeTelegram()) {
            // Long enough that the first host is stopped while the reply waits (host start-up is not instant).
            telegram.failNextSend(429, "Too Many Requests: retry after 5", 5);
            telegram.push(FakeTelegram.privateMessage(10, 7, "My deploy keeps failing."));
            String jdbcUrl;
            try (TestHost first = host(dir, telegram)) {
                telegram.await(
                        "the reply was tried once and refused with 429",
                        () -> !telegram.calls("sendMessage").isEmpty());
                jdbcUrl = first.jdbcUrl();
            }
            int pollsBefore = telegram.calls("getUpdates").size();
            telegram.push(FakeTelegram.groupMessage(-100, 1, 8, "what do you think?", true));
            telegram.push(FakeTelegram.groupMessage(-100, 2, 9, "and about me?", true));
            telegram.push(FakeTelegram.groupMessage(-100, 3, 9, "not for the bot", false));

            try (TestHost second = host(dir, telegram)) {
                telegram.await(
                        "the pending reply and both group replies are delivered",
                        () -> deliveredTo(telegram, 7) >= 1 && deliveredTo(telegram, -100) >= 2);

                Map<String, Object> listed = PackagedPlugin.listed(second, "telegram");
                assertThat(listed).containsEntry("state", "started");
                assertThat(listed.get("health")).asString().contains("telegram").contains("state=connected");
            }

            assertThat(deliveredTo(telegram, 7))
                    .as("replies to the private message")
                    .isEqualTo(1);
            assertThat(deliveredTo(telegram, -100)).as("replies in the group").isEqualTo(2);
            assertThat(telegram.calls("getUpdates")
                            .subList(pollsBefore, telegram.calls("getUpdates").size())
                            .get(0)
                            .parameters())
                    .as("the restarted host resumes at the stored offset")
                    .containsEntry("offset", 2);
            List<List<String>> rows = new ArrayList<>();
            try (Connection connection = DriverManager.getConnection(jdbcUrl);
                    ResultSet rs = connection
                            .createStatement()
                            .executeQuery("SELECT external_id, conversation_id, user_id"
                                    + " FROM messages WHERE platform = 'telegram' AND role = 'user' ORDER BY seq")) {
                while (rs.next()) {
                    rows.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            assertThat(rows).extracting(row -> row.get(0)).containsExactly("7:10", "-100:1", "-100:2");
            assertThat(rows.get(1).get(1))
                    .as("one conversation for the group")
                    .isEqualTo(rows.get(2).get(1))
                    .isNotEqualTo(rows.get(0).get(1));
            assertThat(rows).extracting(row -> row.get(2)).containsExactly("telegram:7", "telegram:8", "telegram:9");
        }
    }
}
