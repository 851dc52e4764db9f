package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.SpecLockContract;
import java.util.OptionalLong;

/** The SpecLock contract on a Redis Cluster of three primaries. */
class ClusterSpecLockTest extends SpecLockContract {

    @Override
    protected CacheSettings.Builder settings() {
        return SharedTopologies.clusterSettings();
    }

    @Override
    protected void clearStore() {
        SharedTopologies.flushCluster();
    }

    @Override
    protected OptionalLong storedKeyCount() {
        return SharedTopologies.clusterKeyCount();
    }
}
