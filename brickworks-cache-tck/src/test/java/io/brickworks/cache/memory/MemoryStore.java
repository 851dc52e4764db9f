package io.brickworks.cache.memory;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantResolver;
import io.brickworks.cache.spi.CacheBackend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.OptionalLong;

/**
 * One in-process store shared by every cache a test builds, as one Redis is shared by replicas:
 * each cache has its own owner token and tenant resolution, and the store is closed when the last
 * cache on it closes. Caches whose settings need a different store (another ticker or maximum size)
 * get a store of their own.
 */
final class MemoryStore {

    private MemoryBackend backend;
    private CacheSettings first;
    private int users;

    /** Builds a cache on this store (or, for settings that need another store, on its own). */
    synchronized BrickworksCache open(CacheSettings settings, TenantResolver resolver) {
        if (backend == null) {
            backend = new MemoryBackend(settings);
            first = settings;
        } else if (settings.ticker() != first.ticker()
                || settings.memoryMaximumEntries() != first.memoryMaximumEntries()) {
            return BrickworksCache.builder().settings(settings).tenantResolver(resolver).build();
        }
        users++;
        return BrickworksCache.builder().settings(settings).tenantResolver(resolver).backend(share(backend)).build();
    }

    /** The number of entries in the store after reclaiming expired ones, or empty before the first cache. */
    synchronized OptionalLong keyCount() {
        if (backend == null) {
            return OptionalLong.empty();
        }
        backend.cleanUp();
        return OptionalLong.of(backend.estimatedSize());
    }

    private synchronized void release() {
        if (--users == 0) {
            backend.close();
        }
    }

    /** A handle on the backend whose close releases this store once instead of closing the backend. */
    private CacheBackend share(MemoryBackend target) {
        boolean[] closed = {false};
        // The handle forwards every method, the default localTier() too, so that the caches read the
        // backend's tier as they do on a backend of their own: the contract suites test the path
        // applications take.
        return (CacheBackend) Proxy.newProxyInstance(CacheBackend.class.getClassLoader(),
                new Class<?>[] {CacheBackend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        synchronized (closed) {
                            if (!closed[0]) {
                                closed[0] = true;
                                release();
                            }
                        }
                        return null;
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
