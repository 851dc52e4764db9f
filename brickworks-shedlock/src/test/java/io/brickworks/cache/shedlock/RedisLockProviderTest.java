package io.brickworks.cache.shedlock;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * ShedLock's contract on a redis-server this class starts, with two cache instances (two connections,
 * two owner tokens) as two replicas. Each test uses its own lock name.
 */
class RedisLockProviderTest extends LockProviderContract {

    private static RedisServer redis;
    private static BrickworksCache replicaA;
    private static BrickworksCache replicaB;

    @BeforeAll
    static void startRedisAndReplicas() {
        redis = RedisServer.start();
        CacheSettings settings = CacheSettings.builder().useRedis(true).redisHost(redis.host())
                .redisPort(redis.port()).build();
        replicaA = BrickworksCache.builder().settings(settings).build();
        replicaB = BrickworksCache.builder().settings(settings).build();
    }

    @AfterAll
    static void closeAll() {
        replicaA.close();
        replicaB.close();
        redis.close();
    }

    @Override
    protected BrickworksCache cache() {
        return replicaA;
    }

    @Override
    protected BrickworksCache otherReplica() {
        return replicaB;
    }
}
