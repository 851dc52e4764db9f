package io.brickworks.cache.memory;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.cache.spi.CacheBackendFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the embedded memory backend, the default when {@code USE_REDIS} is not set. */
public final class MemoryBackendFactory implements CacheBackendFactory {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryBackendFactory.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public CacheBackend create(CacheSettings settings) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("Brickworks cache is using the embedded memory backend: entries, queues and locks are not shared "
                    + "between replicas. Set USE_REDIS=1 (and REDIS_HOST, REDIS_PORT) to share them through Redis.");
        }
        return new MemoryBackend(settings);
    }
}
