package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.TenancyContract;
import java.util.OptionalLong;

/** The Tenancy contract on a Redis Cluster of three primaries. */
class ClusterTenancyTest extends TenancyContract {

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
