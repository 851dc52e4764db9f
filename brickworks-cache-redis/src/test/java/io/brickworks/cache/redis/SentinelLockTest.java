package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.LockContract;
import java.util.OptionalLong;

/** The lock contract (fencing floor, synced-replica locks with its one replica) on a primary found through Sentinel. */
class SentinelLockTest extends LockContract {

    @Override
    protected CacheSettings.Builder settings() {
        return SharedTopologies.sentinelSettings();
    }

    @Override
    protected int replicas() {
        return 1;
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
