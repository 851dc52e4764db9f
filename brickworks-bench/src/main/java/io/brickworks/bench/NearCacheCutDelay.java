package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.FaultProxy;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The near cache's staleness under a silent cut, against its configured bound: a reader (this
 * library, near cache on, bound B) reaches redis-server through a {@link FaultProxy}; it holds a key;
 * the proxy stops forwarding in both directions (no FIN, no RST); a writer that reaches Redis
 * directly (another instance) changes the key; the time from the completion of that write to the
 * first read of the reader that is no longer answered with the old value from the process. The
 * reader polls every 100 µs. Then the proxy heals and the reader tracks again. Median and maximum
 * over {@code cuts} cuts. Starts its own redis-server.
 * {@code NearCacheCutDelay [cuts] [boundMillis]}, defaults 20 and 1000.
 */
public final class NearCacheCutDelay {

    private NearCacheCutDelay() {
    }

    public static void main(String[] args) throws Exception {
        int cuts = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long boundMillis = args.length > 1 ? Long.parseLong(args[1]) : 1000;
        try (RedisServer redis = RedisServer.start(); FaultProxy proxy = FaultProxy.in(redis);
             BrickworksCache reader = BrickworksCache.builder().settings(CacheSettings.builder().useRedis(true)
                     .redisHost(proxy.host()).redisPort(proxy.port()).commandTimeout(Duration.ofSeconds(1))
                     .nearCache(true).nearCacheStalenessBound(Duration.ofMillis(boundMillis)).build()).build();
             BrickworksCache writer = Clients.brickworksRedis(redis.port())) {
            long[] served = new long[cuts];
            for (int i = 0; i < cuts; i++) {
                String value = "v" + i;
                writer.setKey("cut-hot", value).get(10, TimeUnit.SECONDS);
                awaitServedFromProcess(reader, value);
                proxy.stop(FaultProxy.Direction.BOTH);
                writer.setKey("cut-hot", value + "'").get(10, TimeUnit.SECONDS);
                long written = System.nanoTime();
                long stopped;
                while (true) {
                    stopped = System.nanoTime();
                    CompletableFuture<String> read = reader.getKey("cut-hot");
                    if (!read.isDone() || !value.equals(read.getNow(null))) {
                        break;
                    }
                    LockSupport.parkNanos(100_000);
                }
                served[i] = stopped - written;
                proxy.heal();
                System.out.printf("cut %d: served from the process %.1f ms after the write%n", i + 1,
                        served[i] / 1e6);
            }
            Arrays.sort(served);
            System.out.printf("near cache under a silent cut (both directions), %d cuts, bound %d ms: median %.1f ms "
                    + "(%.2f of the bound), max %.1f ms (%.2f of the bound)%n", cuts, boundMillis,
                    served[cuts / 2] / 1e6, served[cuts / 2] / 1e6 / boundMillis, served[cuts - 1] / 1e6,
                    served[cuts - 1] / 1e6 / boundMillis);
        }
    }

    /** Reads until the reader answers {@code value} from its near cache (tracking is up and the key held). */
    private static void awaitServedFromProcess(BrickworksCache reader, String value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            CompletableFuture<String> read = reader.getKey("cut-hot");
            if (read.isDone() && value.equals(read.getNow(null))) {
                return;
            }
            try {
                read.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reconnecting after the heal
            }
            LockSupport.parkNanos(5_000_000);
        }
        throw new IllegalStateException("the reader did not serve " + value + " from its near cache within 60 s");
    }
}
