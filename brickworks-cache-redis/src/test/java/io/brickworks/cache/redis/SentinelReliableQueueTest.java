package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.ReliableQueueContract;
import java.util.OptionalLong;

/** The acknowledged-queue contract on a primary found through Sentinel. */
class SentinelReliableQueueTest extends ReliableQueueContract {

    @Override
    protected CacheSettings.Builder settings() {
        return SharedTopologies.sentinelSettings();
    }

    @Override
    protected void clearStore() {
        SharedTopologies.sentinel().flushAll();
    }

    @Override
    protected OptionalLong storedKeyCount() {
        return OptionalLong.of(Long.parseLong(SharedTopologies.sentinel().primary().cli("DBSIZE")));
    }
}
