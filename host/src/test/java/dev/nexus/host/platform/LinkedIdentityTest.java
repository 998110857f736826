package dev.nexus.host.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.platform.InboundResult;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Scope;
import dev.nexus.host.conversation.ChatSettings;
import dev.nexus.host.conversation.ConversationService;
import dev.nexus.host.conversation.Personalities;
import dev.nexus.host.conversation.Recall;
import dev.nexus.host.conversation.RecalledItem;
import dev.nexus.host.conversation.Recollection;
import dev.nexus.host.conversation.StoredMessage;
import dev.nexus.host.links.IdentityLinks;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.LlmSettings;
import dev.nexus.host.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Platform messages act as the user their identity is linked to, and never otherwise (issue 11): a
 * platform identity an admin linked to alice recalls alice's memories; an unlinked one, even one whose
 * platform user id is literally "alice", acts as itself and recalls nothing of hers. H2 and PostgreSQL.
 */
class LinkedIdentityTest {

    private static final PlatformSettings FAST = new PlatformSettings(20, 3, 0, 0, 60, 3);
    private static final Caller ADMIN = new Caller("admin-key", "admin", Set.of(Scope.ADMIN));

    private final TestConnectors connectors = new TestConnectors();
    private final ScriptedConnector chat = new ScriptedConnector("testchat");
    private PlatformService platforms;

    @AfterEach
    void stop() {
        if (platforms != null) {
            platforms.close();
        }
    }

    /** Memory as the turn sees it: alice has one fact, nobody else has any. */
    private static final Recall ALICES_MEMORY = request -> request.user().equals("alice")
            ? new Recollection(
                    List.of(new RecalledItem(
                            "fact-alice", "fact", "fact", "alice has a secret diagnosis", 0.9, Map.of())),
                    List.of())
            : Recollection.empty();

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void aLinkedIdentity_actsAsItsUserAndRecallsTheirMemories_anUnlinkedOneNever(TestDatabase db)
            throws InterruptedException {
        IdentityLinks links = new IdentityLinks(db.database(), Clock.systemUTC());
        links.link("testchat:u1", "alice", ADMIN);
        ConversationService conversations = new ConversationService(
                db.database(),
                Personalities.withZen(),
                ALICES_MEMORY,
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
                links::principalOf,
                db.database(),
                FAST,
                Clock.systemUTC());
        connectors.sink(platforms.inbound());
        platforms.start();

        StoredMessage linked = reply(conversations, chat.receive("u1", "ext-1", "what do you know about me?"));
        StoredMessage stranger = reply(conversations, chat.receive("u2", "ext-2", "what do you know about me?"));
        StoredMessage namesake = reply(conversations, chat.receive("alice", "ext-3", "what do you know about me?"));

        assertThat(linked.user()).isEqualTo("alice");
        assertThat(recalled(linked)).containsExactly("fact-alice");
        assertThat(stranger.user()).isEqualTo("testchat:u2");
        assertThat(recalled(stranger)).isEmpty();
        assertThat(namesake.user()).isEqualTo("testchat:alice");
        assertThat(recalled(namesake)).isEmpty();

        // Unlinked again, u1 is only itself: alice's memory no longer follows it.
        links.unlink("testchat:u1");
        StoredMessage after = reply(conversations, chat.receive("u1", "ext-4", "and now?"));
        assertThat(after.user()).isEqualTo("testchat:u1");
        assertThat(recalled(after)).isEmpty();
    }

    private static StoredMessage reply(ConversationService conversations, InboundResult result)
            throws InterruptedException {
        assertThat(result).isInstanceOf(InboundResult.Accepted.class);
        String inbound = ((InboundResult.Accepted) result).messageId();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        BooleanSupplier answered = () -> conversations
                .message(inbound)
                .map(m -> m.state().equals("answered"))
                .orElse(false);
        while (!answered.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("message " + inbound + " was never answered");
            }
            Thread.sleep(10);
        }
        String user = conversations.message(inbound).orElseThrow().user();
        return conversations.messageIdsOf(user).stream()
                .map(id -> conversations.message(id).orElseThrow())
                .filter(m -> m.inReplyTo().filter(inbound::equals).isPresent())
                .findFirst()
                .orElseThrow();
    }

    private static List<Object> recalled(StoredMessage reply) {
        return List.copyOf((List<?>) ((Map<?, ?>) reply.metadata().get("recalled")).get("memories"));
    }
}
