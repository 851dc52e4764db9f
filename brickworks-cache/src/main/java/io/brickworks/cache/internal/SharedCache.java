package io.brickworks.cache.internal;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantResolver;

/** Holds the process-wide cache, built lazily from the environment and closed at shutdown. */
public final class SharedCache {

    private SharedCache() {
    }

    private static final class Holder {
        static final DefaultBrickworksCache INSTANCE = create();

        private static DefaultBrickworksCache create() {
            DefaultBrickworksCache root = (DefaultBrickworksCache) CacheRuntime.open(
                    CacheSettings.fromEnvironment(), TenantResolver.bound(), null);
            Runtime.getRuntime().addShutdownHook(new Thread(root.runtime()::close, "brickworks-cache-shutdown"));
            return root.unclosableView();
        }
    }

    public static BrickworksCache get() {
        return Holder.INSTANCE;
    }
}
