package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.BulkContract;
import io.brickworks.cache.tck.RedisServer;
import java.util.List;
import java.util.OptionalLong;

/**
 * The bulk contract on a Redis Cluster of three primaries; the call of 10,000 keys, each in a slot of
 * its own, must have reached every primary (and none may have failed with {@code CROSSSLOT}).
 */
class ClusterBulkTest extends BulkContract {

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

    @Override
    protected void afterManyWritten(List<String> fullKeys) {
        List<RedisServer> primaries = SharedTopologies.cluster().primaries();
        assertThat(primaries).hasSize(3);
        for (RedisServer primary : primaries) {
            // the slots are split about evenly: each primary holds about a third of the keys
            assertThat(Long.parseLong(primary.cli("DBSIZE"))).as("keys on %s", primary.address())
                    .isGreaterThan(fullKeys.size() / 4);
        }
    }
}
