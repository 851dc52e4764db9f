package io.brickworks.spring.boot;

import io.brickworks.cache.tck.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link TwoReplicasContract} on one standalone redis-server, configured by brickworks.cache.redis.*. */
class TwoReplicasOnRedisTest extends TwoReplicasContract {

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected String[] topology() {
        return new String[] {"brickworks.cache.use-redis=true", "brickworks.cache.redis.host=" + redis.host(),
                "brickworks.cache.redis.port=" + redis.port()};
    }

    @Override
    protected void flush() {
        redis.flushAll();
    }
}
