package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.RedisClusterHarness;
import io.brickworks.cache.tck.RedisServer;
import java.util.OptionalLong;

/**
 * One Redis Cluster (three primaries, one replica each) for the whole test JVM, started on first
 * use and killed at exit; the contract classes that run on it flush it before each test. Tests that
 * kill nodes start a cluster of their own.
 */
final class SharedCluster {

    private SharedCluster() {
    }

    private static final class Holder {
        static final RedisClusterHarness CLUSTER = start();

        private static RedisClusterHarness start() {
            RedisClusterHarness cluster = RedisClusterHarness.start();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "shared-cluster-stop"));
            return cluster;
        }
    }

    static RedisClusterHarness cluster() {
        return Holder.CLUSTER;
    }

    /** Settings for a cache on the shared cluster, given all six nodes as seeds. */
    static CacheSettings.Builder settings() {
        return settings(cluster());
    }

    /** Settings for a cache on {@code cluster}. */
    static CacheSettings.Builder settings(RedisClusterHarness cluster) {
        return CacheSettings.builder().useRedis(true)
                .redisClusterNodes(CacheSettings.HostAndPort.parseList("seeds", cluster.seeds()));
    }

    /** Removes every key from every primary. */
    static void flush() {
        cluster().flushAll();
    }

    /** How many keys the cluster holds: the sum of DBSIZE over its primaries. */
    static OptionalLong keyCount() {
        long total = 0;
        for (RedisServer primary : cluster().primaries()) {
            total += Long.parseLong(primary.cli("DBSIZE"));
        }
        return OptionalLong.of(total);
    }
}
