package dev.nexus.host.llm;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.nexus.host.DependencyException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One attempt at a streamed reply. langchain4j calls the handler methods on its HTTP client's
 * threads; they only enqueue events, and {@link #drain} hands the tokens to the caller's sink on the
 * caller's thread, so a slow or failing sink never runs on (or blocks) the client's threads.
 * Confined to one call of {@link RemoteModel#stream} apart from the handler callbacks.
 */
final class StreamRun implements StreamingChatResponseHandler {

    /** What an attempt came to. */
    sealed interface Outcome {}

    /** The reply is complete, or the caller cancelled it. */
    record Finished(ModelReply reply) implements Outcome {}

    /**
     * The attempt failed.
     *
     * @param failure what went wrong
     * @param delivered whether some of the reply had already reached the caller (then it cannot be retried)
     */
    record Broken(Throwable failure, boolean delivered) implements Outcome {}

    private sealed interface Event {}

    private record Token(String text, StreamingHandle handle) implements Event {}

    private record Done(ChatResponse response) implements Event {}

    private record Failed(Throwable failure) implements Event {}

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ModelDescription model;
    private final Duration quietLimit;

    StreamRun(ModelDescription model, Duration quietLimit) {
        this.model = model;
        this.quietLimit = quietLimit;
    }

    @Override
    public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
        events.add(new Token(partial.text(), context.streamingHandle()));
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        events.add(new Done(response));
    }

    @Override
    public void onError(Throwable error) {
        events.add(new Failed(error));
    }

    /** Passes tokens to {@code sink} until the reply completes, fails, goes quiet or is cancelled. */
    Outcome drain(TokenSink sink) {
        StringBuilder text = new StringBuilder();
        StreamingHandle handle = null;
        boolean delivered = false;
        while (true) {
            Event event;
            try {
                event = events.poll(quietLimit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel(handle);
                return new Broken(
                        new DependencyException("interrupted while streaming from " + model.label(), true, e), true);
            }
            switch (event) {
                case null -> {
                    cancel(handle);
                    return new Broken(Failures.quiet(model, Math.max(1, quietLimit.toSeconds())), delivered);
                }
                case Token token -> {
                    handle = token.handle();
                    if (token.text() == null || token.text().isEmpty()) {
                        continue;
                    }
                    text.append(token.text());
                    delivered = true;
                    if (!accepted(sink, token.text(), handle)) {
                        cancel(handle);
                        return new Finished(new ModelReply(
                                text.toString(),
                                new TokenUsage(0, TokenEstimate.of(text.toString())),
                                FinishReason.CANCELLED,
                                model,
                                List.of()));
                    }
                }
                case Done done -> {
                    return new Finished(Conversion.fromResponse(done.response(), model, text.toString(), true));
                }
                case Failed failed -> {
                    return new Broken(failed.failure(), delivered);
                }
            }
        }
    }

    private static boolean accepted(TokenSink sink, String token, StreamingHandle handle) {
        try {
            return sink.accept(token);
        } catch (RuntimeException e) {
            cancel(handle);
            throw e;
        }
    }

    private static void cancel(StreamingHandle handle) {
        if (handle != null && !handle.isCancelled()) {
            handle.cancel();
        }
    }
}
