package dev.nexus.host.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.platform.InboundMessage;
import dev.nexus.host.conversation.Speaker;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A platform group chat's message names its sender as the speaker, so the prompt can show who said
 * what (issue 16, item 5); a direct conversation (one person) names none.
 */
class InboxSpeakerTest {

    private static InboundMessage from(String user) {
        return new InboundMessage(
                "telegram", "m-1", user, "keeper", Optional.empty(), "hello", Instant.EPOCH, Map.of());
    }

    @Test
    void aGroupChatsMessage_namesItsSender_aDirectOneNobody() {
        assertThat(Inbox.speaker(from("4711").inThread("-100200")))
                .contains(new Speaker("4711", Optional.of("telegram:4711")));
        assertThat(Inbox.speaker(from("4711"))).isEmpty();
    }

    @Test
    void aSenderIdWithControlCharactersOrOverLong_becomesAValidName_notARefusedMessage() {
        Speaker speaker =
                Inbox.speaker(from("a\u0007b" + "x".repeat(300)).inThread("-1")).orElseThrow();
        assertThat(speaker.name()).startsWith("ab").hasSize(Speaker.MAX_NAME);
        assertThat(speaker.id()).isEmpty();
    }
}
