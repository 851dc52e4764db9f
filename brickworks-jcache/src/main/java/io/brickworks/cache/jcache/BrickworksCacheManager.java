package io.brickworks.cache.jcache;

import io.brickworks.cache.BrickworksCache;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A JCache cache manager over one {@link BrickworksCache}: its caches keep their entries in the
 * library, so that the managers of the same URI in every replica (same settings, same namespace)
 * see the same entries. Configurations, listeners and statistics belong to this manager.
 *
 * <p>Thread-safe.
 */
final class BrickworksCacheManager implements CacheManager {

    private final BrickworksCachingProvider provider;
    private final URI uri;
    private final ClassLoader classLoader;
    private final Properties properties;
    private final JCacheSettings settings;
    private final BrickworksCache library;
    private final ValueCodec codec;
    private final Executor executor = ForkJoinPool.commonPool();
    private final Map<String, BrickworksJCache<?, ?>> caches = new ConcurrentHashMap<>();
    private volatile boolean closed;

    BrickworksCacheManager(BrickworksCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties) {
        this.provider = provider;
        this.uri = uri;
        this.classLoader = classLoader;
        this.properties = properties;
        this.settings = JCacheSettings.resolve(uri, classLoader, properties);
        this.library = settings.openCache();
        this.codec = new ValueCodec(settings.allowlist, classLoader);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cache manager " + uri + " is closed");
        }
    }

    @Override
    public CachingProvider getCachingProvider() {
        return provider;
    }

    @Override
    public URI getURI() {
        return uri;
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    @Override
    public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
        checkOpen();
        if (cacheName == null) {
            throw new NullPointerException("cacheName must not be null");
        }
        if (configuration == null) {
            throw new NullPointerException("configuration must not be null");
        }
        if (!configuration.isStoreByValue()) {
            throw new UnsupportedOperationException("configuration asks for store-by-reference, which this provider "
                    + "does not offer (every cache stores by value)");
        }
        CompleteConfiguration<K, V> complete = configuration instanceof CompleteConfiguration<K, V> c ? c
                : new MutableConfiguration<K, V>().setTypes(configuration.getKeyType(), configuration.getValueType());
        synchronized (caches) {
            if (caches.containsKey(cacheName)) {
                throw new CacheException("cacheName " + cacheName + " names a cache that exists already");
            }
            BrickworksJCache<K, V> cache = new BrickworksJCache<>(this, cacheName, complete, library, settings, codec,
                    executor);
            caches.put(cacheName, cache);
            if (complete.isManagementEnabled()) {
                register(cache, "CacheConfiguration", cache.mxBean());
            }
            if (complete.isStatisticsEnabled()) {
                register(cache, "CacheStatistics", cache.statistics());
            }
            return cache;
        }
    }

    @Override
    public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
        checkOpen();
        if (cacheName == null || keyType == null || valueType == null) {
            throw new NullPointerException("cacheName, keyType and valueType must not be null");
        }
        Cache<K, V> cache = cast(caches.get(cacheName));
        if (cache == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        CompleteConfiguration<K, V> config = cache.getConfiguration(CompleteConfiguration.class);
        if (!config.getKeyType().equals(keyType)) {
            throw new ClassCastException("keyType must be the cache's key type " + config.getKeyType().getName()
                    + " but was " + keyType.getName());
        }
        if (!config.getValueType().equals(valueType)) {
            throw new ClassCastException("valueType must be the cache's value type " + config.getValueType().getName()
                    + " but was " + valueType.getName());
        }
        return cache;
    }

    @Override
    public <K, V> Cache<K, V> getCache(String cacheName) {
        checkOpen();
        if (cacheName == null) {
            throw new NullPointerException("cacheName must not be null");
        }
        return cast(caches.get(cacheName));
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Cache<K, V> cast(BrickworksJCache<?, ?> cache) {
        return (Cache<K, V>) cache;
    }

    @Override
    public Iterable<String> getCacheNames() {
        checkOpen();
        return Collections.unmodifiableList(new ArrayList<>(caches.keySet()));
    }

    @Override
    public void destroyCache(String cacheName) {
        checkOpen();
        if (cacheName == null) {
            throw new NullPointerException("cacheName must not be null");
        }
        BrickworksJCache<?, ?> cache = caches.get(cacheName);
        if (cache != null) {
            cache.destroy();
            cache.close();
        }
    }

    @Override
    public void enableManagement(String cacheName, boolean enabled) {
        checkOpen();
        BrickworksJCache<?, ?> cache = caches.get(java.util.Objects.requireNonNull(cacheName, "cacheName"));
        if (cache != null) {
            cache.managementEnabled(enabled);
            if (enabled) {
                register(cache, "CacheConfiguration", cache.mxBean());
            } else {
                unregister(cache, "CacheConfiguration");
            }
        }
    }

    @Override
    public void enableStatistics(String cacheName, boolean enabled) {
        checkOpen();
        BrickworksJCache<?, ?> cache = caches.get(java.util.Objects.requireNonNull(cacheName, "cacheName"));
        if (cache != null) {
            cache.statisticsEnabled(enabled);
            if (enabled) {
                register(cache, "CacheStatistics", cache.statistics());
            } else {
                unregister(cache, "CacheStatistics");
            }
        }
    }

    /** Called by a cache when it closes. */
    void released(BrickworksJCache<?, ?> cache) {
        caches.remove(cache.getName(), cache);
        unregister(cache, "CacheConfiguration");
        unregister(cache, "CacheStatistics");
    }

    private ObjectName objectName(Cache<?, ?> cache, String type) {
        try {
            return new ObjectName("javax.cache:type=" + type + ",CacheManager=" + safe(uri.toString()) + ",Cache="
                    + safe(cache.getName()));
        } catch (javax.management.MalformedObjectNameException e) {
            throw new CacheException("no MBean name for cache " + cache.getName() + ": " + e, e);
        }
    }

    private static String safe(String s) {
        return s == null ? "" : s.replaceAll(":|=|\n|,", ".");
    }

    private void register(Cache<?, ?> cache, String type, Object bean) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = objectName(cache, type);
        try {
            if (!server.isRegistered(name)) {
                server.registerMBean(bean, name);
            }
        } catch (javax.management.JMException e) {
            throw new CacheException("cannot register MBean " + name + ": " + e, e);
        }
    }

    private void unregister(Cache<?, ?> cache, String type) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = objectName(cache, type);
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (InstanceNotFoundException e) {
            // unregistered concurrently
        } catch (javax.management.JMException e) {
            throw new CacheException("cannot unregister MBean " + name + ": " + e, e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        provider.released(this);
        for (BrickworksJCache<?, ?> cache : new ArrayList<>(caches.values())) {
            cache.close();
        }
        closed = true;
        if (settings.ownsCache()) {
            library.close();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        if (clazz.isInstance(library)) {
            return clazz.cast(library);
        }
        throw new IllegalArgumentException("clazz must be this manager's type or BrickworksCache but was "
                + clazz.getName());
    }
}
