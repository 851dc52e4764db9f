package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.RedisClusterHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Redis Cluster of a topology benchmark: three primaries with one replica each on loopback,
 * started once per benchmark JVM on first use, filled with the {@value Keys#COUNT} keys, and killed
 * by a shutdown hook.
 */
public final class BenchCluster {

    private static RedisClusterHarness cluster;

    private BenchCluster() {
    }

    /** Settings for a cache on the run's cluster, starting and filling it on first use. */
    public static synchronized CacheSettings.Builder settings() {
        if (cluster == null) {
            RedisClusterHarness started = RedisClusterHarness.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "bench-cluster-stop"));
            cluster = started;
            fill();
        }
        return CacheSettings.builder().useRedis(true)
                .redisClusterNodes(CacheSettings.HostAndPort.parseList("seeds", cluster.seeds()));
    }

    /** The running nodes' addresses ({@code host:port,...}), starting and filling the cluster on first use. */
    public static synchronized String seeds() {
        settings();
        return cluster.seeds();
    }

    private static void fill() {
        try (BrickworksCache cache = BrickworksCache.builder().settings(settings().build()).build()) {
            List<CompletableFuture<Boolean>> writes = new ArrayList<>(Keys.COUNT);
            for (String key : Keys.PLAIN) {
                writes.add(cache.setKey(key, Keys.VALUE));
            }
            CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot fill the benchmark cluster", e);
        }
    }
}
