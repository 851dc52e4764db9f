package io.brickworks.cache.memory;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantResolver;
import io.brickworks.cache.tck.BulkContract;
import java.util.OptionalLong;

/** The bulk contract on the memory backend. */
class MemoryBulkTest extends BulkContract {

    private final MemoryStore store = new MemoryStore();

    @Override
    protected CacheSettings.Builder settings() {
        return CacheSettings.builder();
    }

    @Override
    protected BrickworksCache build(CacheSettings settings, TenantResolver resolver) {
        return store.open(settings, resolver);
    }

    @Override
    protected OptionalLong storedKeyCount() {
        return store.keyCount();
    }
}
