package io.brickworks.cache.internal;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantResolver;

/**
 * Holds the process-wide cache, built lazily from the environment and closed at shutdown. A build
 * that fails (Redis unreachable, a bad variable) throws to the caller and is tried again on the next
 * call, so a service that starts before Redis does not stay broken for the life of the JVM.
 */
public final class SharedCache {

    private static volatile DefaultBrickworksCache instance;

    private SharedCache() {
    }

    public static BrickworksCache get() {
        DefaultBrickworksCache cache = instance;
        if (cache == null) {
            synchronized (SharedCache.class) {
                cache = instance;
                if (cache == null) {
                    cache = create();
                    instance = cache;
                }
            }
        }
        return cache;
    }

    private static DefaultBrickworksCache create() {
        DefaultBrickworksCache root = (DefaultBrickworksCache) CacheRuntime.open(
                CacheSettings.fromEnvironment(), TenantResolver.bound(), null, null);
        Runtime.getRuntime().addShutdownHook(new Thread(root.runtime()::close, "brickworks-cache-shutdown"));
        return root.unclosableView();
    }
}
