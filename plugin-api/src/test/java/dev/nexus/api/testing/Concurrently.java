package dev.nexus.api.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Runs the same piece of work on several threads at once, released together by a latch. */
public final class Concurrently {

    private Concurrently() {}

    /**
     * Runs {@code work(i)} for i in [0, threads) on {@code threads} threads started together and
     * returns the results in index order.
     *
     * @throws AssertionError wrapping the first exception any call threw, or when the calls do not
     *     finish within a minute (a deadlock)
     */
    public static <T> List<T> run(int threads, IntFunction<T> work) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return work.apply(index);
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(1, TimeUnit.MINUTES));
            }
            return results;
        } catch (ExecutionException e) {
            throw new AssertionError("a concurrent call threw " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("concurrent calls did not complete: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }
}
