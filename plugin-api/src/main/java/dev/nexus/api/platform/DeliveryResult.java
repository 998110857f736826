package dev.nexus.api.platform;

import java.time.Duration;

/** The outcome of {@link PlatformConnector#send}. */
public sealed interface DeliveryResult {

    /**
     * The platform accepted the message.
     *
     * @param externalId the platform's id of the delivered message, or an empty string when it has none
     */
    record Delivered(String externalId) implements DeliveryResult {}

    /**
     * A transient failure (timeout, 5xx, rate limited): the host retries after {@code after}, with
     * its own backoff and attempt limit.
     *
     * @param after the earliest time to retry, zero or positive
     * @param reason what went wrong, for the log
     */
    record RetryLater(Duration after, String reason) implements DeliveryResult {}

    /**
     * A permanent failure (bad address, 4xx): the host gives up and records the reason.
     *
     * @param reason what went wrong, for the log and the message record
     */
    record Failed(String reason) implements DeliveryResult {}
}
