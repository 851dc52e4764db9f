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
 * A Spring {@link CacheManager} on the function cache of a {@link BrickworksCache}. The caches listed
 * under {@code brickworks.cache.spring.caches.<name>} (or {@link Builder#options}) are made at
 * construction and always listed by {@link #getCacheNames()}; others are made on first use with the
 * defaults and listed from then on. A cache name must be a valid function name: not empty and without
 * a colon ({@link IllegalArgumentException} otherwise, at construction for a listed one). Thread-safe.
 *
 * <p>The auto-configuration makes one when caching is enabled; an application with several cache
 * managers (where the auto-configuration backs off) makes its own with {@link #builder(BrickworksCache)}:
 * <pre>{@code
 * // a @Bean method of the application
 * BrickworksCacheManager reportsCacheManager(BrickworksCache cache) {
 *     BrickworksCacheProperties.Spring options = new BrickworksCacheProperties.Spring();
 *     options.getDefaults().setExpire(Duration.ofMinutes(5));
 *     return BrickworksCacheManager.builder(cache).options(options).allowedPackages("com.example.reports").build();
 * }
 * }</pre>
 * Two managers on one {@link BrickworksCache} share the entries of caches of the same name.
 */
public final class BrickworksCacheManager implements CacheManager {

    private final BrickworksCache cache;
    private final BrickworksCacheProperties.Spring options;
    private final ObjectMapper mapper;
    private final SpringKeys keys;
    private final Map<String, Cache> caches = new ConcurrentHashMap<>();

    /**
     * @param mapper the Jackson mapper for values; a copy is used, with the stored-value codec
     * @param allowlist the types values may decode to
     */
    private BrickworksCacheManager(BrickworksCache cache, BrickworksCacheProperties.Spring options, ObjectMapper mapper,
                                   TypeAllowlist allowlist, List<KeyConverter> keyConverters) {
        this.cache = cache;
        this.options = options;
        this.mapper = mapper.copy().registerModule(StoredValue.module(allowlist));
        this.keys = new SpringKeys(keyConverters);
        // Every configured option goes through the function builder now, so a bad one fails the startup.
        builder(null, "brickworks.cache.spring.defaults");
        options.getCaches().keySet().forEach(this::getCache);
    }

    /** A builder of a cache manager on {@code cache}. */
    public static Builder builder(BrickworksCache cache) {
        if (cache == null) {
            throw new IllegalArgumentException("cache must not be null");
        }
        return new Builder(cache);
    }

    /** Builds a {@link BrickworksCacheManager}; every setting has the auto-configuration's default. */
    public static final class Builder {

        private final BrickworksCache cache;
        private BrickworksCacheProperties.Spring options = new BrickworksCacheProperties.Spring();
        private ObjectMapper mapper;
        private List<String> allowedPackages = List.of();
        private ClassLoader classLoader = BrickworksCacheManager.class.getClassLoader();
        private List<KeyConverter> keyConverters = List.of();

        private Builder(BrickworksCache cache) {
            this.cache = cache;
        }

        /**
         * The options ({@code brickworks.cache.spring.*}'s shape: transaction awareness, defaults and
         * caches by name; {@code enabled} and {@code allowedPackages} are not read here). Read at
         * {@link #build()} and when a cache is made on first use.
         */
        public Builder options(BrickworksCacheProperties.Spring options) {
            if (options == null) {
                throw new IllegalArgumentException("options must not be null");
            }
            this.options = options;
            return this;
        }

        /**
         * The converters of keys the built-in rules do not represent, asked in order (default none);
         * see {@link KeyConverter}.
         *
         * @throws IllegalArgumentException if the list or a converter in it is null
         */
        public Builder keyConverters(List<KeyConverter> converters) {
            if (converters == null || converters.stream().anyMatch(java.util.Objects::isNull)) {
                throw new IllegalArgumentException("keyConverters must not be or hold null but was " + converters);
            }
            this.keyConverters = List.copyOf(converters);
            return this;
        }

        /** The Jackson mapper for values (a copy is used); default: Java time and JDK 8 types. Keys do not use it. */
        public Builder objectMapper(ObjectMapper mapper) {
            if (mapper == null) {
                throw new IllegalArgumentException("objectMapper must not be null");
            }
            this.mapper = mapper;
            return this;
        }

        /**
         * Packages whose classes values may decode to, besides the JDK's value types (default none).
         *
         * @throws IllegalArgumentException naming the list if a package name is null or blank
         */
        public Builder allowedPackages(String... packages) {
            if (packages == null) {
                throw new IllegalArgumentException("allowedPackages must not be null");
            }
            this.allowedPackages = java.util.Arrays.asList(packages);
            return this;
        }

        /** The class loader of the allowed classes (default: this library's). */
        public Builder classLoader(ClassLoader classLoader) {
            if (classLoader == null) {
                throw new IllegalArgumentException("classLoader must not be null");
            }
            this.classLoader = classLoader;
            return this;
        }

        /**
         * The cache manager.
         *
         * @throws IllegalArgumentException naming the option when a cache name or an option is rejected
         */
        public BrickworksCacheManager build() {
            return new BrickworksCacheManager(cache, options,
                    mapper != null ? mapper : BrickworksCacheAutoConfiguration.defaultMapper(),
                    new TypeAllowlist(allowedPackages, classLoader), keyConverters);
        }
    }

    @Override
    public Cache getCache(String name) {
        return caches.computeIfAbsent(name, this::create);
    }

    /** The configured caches and those made on first use since construction or {@link #resetCaches()}. */
    @Override
    public Collection<String> getCacheNames() {
        return List.copyOf(caches.keySet());
    }

    /**
     * Spring 7's {@code CacheManager#resetCaches()} (a plain method on Spring 6): deletes the entries of
     * every listed cache at once ({@link Cache#invalidate()}, in the current tenant, also in
     * transaction-aware mode) and forgets the caches made on first use; the configured ones stay listed.
     */
    public void resetCaches() {
        for (Cache c : List.copyOf(caches.values())) {
            c.invalidate();
        }
        caches.keySet().retainAll(options.getCaches().keySet());
    }

    private Cache create(String name) {
        String where = options.getCaches().containsKey(name) ? "brickworks.cache.spring.caches." + name : "cache " + name;
        boolean nulls = pick(own(name, CacheOptions::getCacheNulls), options.getDefaults().getCacheNulls(), true);
        return new BrickworksSpringCache(name, builder(name, where).loading(), keys, nulls,
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
