package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.KeyValueContract;
import java.util.OptionalLong;

/** The KeyValue contract on a Redis Cluster of three primaries. */
class ClusterKeyValueTest extends KeyValueContract {

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
