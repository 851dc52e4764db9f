package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.QueueContract;
import java.util.OptionalLong;

/** The Queue contract on a Redis Cluster of three primaries. */
class ClusterQueueTest extends QueueContract {

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
