package dev.nexus.host.evolution;

import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import dev.nexus.host.persona.PersonalityVersion;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the conversation store until chat lands: writes a "reply" with the personality's
 * current version, whose length follows verbosity like the offline model's (100 + 1000 x verbosity
 * characters), and serves the {@link ReplyLookup} port. Thread-safe.
 */
final class FakeChat implements ReplyLookup {

    private final PersonalityLookup personalities;
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    FakeChat(PersonalityLookup personalities) {
        this.personalities = personalities;
    }

    /** Replies as {@code personality} does now; returns the stored reply. */
    Reply say(String personality) {
        PersonalityVersion version =
                personalities.current(PersonalityId.of(personality)).orElseThrow();
        int length =
                (int) Math.round(100 + 1000 * version.personality().traits().value("verbosity", 0.5));
        Reply reply = new Reply(
                "msg-" + next.incrementAndGet(),
                version.id(),
                version.version(),
                version.personality().traits().values(),
                length,
                40);
        replies.put(reply.messageId(), reply);
        return reply;
    }

    @Override
    public Optional<Reply> reply(String messageId) {
        return Optional.ofNullable(replies.get(messageId));
    }
}
