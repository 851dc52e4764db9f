package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.tck.RedisServer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The near cache's invalidation delay: a reader (this library, near cache on) holds a key; a writer
 * (another instance, its own connections) sets it; the time from the completion of the write, as the
 * writer sees it, to the start of the reader's first get that is no longer served the old value from its near
 * cache (the entry was removed by Redis's push), median and 99th percentile over
 * {@code samples} writes (after 200 warm-up ones). Also the time the reader's fresh read then takes.
 * Starts its own redis-server. {@code NearCacheInvalidationDelay [samples]}.
 */
public final class NearCacheInvalidationDelay {

    private NearCacheInvalidationDelay() {
    }

    /** What one measurement found, in nanoseconds. */
    record Result(int samples, long median, long p99, long max, long staleHits) {

        /** A paragraph for the report. */
        String markdown() {
            return String.format("Median **%.1f µs**, 99th percentile **%.1f µs**, maximum %.1f µs over %,d writes "
                    + "(%,d stale hits served while waiting for the pushes).%n", median / 1000.0, p99 / 1000.0,
                    max / 1000.0, samples, staleHits);
        }
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        try (RedisServer redis = RedisServer.start()) {
            Result r = measure(redis.port(), samples);
            System.out.printf("near-cache invalidation delay (write completed -> removed in the other instance): "
                    + "median %.1f µs, p99 %.1f µs, max %.1f µs (%d samples, %d stale hits while waiting)%n",
                    r.median() / 1000.0, r.p99() / 1000.0, r.max() / 1000.0, r.samples(), r.staleHits());
        }
    }

    /** Measures {@code samples} invalidations (after 200 warm-up ones) on the redis-server at {@code port}. */
    static Result measure(int port, int samples) throws Exception {
        try (BrickworksCache reader = Clients.brickworksRedisNear(port);
             BrickworksCache writer = Clients.brickworksRedis(port)) {
            long[] delays = new long[samples];
            long spins = 0;
            for (int i = -200; i < samples; i++) {
                String value = "v" + i;
                writer.setKey("near-hot", value).get(10, TimeUnit.SECONDS);
                // fill: read until the reader serves this value from its near cache
                while (true) {
                    CompletableFuture<String> held = reader.getKey("near-hot");
                    if (held.isDone() && value.equals(held.join())) {
                        break;
                    }
                    held.get(10, TimeUnit.SECONDS);
                    Thread.sleep(1);
                }
                writer.setKey("near-hot", value + "'").get(10, TimeUnit.SECONDS);
                long written = System.nanoTime();
                CompletableFuture<String> read;
                long removed;
                while (true) {
                    removed = System.nanoTime();
                    read = reader.getKey("near-hot");
                    // a stale hit completes at once with the old value; anything else went to Redis
                    if (!read.isDone() || !value.equals(read.join())) {
                        break;
                    }
                    spins++;
                }
                if (!(value + "'").equals(read.get(10, TimeUnit.SECONDS))) {
                    throw new IllegalStateException("the read after the invalidation returned " + read.join());
                }
                if (i >= 0) {
                    delays[i] = removed - written;
                }
            }
            Arrays.sort(delays);
            return new Result(samples, delays[samples / 2], delays[(int) Math.ceil(samples * 0.99) - 1],
                    delays[samples - 1], spins);
        }
    }
}
