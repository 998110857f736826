package dev.nexus.host.schedules;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * What scheduled actions need from the platforms (implemented over the platform feature's front door
 * in the composition root), so schedules know nothing of connectors or the outbox. Thread-safe.
 */
public interface Outlet {

    /** Returns true when a connector for {@code platform} runs on this host. */
    boolean running(String platform);

    /** Returns true when {@code personality} is away or {@code platform} is in its quiet hours at {@code at}. */
    boolean resting(String personality, String platform, Instant at);

    /** Returns {@code personality}'s time zone. */
    ZoneId zone(String personality);

    /** Returns the latest conversation {@code user} had with {@code personality} on {@code platform}, if any. */
    Optional<String> latestConversation(String user, String personality, String platform);

    /** Returns where the latest message of {@code conversation} on {@code platform} came from (the connector's address). */
    Optional<Map<String, String>> lastAddress(String platform, String conversation);

    /** Queues a message the personality writes first; returns when it is due (its natural time). */
    Instant queue(
            String platform,
            String personality,
            String id,
            String conversation,
            String text,
            Map<String, String> address);
}
