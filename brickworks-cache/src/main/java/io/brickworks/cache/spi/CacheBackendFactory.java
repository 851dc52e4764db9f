package io.brickworks.cache.spi;

import io.brickworks.cache.CacheSettings;

/**
 * Creates a backend from settings. Implementations are found with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/io.brickworks.cache.spi.CacheBackendFactory} entry), so that the
 * core module does not depend on any driver: adding {@code brickworks-cache-redis} to the class
 * path is what makes {@code USE_REDIS=1} work.
 */
public interface CacheBackendFactory {

    /** The backend kind this factory serves, for example {@code "memory"} or {@code "redis"}. */
    String kind();

    /**
     * Creates a backend for {@code settings}. The caller owns the result and closes it.
     *
     * @throws CacheBackendException when the store cannot be reached at creation
     */
    CacheBackend create(CacheSettings settings);
}
