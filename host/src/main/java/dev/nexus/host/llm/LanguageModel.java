package dev.nexus.host.llm;

/**
 * A language model the host talks to: a remote one reached through langchain4j, or the offline
 * default. This is the only model type other features see; langchain4j stays inside this package.
 *
 * <p>Implementations are thread-safe. Failures are thrown as {@link dev.nexus.host.DependencyException}
 * ({@code retriable} for connection errors, timeouts, rate limits and server errors, after the
 * configured retries), with a message naming the provider, the model and the base URL, never the key.
 */
public interface LanguageModel {

    /** Returns the reply to {@code request}. Blocks until the whole reply is there. */
    ModelReply chat(ModelRequest request);

    /**
     * Streams the reply to {@code request}: {@code sink} receives each piece of text as it arrives, on
     * the calling thread, and returns false to cancel the rest of the stream. Blocks until the reply
     * is complete, cancelled or failed. A cancelled reply carries the text streamed so far and
     * {@link FinishReason#CANCELLED}.
     */
    ModelReply stream(ModelRequest request, TokenSink sink);

    /** Returns what this model is (provider, name, base URL, whether it is the offline model). */
    ModelDescription description();
}
