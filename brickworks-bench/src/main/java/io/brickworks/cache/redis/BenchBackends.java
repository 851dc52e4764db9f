package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.spi.CacheBackend;

/**
 * For the lock benchmark only (this module is not published): the Redis backend with the token
 * floor off, the fencing scheme before issue 23, reached through the package-private switch that
 * the fencing tests use as their negative control ({@link RedisBackend#tokenFloor}). Users have no
 * way to choose it.
 */
public final class BenchBackends {

    private BenchBackends() {
    }

    /** A Redis backend for {@code settings} whose fencing tokens are drawn without the floor. */
    public static CacheBackend withoutTokenFloor(CacheSettings settings) {
        RedisBackend backend = (RedisBackend) RedisBackendBuilder.of(settings).build();
        backend.tokenFloor(false);
        return backend;
    }
}
