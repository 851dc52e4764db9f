package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.spi.QueueKeys;
import io.brickworks.cache.tck.ReliableQueueContract;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The acknowledged-queue contract on a Redis Cluster of three primaries, and the slot of every queue key. */
class ClusterReliableQueueTest extends ReliableQueueContract {

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

    @Test
    void everyKeyOfAQueueHashesToTheSlotOfTheOriginalsList() {
        for (String list : new String[] {"brickworks:public:default:jobs", "brickworks:acme:emails:outbox",
            "brickworks:public:default:a"}) {
            Set<String> slots = new HashSet<>();
            for (String key : QueueKeys.of(list).all()) {
                slots.add(SharedTopologies.cluster().primaries().get(0).cli("CLUSTER", "KEYSLOT", key));
            }
            assertThat(slots).as("slots of the keys of %s", list).hasSize(1)
                    .containsExactly(SharedTopologies.cluster().primaries().get(0).cli("CLUSTER", "KEYSLOT", list));
        }
    }
}
