package io.brickworks.demo;

import io.brickworks.cache.function.CachedFunction;
import io.brickworks.cache.function.FunctionCacheStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The function cache scene: a slow lookup becomes fast, and a stampede of concurrent callers on
 * every replica computes it once.
 */
final class FunctionCacheScene {

    /** The stable name of the demo's cached function. */
    static final String NAME = "demo.quote";

    private static final long SLOW_MILLIS = 300;

    private FunctionCacheScene() {
    }

    /** A price quote. */
    record Quote(String currency, double rate, String computedBy) {
    }

    static void run(List<Demo.Replica> replicas, ExecutorService pool) throws Exception {
        Out.scene("6. The function cache turns a slow call into a fast one, computed once for a stampede");
        AtomicInteger computations = new AtomicInteger();
        List<CachedFunction.Async1<String, Quote>> quotes = new ArrayList<>();
        for (Demo.Replica replica : replicas) {
            quotes.add(replica.cache().functions().function(NAME, Quote.class)
                    .expire(Duration.ofMinutes(5))
                    .async(currency -> CompletableFuture.supplyAsync(() -> {
                        computations.incrementAndGet();
                        Demo.sleepQuietly(SLOW_MILLIS); // the slow rate service
                        return new Quote(currency, 1.08, replica.name());
                    }, pool)));
        }
        Demo.Replica first = replicas.get(0);
        Out.timed(first, "quote EUR (a " + SLOW_MILLIS + " ms lookup: computed)", () -> quotes.get(0).apply("EUR"));
        Out.timed(first, "quote EUR (cached)", () -> quotes.get(0).apply("EUR"));
        Out.timed(replicas.get(1), "quote EUR (cached, on another replica)", () -> quotes.get(1).apply("EUR"));

        int perReplica = 20;
        computations.set(0);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Double>> callers = new ArrayList<>();
        for (int r = 0; r < replicas.size(); r++) {
            CachedFunction.Async1<String, Quote> quote = quotes.get(r);
            for (int i = 0; i < perReplica; i++) {
                callers.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    long t0 = System.nanoTime();
                    Out.join(quote.apply("USD"));
                    return (System.nanoTime() - t0) / 1e6;
                }, pool));
            }
        }
        long t0 = System.nanoTime();
        go.countDown();
        double slowest = 0;
        for (CompletableFuture<Double> caller : callers) {
            slowest = Math.max(slowest, Out.join(caller));
        }
        Out.line(String.format("  %d concurrent callers of quote USD on %d replicas: %d computation, all answered "
                + "within %.0f ms (slowest caller %.0f ms)", callers.size(), replicas.size(), computations.get(),
                (System.nanoTime() - t0) / 1e6, slowest));
        for (int r = 0; r < replicas.size(); r++) {
            FunctionCacheStats s = quotes.get(r).stats();
            Out.line(String.format("  [%s] %s since start: %d hits, %d misses, %d computations", replicas.get(r).name(), NAME,
                    s.hits(), s.misses(), s.computations()));
        }
        Out.timed(first, "cacheClear " + NAME, () -> quotes.get(0).cacheClear());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
