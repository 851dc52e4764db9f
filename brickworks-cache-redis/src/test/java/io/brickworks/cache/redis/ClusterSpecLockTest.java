package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.SpecLockContract;
import java.util.OptionalLong;

/** The SpecLock contract on a Redis Cluster of three primaries. */
class ClusterSpecLockTest extends SpecLockContract {

    @Override
    protected CacheSettings.Builder settings() {
        return SharedCluster.settings();
    }

    @Override
    protected void clearStore() {
        SharedCluster.flush();
    }

    @Override
    protected OptionalLong storedKeyCount() {
        return SharedCluster.keyCount();
    }
}
