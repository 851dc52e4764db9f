package io.brickworks.spring.boot;

import io.brickworks.cache.tck.RedisClusterHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link TwoReplicasContract} on a Redis Cluster (three primaries), configured by Boot's spring.data.redis.cluster.nodes. */
class TwoReplicasOnClusterTest extends TwoReplicasContract {

    private static RedisClusterHarness cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterHarness.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected String[] topology() {
        return new String[] {"spring.data.redis.cluster.nodes=" + cluster.seeds()};
    }

    @Override
    protected void flush() {
        cluster.flushAll();
    }
}
