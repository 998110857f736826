package dev.nexus.host.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.nexus.host.DependencyException;
import java.time.Duration;

/**
 * A language model reached through langchain4j, with our retry policy and error mapping around it
 * (langchain4j's own retries are switched off so there is one policy, and a stream is retried only
 * while nothing of it has reached the caller). Thread-safe.
 */
final class RemoteModel implements LanguageModel {

    private final ModelDescription description;
    private final String apiKey;
    private final ChatModel chat;
    private final StreamingChatModel streaming;
    private final RetryPolicy retry;
    private final Duration timeout;
    private final int replyTokens;

    RemoteModel(
            ModelDescription description,
            String apiKey,
            ChatModel chat,
            StreamingChatModel streaming,
            RetryPolicy retry,
            Duration timeout,
            int replyTokens) {
        this.description = description;
        this.apiKey = apiKey;
        this.chat = chat;
        this.streaming = streaming;
        this.retry = retry;
        this.timeout = timeout;
        this.replyTokens = replyTokens;
    }

    @Override
    public ModelReply chat(ModelRequest request) {
        ChatRequest converted = Conversion.toChatRequest(request, replyTokens);
        for (int attempt = 1; ; attempt++) {
            try {
                return Conversion.fromResponse(chat.chat(converted), description);
            } catch (RuntimeException failure) {
                giveUpOrPause(failure, attempt);
            }
        }
    }

    @Override
    public ModelReply stream(ModelRequest request, TokenSink sink) {
        ChatRequest converted = Conversion.toChatRequest(request, replyTokens);
        for (int attempt = 1; ; attempt++) {
            StreamRun run = new StreamRun(description, timeout);
            try {
                streaming.chat(converted, run);
            } catch (RuntimeException failure) {
                giveUpOrPause(failure, attempt);
                continue;
            }
            StreamRun.Outcome outcome = run.drain(sink);
            if (outcome instanceof StreamRun.Finished finished) {
                return finished.reply();
            }
            StreamRun.Broken broken = (StreamRun.Broken) outcome;
            if (broken.delivered()) {
                throw Failures.describe(description, apiKey, broken.failure(), attempt);
            }
            giveUpOrPause(broken.failure(), attempt);
        }
    }

    @Override
    public ModelDescription description() {
        return description;
    }

    /** Throws the mapped failure when it is final; otherwise waits before the next attempt. */
    private void giveUpOrPause(Throwable failure, int attempt) {
        boolean retriable =
                failure instanceof DependencyException mapped ? mapped.retriable() : Failures.retriable(failure);
        if (!retriable || attempt >= retry.maxAttempts()) {
            throw failure instanceof DependencyException mapped
                    ? mapped
                    : Failures.describe(description, apiKey, failure, attempt);
        }
        try {
            retry.pause().pause(retry.pauseBefore(attempt + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DependencyException("interrupted while waiting to retry " + description.label(), true, e);
        }
    }
}
