package dev.nexus.host.platform;

import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.RateLimit;
import dev.nexus.host.DependencyException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one platform's queued replies through its connector, one at a time, within the
 * connector's rate limit: claims due rows, sends each, and records the outcome (delivered, retry later
 * with backoff, or failed after the last attempt). Runs on its own thread until {@link #stop()}.
 */
final class Courier implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Courier.class);
    private static final int BATCH = 20;

    private final String platform;
    private final Connectors.Connector connector;
    private final Connectors connectors;
    private final OutboxRepository outbox;
    private final PlatformSettings settings;
    private final Clock clock;
    private final RateLimit rateLimit;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running = true;
    private volatile Thread thread;

    Courier(
            String platform,
            Connectors.Connector connector,
            Connectors connectors,
            OutboxRepository outbox,
            PlatformSettings settings,
            Clock clock,
            RateLimit rateLimit) {
        this.platform = platform;
        this.connector = connector;
        this.connectors = connectors;
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
        this.rateLimit = rateLimit;
    }

    /** Starts the courier on a new virtual thread. */
    void start() {
        thread = Thread.ofVirtual().name("nexus-courier-" + platform).start(this);
    }

    /** Asks the courier to look for due deliveries now. */
    void wake() {
        wake.release();
    }

    /**
     * Stops the courier: it ends after the send in progress (bounded by the connector's own timeout), whose
     * outcome it still records. The thread is not interrupted: an interrupt that reaches the database driver
     * during a write makes an embedded H2 close its file for the whole host (ClosedByInterruptException),
     * and a connector that restores the interrupt flag after its HTTP call would carry it into the outbox
     * update that follows.
     */
    void stop() {
        running = false;
        wake.release();
    }

    /** Waits until the courier's thread has ended. */
    void join(Duration timeout) throws InterruptedException {
        Thread current = thread;
        if (current != null) {
            current.join(timeout);
        }
    }

    @Override
    public void run() {
        Pacer pacer = new Pacer(rateLimit, System.nanoTime());
        try {
            while (running) {
                List<OutboxRepository.Entry> due = claim();
                for (OutboxRepository.Entry entry : due) {
                    long wait = pacer.reserve(System.nanoTime());
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (!running) {
                        return;
                    }
                    deliver(entry);
                }
                if (due.isEmpty()) {
                    wake.tryAcquire(settings.pollMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<OutboxRepository.Entry> claim() {
        Instant now = clock.instant();
        try {
            return outbox.claimDue(platform, now, now.plusSeconds(settings.leaseSeconds()), BATCH);
        } catch (RuntimeException e) {
            LOG.warn("cannot read the {} outbox; retrying in {} ms: {}", platform, settings.pollMillis(), e.toString());
            return List.of();
        }
    }

    private void deliver(OutboxRepository.Entry entry) {
        int attempt = entry.attempts() + 1;
        OutboundMessage message = new OutboundMessage(
                entry.replyId().orElse(entry.inboundId()),
                entry.inboundExternalId(),
                entry.conversation(),
                entry.personality(),
                entry.content().orElse(""),
                entry.replyTo(),
                attempt);
        DeliveryResult result;
        try {
            result = connectors.call(connector, "send", c -> c.send(message));
        } catch (DependencyException e) {
            // The plugin threw and is now isolated; keep the reply queued for when it runs again.
            outbox.retryAt(entry.inboundId(), clock.instant().plus(settings.backoff(attempt)), e.getMessage());
            running = false;
            return;
        }
        switch (result) {
            case null -> {
                connectors.fail(
                        connector, "send", new IllegalStateException("send returned null instead of a DeliveryResult"));
                outbox.retryAt(
                        entry.inboundId(), clock.instant().plus(settings.backoff(attempt)), "connector returned null");
                running = false;
            }
            case DeliveryResult.Delivered delivered ->
                outbox.delivered(entry.inboundId(), delivered.externalId(), clock.instant());
            case DeliveryResult.RetryLater later -> {
                if (attempt >= settings.maxAttempts()) {
                    LOG.warn(
                            "giving up on reply {} to {} after {} attempts: {}",
                            message.messageId(),
                            platform,
                            attempt,
                            later.reason());
                    outbox.failed(entry.inboundId(), "gave up after " + attempt + " attempts: " + later.reason());
                } else {
                    Duration pause = later.after().compareTo(settings.backoff(attempt)) > 0
                            ? later.after()
                            : settings.backoff(attempt);
                    outbox.retryAt(entry.inboundId(), clock.instant().plus(pause), later.reason());
                }
            }
            case DeliveryResult.Failed failed -> {
                LOG.warn("reply {} to {} failed permanently: {}", message.messageId(), platform, failed.reason());
                outbox.failed(entry.inboundId(), failed.reason());
            }
        }
    }
}
