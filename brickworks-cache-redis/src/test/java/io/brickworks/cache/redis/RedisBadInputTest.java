package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.BadInputContract;
import java.util.OptionalLong;

/** The BadInput contract on the shared redis-server. */
class RedisBadInputTest extends BadInputContract {

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
