package dev.nexus.api.platform;

/**
 * The host's port for inbound messages. The host stores the message before it returns, so an
 * {@link InboundResult.Accepted} result means the message will be answered even if the host
 * restarts; the reply is produced asynchronously and delivered through the connector's
 * {@link PlatformConnector#send}. Thread-safe; never throws for bad input (returns
 * {@link InboundResult.Rejected}).
 */
public interface InboundSink {

    /** Hands one inbound message to the host. */
    InboundResult deliver(InboundMessage message);
}
