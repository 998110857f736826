package dev.nexus.host.http;

/**
 * A Server-Sent Events response. Writes block until the bytes are handed to the network. Confined
 * to the thread handling the request; {@link #isOpen()} may be read from any thread.
 */
public interface EventStream extends AutoCloseable {

    /**
     * Sends one event whose data is {@code data} serialised as JSON (or sent as is when it is a String).
     *
     * @return false when the client has gone away (the stream is then closed); true otherwise
     */
    boolean send(String event, Object data);

    /**
     * Sends one unnamed event (only {@code data:} lines), as wire formats such as OpenAI's stream need;
     * {@code data} is serialised as JSON, or sent as is when it is a String.
     *
     * @return false when the client has gone away
     */
    boolean data(Object data);

    /** Sends an SSE comment line (a keep-alive); false when the client has gone away. */
    boolean comment(String text);

    /** Returns false once the client has gone away or the stream was closed. */
    boolean isOpen();

    /** Ends the response. Idempotent. */
    @Override
    void close();
}
