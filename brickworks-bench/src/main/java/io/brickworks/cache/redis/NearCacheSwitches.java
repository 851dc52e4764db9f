package io.brickworks.cache.redis;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.internal.DefaultBrickworksCache;

/**
 * Reaches the near cache's package-private negative-control switch from the benchmarks, so that the
 * heartbeat's cost can be measured against no heartbeat in the same run. Benchmark code only.
 */
public final class NearCacheSwitches {

    private NearCacheSwitches() {
    }

    /** Turns the heartbeats (and their deadline) of {@code cache}'s near cache off. */
    public static void heartbeatsOff(BrickworksCache cache) {
        ((RedisBackend) ((DefaultBrickworksCache) cache).backend()).nearCache().heartbeatsOff();
    }
}
