package io.brickworks.cache.jcache;

import io.brickworks.cache.tck.RedisSentinelHarness;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link ReplicasContract} through Redis Sentinel, with the near cache on. */
class SentinelReplicasTest extends ReplicasContract {

    private static RedisSentinelHarness sentinel;

    @BeforeAll
    static void start() {
        sentinel = RedisSentinelHarness.start();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Override
    protected Properties backend() {
        Properties p = new Properties();
        p.setProperty("USE_REDIS", "1");
        p.setProperty("REDIS_SENTINELS", sentinel.sentinels());
        p.setProperty("REDIS_SENTINEL_MASTER", RedisSentinelHarness.MASTER);
        p.setProperty("NEAR_CACHE", "1");
        return p;
    }
}
