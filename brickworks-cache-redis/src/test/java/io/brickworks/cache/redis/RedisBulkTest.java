package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.BulkContract;
import java.util.OptionalLong;

/** The bulk contract on the shared redis-server. */
class RedisBulkTest extends BulkContract {

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
