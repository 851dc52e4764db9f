package io.brickworks.cache.jcache;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link ReplicasContract} on the memory backend: both managers share one library cache (one process). */
class MemoryReplicasTest extends ReplicasContract {

    private static BrickworksCache memory;

    @BeforeAll
    static void start() {
        memory = BrickworksCache.builder().settings(CacheSettings.builder().build()).build();
    }

    @AfterAll
    static void stop() {
        memory.close();
    }

    @Override
    protected Properties backend() {
        Properties p = new Properties();
        p.put(JCacheSettings.CACHE_INSTANCE, memory);
        return p;
    }
}
