package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.SpecLockContract;
import java.util.OptionalLong;

/** The SpecLock contract on the shared redis-server. */
class RedisSpecLockTest extends SpecLockContract {

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
