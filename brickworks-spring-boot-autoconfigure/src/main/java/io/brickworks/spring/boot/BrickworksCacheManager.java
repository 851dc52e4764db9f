package io.brickworks.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.function.CachedFunctionBuilder;
import io.brickworks.spring.boot.BrickworksCacheProperties.CacheOptions;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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
        // Every configured option goes through the function builder now, so a bad one fails the startup.
        options.getCaches().keySet().forEach(name -> builder(name, "brickworks.cache.spring.caches." + name));
        builder(null, "brickworks.cache.spring.defaults");
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
        boolean nulls = pick(own(name, CacheOptions::getCacheNulls), options.getDefaults().getCacheNulls(), true);
        return new BrickworksSpringCache(name, builder(name, "cache " + name).loading(), keys, nulls,
                options.isTransactionAware(), cache.settings().commandTimeout());
    }

    /**
     * The function builder of cache {@code name} (null: an unlisted cache) with its options.
     *
     * @throws IllegalArgumentException naming {@code where} when a name or an option is rejected
     */
    private CachedFunctionBuilder<StoredValue> builder(String name, String where) {
        CacheOptions defaults = options.getDefaults();
        try {
            CachedFunctionBuilder<StoredValue> builder = cache.functions()
                    .function(name == null ? "defaults" : name, StoredValue.class).jsonMapper(mapper);
            Duration expire = pick(own(name, CacheOptions::getExpire), defaults.getExpire(), null);
            if (expire != null) {
                builder.expire(expire);
            }
            Duration lease = pick(own(name, CacheOptions::getComputeLease), defaults.getComputeLease(), null);
            if (lease != null) {
                builder.computeLease(lease);
            }
            Duration maxWait = pick(own(name, CacheOptions::getMaxWait), defaults.getMaxWait(), null);
            if (maxWait != null) {
                builder.maxWait(maxWait);
            }
            if (pick(own(name, CacheOptions::getMasterTenant), defaults.getMasterTenant(), false)) {
                builder.masterTenant();
            }
            return builder;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private <T> T own(String name, Function<CacheOptions, T> option) {
        CacheOptions own = name == null ? null : options.getCaches().get(name);
        return own == null ? null : option.apply(own);
    }

    private static <T> T pick(T own, T defaults, T fallback) {
        return own != null ? own : defaults != null ? defaults : fallback;
    }
}
