package dev.nexus.host.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.platform.InboundResult;
import dev.nexus.host.conversation.ChatSettings;
import dev.nexus.host.conversation.ConversationService;
import dev.nexus.host.conversation.Personalities;
import dev.nexus.host.conversation.Recollection;
import dev.nexus.host.conversation.Speaker;
import dev.nexus.host.conversation.StoredMessage;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.LlmSettings;
import dev.nexus.host.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A platform group chat (issue 16, item 5): two people writing in one thread continue one
 * conversation; each stored message names its sender as the speaker (so the prompt shows who said
 * what), and each sender still acts as their own user, so each turn recalls and is remembered in the
 * sender's own memory, never the other's. H2 and PostgreSQL.
 */
class GroupChatSpeakersTest {

    private static final PlatformSettings FAST = new PlatformSettings(20, 3, 0, 0, 60, 3);

    private final TestConnectors connectors = new TestConnectors();
    private final ScriptedConnector chat = new ScriptedConnector("testchat");
    private PlatformService platforms;

    @AfterEach
    void stop() {
        if (platforms != null) {
            platforms.close();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void twoSendersInOneThread_areOneConversation_eachNamedAndEachTheirOwnUser(TestDatabase db)
            throws InterruptedException {
        List<String> recalledFor = new CopyOnWriteArrayList<>();
        ConversationService conversations = new ConversationService(
                db.database(),
                Personalities.withZen(),
                request -> {
                    recalledFor.add(request.user());
                    return Recollection.empty();
                },
                List.of(),
                LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1)),
                ChatSettings.defaults(),
                Clock.systemUTC(),
                Runnable::run);
        connectors.add("chat-plugin", chat);
        platforms = new PlatformService(
                connectors,
                conversations,
                TestConnectors.NO_REACTIONS,
                IdentityResolver.UNLINKED,
                db.database(),
                FAST,
                Clock.systemUTC());
        connectors.sink(platforms.inbound());
        platforms.start();

        StoredMessage ana = answered(conversations, chat.receiveInThread("ana", "g-1", "I moved to Oslo", "group-7"));
        StoredMessage ola = answered(conversations, chat.receiveInThread("ola", "g-2", "Welcome to Oslo!", "group-7"));

        assertThat(ola.conversation()).isEqualTo(ana.conversation());
        assertThat(ana.speaker()).contains(new Speaker("ana", Optional.of("testchat:ana")));
        assertThat(ola.speaker()).contains(new Speaker("ola", Optional.of("testchat:ola")));
        assertThat(List.of(ana.user(), ola.user())).containsExactly("testchat:ana", "testchat:ola");
        // Each sender is the user of their own turn: nothing of it is attributed to someone else, and
        // each turn recalls its sender's memory only.
        assertThat(ana.otherSpeaker()).isEmpty();
        assertThat(ola.otherSpeaker()).isEmpty();
        assertThat(recalledFor).containsExactly("testchat:ana", "testchat:ola");
    }

    /** Waits until the host answered the message (no timed assertion: the deadline only ends a hang). */
    private static StoredMessage answered(ConversationService conversations, InboundResult result)
            throws InterruptedException {
        assertThat(result).isInstanceOf(InboundResult.Accepted.class);
        String inbound = ((InboundResult.Accepted) result).messageId();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!conversations.message(inbound).orElseThrow().state().equals("answered")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("message " + inbound + " was never answered");
            }
            Thread.sleep(10);
        }
        return conversations.message(inbound).orElseThrow();
    }
}
