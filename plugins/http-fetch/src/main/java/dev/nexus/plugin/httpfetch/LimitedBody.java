package dev.nexus.plugin.httpfetch;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a byte limit and then cancels the download, so an oversized or
 * endless body costs at most {@code limit + one buffer} of memory. Confined to the HTTP client's
 * delivery thread, as the reactive-streams rules require.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<LimitedBody.Bytes> {

    /**
     * The collected body.
     *
     * @param bytes at most the limit
     * @param truncated true when the body was longer and the rest was not read
     */
    record Bytes(byte[] bytes, boolean truncated) {}

    private final int limit;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<Bytes> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
        this.limit = limit;
    }

    @Override
    public CompletionStage<Bytes> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription newSubscription) {
        this.subscription = newSubscription;
        newSubscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            int room = limit - out.size();
            if (buffer.remaining() > room) {
                byte[] part = new byte[room];
                buffer.get(part);
                out.writeBytes(part);
                subscription.cancel();
                result.complete(new Bytes(out.toByteArray(), true));
                return;
            }
            byte[] all = new byte[buffer.remaining()];
            buffer.get(all);
            out.writeBytes(all);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(new Bytes(out.toByteArray(), false));
    }
}
