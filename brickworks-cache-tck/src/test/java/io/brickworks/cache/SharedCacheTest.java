package io.brickworks.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;

/** The process-wide cache: one instance, built from the environment, not closed by its users. */
class SharedCacheTest {

    @Test
    void sharedIsOneInstanceThatIgnoresClose() {
        assumeFalse(CacheSettings.fromEnvironment().useRedis(), "this module has no Redis backend on its class path");
        BrickworksCache shared = BrickworksCache.shared();
        assertThat(BrickworksCache.shared()).isSameAs(shared);
        shared.setKey("shared-test", "v").join();
        shared.close();
        assertThat(BrickworksCache.shared().getKey("shared-test").join()).isEqualTo("v");
        assertThat(shared.deleteKey("shared-test").join()).isTrue();
        assertThat(shared.settings().toString()).isEqualTo(CacheSettings.fromEnvironment().toString());
    }
}
