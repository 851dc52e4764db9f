package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.IndexContract;
import java.util.OptionalLong;

/** The Index contract on a Redis Cluster of three primaries. */
class ClusterIndexTest extends IndexContract {

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
