package io.brickworks.cache.jcache;

import io.brickworks.cache.tck.RedisClusterHarness;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link ReplicasContract} on a Redis Cluster (the near cache is refused on a cluster, so it is off). */
class ClusterReplicasTest extends ReplicasContract {

    private static RedisClusterHarness cluster;

    @BeforeAll
    static void start() {
        cluster = RedisClusterHarness.start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Override
    protected Properties backend() {
        Properties p = new Properties();
        p.setProperty("USE_REDIS", "1");
        p.setProperty("REDIS_CLUSTER_NODES", cluster.seeds());
        p.setProperty("NEAR_CACHE", "0");
        return p;
    }
}
