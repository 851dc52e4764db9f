package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.BadInputContract;
import java.util.OptionalLong;

/** The BadInput contract on a Redis Cluster of three primaries. */
class ClusterBadInputTest extends BadInputContract {

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
