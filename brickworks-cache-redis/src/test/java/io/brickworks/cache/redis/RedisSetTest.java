package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.SetContract;
import java.util.OptionalLong;

/** The Set contract on the shared redis-server. */
class RedisSetTest extends SetContract {

    @Override
    protected CacheSettings.Builder settings() {
        return SharedRedis.settings();
    }

    @Override
    protected void clearStore() {
        SharedRedis.flush();
    }

    @Override
    protected OptionalLong storedKeyCount() {
        return OptionalLong.of(SharedRedis.keyCount());
    }
}
