package io.brickworks.db;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The session contract with the cache side on Redis: PostgreSQL sessions whose post-commit
 * callbacks write to a redis-server that this class starts on a free loopback port.
 */
class PostgresRedisDbSessionTest extends AbstractDbSessionTest {

    private static RedisServer redis;

    @BeforeAll
    static void start() {
        Postgres.requireRunning();
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected Db openDb() {
        return Db.builder().settings(Postgres.settings()).build();
    }

    @Override
    protected BrickworksCache openCache() {
        redis.flushAll();
        return BrickworksCache.builder().settings(CacheSettings.builder().useRedis(true)
                .redisHost(redis.host()).redisPort(redis.port()).build()).build();
    }
}
