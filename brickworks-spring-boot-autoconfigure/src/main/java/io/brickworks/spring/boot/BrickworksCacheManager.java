package io.brickworks.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.function.CachedFunctionBuilder;
import io.brickworks.spring.boot.BrickworksCacheProperties.CacheOptions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} on the function cache of a {@link BrickworksCache}. Caches are made
 * on first use, each with the options of {@code brickworks.cache.spring.caches.<name>.*} or else of
 * {@code brickworks.cache.spring.defaults.*}. A cache name must be a valid function name: not empty
 * and without a colon ({@link IllegalArgumentException} otherwise). Thread-safe.
 */
public final class BrickworksCacheManager implements CacheManager {

    private final BrickworksCache cache;
    private final BrickworksCacheProperties.Spring options;
    private final ObjectMapper mapper;
    private final SpringKeys keys;
    private final Map<String, Cache> caches = new ConcurrentHashMap<>();

    /**
     * @param mapper the Jackson mapper for keys and values; a copy is used, with the stored-value codec
     * @param allowlist the types values may decode to
     */
    BrickworksCacheManager(BrickworksCache cache, BrickworksCacheProperties.Spring options, ObjectMapper mapper,
                           TypeAllowlist allowlist) {
        this.cache = cache;
        this.options = options;
        this.mapper = mapper.copy().registerModule(StoredValue.module(allowlist));
        this.keys = new SpringKeys(this.mapper);
        check("brickworks.cache.spring.defaults", options.getDefaults());
        options.getCaches().forEach((name, own) -> {
            if (name.isEmpty() || name.indexOf(':') >= 0) {
                throw new IllegalArgumentException("brickworks.cache.spring.caches: a cache name must not be empty "
                        + "nor contain a colon but was '" + name + "'");
            }
            check("brickworks.cache.spring.caches." + name, own);
        });
    }

    private static void check(String prefix, CacheOptions own) {
        if (own.getExpire() != null && own.getExpire().toMillis() < 1) {
            throw new IllegalArgumentException(prefix + ".expire must be at least 1ms but was " + own.getExpire());
        }
    }

    @Override
    public Cache getCache(String name) {
        return caches.computeIfAbsent(name, this::create);
    }

    @Override
    public Collection<String> getCacheNames() {
        return List.copyOf(caches.keySet());
    }

    private Cache create(String name) {
        CacheOptions own = options.getCaches().get(name);
        CacheOptions defaults = options.getDefaults();
        CachedFunctionBuilder<StoredValue> builder = cache.functions().function(name, StoredValue.class)
                .jsonMapper(mapper);
        java.time.Duration expire = pick(own == null ? null : own.getExpire(), defaults.getExpire(), null);
        if (expire != null) {
            builder.expire(expire);
        }
        if (pick(own == null ? null : own.getMasterTenant(), defaults.getMasterTenant(), false)) {
            builder.masterTenant();
        }
        boolean nulls = pick(own == null ? null : own.getCacheNulls(), defaults.getCacheNulls(), true);
        return new BrickworksSpringCache(name, builder.loading(), keys, nulls, options.isTransactionAware(),
                cache.settings().commandTimeout());
    }

    private static <T> T pick(T own, T defaults, T fallback) {
        return own != null ? own : defaults != null ? defaults : fallback;
    }
}
