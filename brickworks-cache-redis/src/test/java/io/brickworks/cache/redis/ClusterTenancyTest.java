package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.TenancyContract;
import java.util.OptionalLong;

/** The Tenancy contract on a Redis Cluster of three primaries. */
class ClusterTenancyTest extends TenancyContract {

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
