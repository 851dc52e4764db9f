package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.TenancyContract;
import java.util.OptionalLong;

/** The Tenancy contract on the shared redis-server. */
class RedisTenancyTest extends TenancyContract {

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
