package dev.nexus.plugin.discord;

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
 * The whole way round on the real host with the packaged Discord jar and a local fake Discord: a DM is
 * answered once although Discord first answers 429 and the host is restarted while the reply waits;
 * the restarted host resumes the stored gateway session, so two guild messages sent while it was down
 * are replayed and answered, once each, in one conversation for the channel with each sender as their
 * own user. The plugin list shows the gateway as connected.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class DiscordIT {

    @Parameter
    Database.Kind database;

    private TestHost host(Path dir, FakeDiscord discord) {
        return TestHost.builder()
                .database(database)
                .dataDir(dir.resolve("data"))
                .yaml("plugins: {directory: '" + dir.resolve("plugins")
                        + "', config: {discord: {personality: zen-engineer,"
                        + " api-url: '" + discord.apiUrl() + "'}}}\n"
                        + "platforms: {poll-millis: 20, backoff-millis: 10}")
                .env("NEXUS_SECRET_DISCORD_BOT_TOKEN", FakeDiscord.TOKEN)
                .env("NEXUS_PERSONALITIES_DIR", dir.resolve("personalities").toString())
                .start();
    }

    @Test
    void aDm_isAnsweredOnce_throughA429AndARestart_andMessagesMissedMeanwhileAreReplayedIntoOneChannelConversation(
            @TempDir Path dir) throws IOException, InterruptedException, SQLException {
        Path personalities = dir.resolve("personalities").resolve("zen-engineer");
        Files.createDirectories(personalities);
        Files.copy(
                Path.of("..", "..", "personalities", "zen-engineer", "persona.yaml"),
                personalities.resolve("persona.yaml"));
        PackagedPlugin.installInto(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("data"));

        try (FakeDiscord discord = new FakeDiscord(500)) {
            discord.rateLimitNextSend(5.0);
            String jdbcUrl;
            try (TestHost first = host(dir, discord)) {
                discord.await(
                        "the gateway is ready", () -> !discord.calls("op 2").isEmpty());
                Thread.sleep(
                        200); // READY reaches the connector just after identify; the dispatch below needs the session
                discord.dispatch(
                        "MESSAGE_CREATE",
                        FakeDiscord.message("501", "9", null, "42", "My deploy keeps failing.", false));
                discord.await(
                        "the reply was refused with 429",
                        () -> !discord.calls("limited 9").isEmpty());
                jdbcUrl = first.jdbcUrl();
            }
            discord.dispatch(
                    "MESSAGE_CREATE", FakeDiscord.message("502", "50", "60", "43", "what do you think?", true));
            discord.dispatch("MESSAGE_CREATE", FakeDiscord.message("503", "50", "60", "44", "and about me?", true));
            discord.dispatch("MESSAGE_CREATE", FakeDiscord.message("504", "50", "60", "44", "not for the bot", false));

            try (TestHost second = host(dir, discord)) {
                discord.await(
                        "the pending reply and both channel replies are delivered",
                        () -> discord.calls("created 9").size() >= 1
                                && discord.calls("created 50").size() >= 2);
                Map<String, Object> listed = PackagedPlugin.listed(second, "discord");
                assertThat(listed.get("health")).asString().contains("discord").contains("state=connected");
            }

            assertThat(discord.calls("created 9")).as("replies to the DM").hasSize(1);
            assertThat(discord.calls("created 50"))
                    .as("replies in the channel")
                    .hasSize(2)
                    .allSatisfy(call -> assertThat(call.body()).containsKey("message_reference"));
            assertThat(discord.calls("op 2"))
                    .as("the restarted host resumed instead of identifying")
                    .hasSize(1);
            assertThat(discord.calls("op 6")).isNotEmpty();
            List<List<String>> rows = new ArrayList<>();
            try (Connection connection = DriverManager.getConnection(jdbcUrl);
                    ResultSet rs = connection
                            .createStatement()
                            .executeQuery("SELECT external_id, conversation_id, user_id"
                                    + " FROM messages WHERE platform = 'discord' AND role = 'user' ORDER BY seq")) {
                while (rs.next()) {
                    rows.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            assertThat(rows).extracting(row -> row.get(0)).containsExactly("501", "502", "503");
            assertThat(rows.get(1).get(1))
                    .as("one conversation for the channel")
                    .isEqualTo(rows.get(2).get(1))
                    .isNotEqualTo(rows.get(0).get(1));
            assertThat(rows).extracting(row -> row.get(2)).containsExactly("discord:42", "discord:43", "discord:44");
        }
    }
}
