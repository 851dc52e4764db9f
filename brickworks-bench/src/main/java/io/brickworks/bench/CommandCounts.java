package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.function.CachedFunction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The commands one call of each Redis case sends, counted with {@link RoundTrips} after one
 * warm-up call (so scripts are loaded and connections open): the deterministic side of the
 * benchmark, which shows extra round trips that noisy timings hide.
 */
final class CommandCounts {

    private CommandCounts() {
    }

    /** Counts every case against the server on {@code port}, in table order. */
    static Map<String, RoundTrips.Count> measure(int port) {
        Map<String, RoundTrips.Count> counts = new LinkedHashMap<>();
        for (String name : AsyncKv.NAMES) {
            try (AsyncKv kv = AsyncKv.create(name, port)) {
                count(counts, port, name + " get", () -> kv.get(1).toCompletableFuture().join());
                count(counts, port, name + " set", () -> kv.set(1, Keys.VALUE).toCompletableFuture().join());
            }
        }
        for (String name : new String[] {"brickworks", "brickworks-handle", "redisson", "shedlock", "shedlock-safe"}) {
            try (LockClient locks = LockClient.create(name, port)) {
                count(counts, port, name + " lock acquire + release", () -> locks.acquireAndRelease("count-lock"));
            }
        }
        for (String name : new String[] {"brickworks", "redisson"}) {
            try (QueueClient queue = QueueClient.create(name, port)) {
                count(counts, port, name + " queue push + pop",
                        () -> queue.pushThenPop(Keys.VALUE).toCompletableFuture().join());
            }
        }
        try (BrickworksCache cache = Clients.brickworksRedis(port)) {
            CachedFunction.Async1<String, String> function = cache.functions().function("bench.count", String.class)
                    .async(argument -> CompletableFuture.completedFuture(Keys.VALUE));
            count(counts, port, "brickworks function cache hit", () -> function.apply(Keys.PLAIN[2]).join());
            counts.put(MISS, functionMiss(port, function));
            for (int size : new int[] {100, 10_000}) {
                String namespace = IndexListingBenchmark.fill(cache, size);
                count(counts, port, String.format("brickworks index listing, %,d keys", size),
                        () -> cache.listKeysByIndex(IndexListingBenchmark.INDEX, namespace).join());
            }
        }
        return counts;
    }

    /** The label of a function-cache miss. */
    static final String MISS = "brickworks function cache miss";

    /**
     * The commands of one miss of {@code function} (a new argument per call), after a first miss. The
     * lease's release is sent once the store has answered, as the call completes: a pause after the
     * call lets it reach the server before the end marker.
     */
    static RoundTrips.Count functionMiss(int port, CachedFunction.Async1<String, String> function) {
        AtomicInteger arguments = new AtomicInteger();
        Runnable miss = () -> {
            function.apply("miss-" + arguments.incrementAndGet()).join();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        miss.run();
        return RoundTrips.count(port, miss);
    }

    private static void count(Map<String, RoundTrips.Count> counts, int port, String label, Runnable call) {
        call.run();
        counts.put(label, RoundTrips.count(port, call));
    }
}
