package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.SetContract;
import java.util.OptionalLong;

/** The Set contract on a Redis Cluster of three primaries. */
class ClusterSetTest extends SetContract {

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
