package dev.nexus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {

    enum Reply {
        MENTION,
        REPLY,
        ALWAYS
    }

    private static ConfigReader reader(Map<String, ?> section) {
        return new ConfigReader("chat", PluginConfig.of(section));
    }

    @Test
    void check_withEveryProblem_namesEachKeyAndItsFix_inOneMessage() {
        ConfigReader read = reader(Map.of("timeout-ms", 5, "replies", List.of("mention", "sometimes")));

        read.required("personality", "the id of the personality that answers, e.g. zen-engineer");
        read.integer("timeout-ms", 10_000, 100, 120_000);
        read.choices("replies", Reply.class, Set.of(Reply.MENTION));

        assertThatThrownBy(read::check)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("3 problems: chat config 'personality' is required: the id of the personality that"
                        + " answers, e.g. zen-engineer; chat config 'timeout-ms' must be between 100 and 120000,"
                        + " got 5; chat config 'replies' entry 'sometimes' must be mention, reply or always");
    }

    @Test
    void check_withOneProblem_saysItAsItIs() {
        ConfigReader read = reader(Map.of("personality", "  "));

        assertThat(read.required("personality", "the id of the personality")).isEmpty();

        assertThatThrownBy(read::check).hasMessage("chat config 'personality' is required: the id of the personality");
    }

    @Test
    void check_withNoProblem_passes_andValuesAreRead() {
        ConfigReader read = reader(Map.of(
                "personality",
                " zen ",
                "timeout-ms",
                "250",
                "idle",
                "TRUE",
                "share",
                "0.25",
                "mode",
                "Always",
                "replies",
                List.of("reply", " ALWAYS ")));

        assertThat(read.required("personality", "…")).isEqualTo("zen");
        assertThat(read.integer("timeout-ms", 10_000, 100, 120_000)).isEqualTo(250);
        assertThat(read.flag("idle", false)).isTrue();
        assertThat(read.fraction("share", 0)).isEqualTo(0.25);
        assertThat(read.choice("mode", Reply.class, Reply.MENTION)).isEqualTo(Reply.ALWAYS);
        assertThat(read.choices("replies", Reply.class, Set.of())).containsExactlyInAnyOrder(Reply.REPLY, Reply.ALWAYS);
        assertThat(read.text("absent")).isEmpty();
        read.check();
        assertThat(read.problems()).isEmpty();
    }

    @Test
    void absentValues_takeTheirFallbacks() {
        ConfigReader read = reader(Map.of());

        assertThat(read.integer("timeout-ms", 10_000, 100, 120_000)).isEqualTo(10_000);
        assertThat(read.flag("idle", true)).isTrue();
        assertThat(read.fraction("share", 0.5)).isEqualTo(0.5);
        assertThat(read.choice("mode", Reply.class, Reply.REPLY)).isEqualTo(Reply.REPLY);
        assertThat(read.choices("replies", Reply.class, Set.of(Reply.MENTION))).containsExactly(Reply.MENTION);
        read.check();
    }

    @Test
    void wrongValues_areRecorded_andTheFallbackIsReturned() {
        ConfigReader read = reader(Map.of(
                "timeout-ms", "soon", "idle", "maybe", "share", "1.5", "mode", "loud", "nested", Map.of("a", 1)));

        assertThat(read.integer("timeout-ms", 10_000, 100, 120_000)).isEqualTo(10_000);
        assertThat(read.flag("idle", true)).isTrue();
        assertThat(read.fraction("share", 0)).isZero();
        assertThat(read.choice("mode", Reply.class, Reply.MENTION)).isEqualTo(Reply.MENTION);
        assertThat(read.text("nested")).isEqualTo(Optional.empty());

        assertThat(read.problems())
                .containsExactly(
                        "plugin config 'timeout-ms' must be an integer, got 'soon'",
                        "plugin config 'idle' must be true or false, got 'maybe'",
                        "chat config 'share' must be a number from 0 to 1, got '1.5'",
                        "chat config 'mode' must be mention, reply or always, got 'loud'",
                        "plugin config 'nested' is a map, expected text");
    }

    @Test
    void problem_byThePluginsOwnCheck_isReportedWithTheOthers() {
        ConfigReader read = reader(Map.of("address", "not an address"));
        read.problem("address", "must be a plain address such as nexus@example.org");
        read.problem("chat secret 'token' does not look like a token; copy it again");

        assertThatThrownBy(read::check)
                .hasMessage("2 problems: chat config 'address' must be a plain address such as nexus@example.org;"
                        + " chat secret 'token' does not look like a token; copy it again");
    }

    @Test
    void echo_shortensLongValues() {
        assertThat(ConfigReader.echo("x".repeat(100))).hasSize(100);
        assertThat(ConfigReader.echo("x".repeat(150))).isEqualTo("x".repeat(100) + "…");
    }
}
