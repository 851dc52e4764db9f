package io.brickworks.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The process-wide cache: one instance, built from the environment, not closed by its users. */
class SharedCacheTest {

    @Test
    void sharedIsOneInstanceThatIgnoresCloseOrAClearErrorEachTime() {
        if (CacheSettings.fromEnvironment().useRedis()) {
            // This module has no Redis backend on its class path: every call says so (a failed build is
            // retried, it does not leave shared() broken with a class-initialization error).
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(BrickworksCache::shared).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("brickworks-cache-redis");
            }
            return;
        }
        BrickworksCache shared = BrickworksCache.shared();
        assertThat(BrickworksCache.shared()).isSameAs(shared);
        shared.setKey("shared-test", "v").join();
        shared.close();
        assertThat(BrickworksCache.shared().getKey("shared-test").join()).isEqualTo("v");
        assertThat(shared.deleteKey("shared-test").join()).isTrue();
        assertThat(shared.settings().toString()).isEqualTo(CacheSettings.fromEnvironment().toString());
    }
}
