package io.brickworks.cache.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import org.junit.jupiter.api.Test;

class MemoryMeterCountsTest extends MeterCountsContract {

    @Override
    protected BrickworksCache newCache() {
        return BrickworksCache.builder().settings(CacheSettings.builder().build()).build();
    }

    @Test
    void theMemoryBackendHasNoCommandMeters() throws Exception {
        new BrickworksCacheMetrics(cache).bindTo(registry);
        await(cache.setKey("a", "1"));
        await(cache.getKey("a"));

        assertThat(registry.find("brickworks.backend.commands").timers()).isEmpty();
        assertThat(counter("brickworks.backend.failures", "cause", "timeout")).isZero();
    }
}
