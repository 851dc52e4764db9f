package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.QueueContract;
import java.util.OptionalLong;

/** The Queue contract on a Redis Cluster of three primaries. */
class ClusterQueueTest extends QueueContract {

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
