package dev.nexus.host.llm;

/** Receives the pieces of a streamed reply, in order, on the thread that called {@link LanguageModel#stream}. */
@FunctionalInterface
public interface TokenSink {

    /**
     * Takes one piece of the reply.
     *
     * @return true to go on, false to cancel the rest of the stream (e.g. the client has gone)
     */
    boolean accept(String token);
}
