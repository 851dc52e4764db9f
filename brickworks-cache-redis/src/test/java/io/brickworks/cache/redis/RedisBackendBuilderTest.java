package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.lettuce.core.resource.ClientResources;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The backend built with the application's own Lettuce resources uses them and never shuts them down. */
class RedisBackendBuilderTest {

    private static void usesAndLeavesOpen(CacheSettings settings) throws Exception {
        ClientResources resources = ClientResources.create();
        try {
            try (BrickworksCache cache = BrickworksCache.builder().settings(settings)
                    .backend(RedisBackendBuilder.of(settings).clientResources(resources).build()).build()) {
                assertThat(cache.setKey("k", "v").get(10, TimeUnit.SECONDS)).isTrue();
                assertThat(cache.getKey("k").get(10, TimeUnit.SECONDS)).isEqualTo("v");
            }
            assertThat(resources.eventExecutorGroup().isShuttingDown()).isFalse();
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void onOneServer() throws Exception {
        SharedRedis.flush();
        usesAndLeavesOpen(SharedRedis.settings().build());
    }

    @Test
    void onACluster() throws Exception {
        SharedTopologies.flushCluster();
        usesAndLeavesOpen(SharedTopologies.clusterSettings().build());
    }

    @Test
    void nullResourcesAreRejected() {
        assertThatThrownBy(() -> RedisBackendBuilder.of(SharedRedis.settings().build()).clientResources(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientResources");
    }
}
