package dev.nexus.host.http;

/** Handles one request. Exceptions are mapped to problem documents by the HTTP layer. */
@FunctionalInterface
public interface Handler {

    /** Handles the exchange; must respond (or open an event stream) before returning. */
    void handle(Exchange exchange) throws Exception;
}
