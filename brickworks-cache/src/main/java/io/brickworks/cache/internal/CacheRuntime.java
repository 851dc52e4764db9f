package io.brickworks.cache.internal;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantResolver;
import io.brickworks.cache.memory.MemoryBackendFactory;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.cache.spi.CacheBackendFactory;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the views of one cache share: the settings, the backend (owned), the tenant resolver and the
 * owner token that marks this instance's locks.
 */
public final class CacheRuntime {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CacheSettings settings;
    private final CacheBackend backend;
    private final TenantResolver tenantResolver;
    private final String ownerToken;
    private final byte[] ownerTokenBytes;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CacheRuntime(CacheSettings settings, CacheBackend backend, TenantResolver tenantResolver) {
        this.settings = settings;
        this.backend = backend;
        this.tenantResolver = tenantResolver;
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        this.ownerToken = "bw-" + HexFormat.of().formatHex(random);
        this.ownerTokenBytes = ownerToken.getBytes(StandardCharsets.UTF_8);
    }

    /** Creates the backend the settings ask for (unless one is given) and returns the root cache. */
    public static BrickworksCache open(CacheSettings settings, TenantResolver resolver, CacheBackend given) {
        CacheBackend backend = given != null ? given : createBackend(settings);
        return new DefaultBrickworksCache(new CacheRuntime(settings, backend, resolver), null, true);
    }

    static CacheBackend createBackend(CacheSettings settings) {
        String kind = settings.useRedis() ? "redis" : "memory";
        if (kind.equals("memory")) {
            return new MemoryBackendFactory().create(settings);
        }
        for (CacheBackendFactory factory : ServiceLoader.load(CacheBackendFactory.class)) {
            if (factory.kind().equals(kind)) {
                return factory.create(settings);
            }
        }
        throw new IllegalStateException("USE_REDIS is set but no Redis backend is on the class path: add the "
                + "io.brickworks:brickworks-cache-redis dependency");
    }

    public CacheSettings settings() {
        return settings;
    }

    public CacheBackend backend() {
        return backend;
    }

    public TenantResolver tenantResolver() {
        return tenantResolver;
    }

    /** The token that marks locks held by this cache instance. */
    public String ownerToken() {
        return ownerToken;
    }

    public byte[] ownerTokenBytes() {
        return ownerTokenBytes.clone();
    }

    public boolean isClosed() {
        return closed.get();
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            backend.close();
        }
    }
}
