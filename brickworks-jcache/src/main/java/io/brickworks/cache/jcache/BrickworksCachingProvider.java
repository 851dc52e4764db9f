package io.brickworks.cache.jcache;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The JCache {@link CachingProvider} of Brickworks Cache, found by {@code Caching.getCachingProvider()}
 * through the {@link java.util.ServiceLoader}. Its cache managers keep their entries in the library,
 * on memory or on Redis (standalone, Sentinel, Cluster; through the near cache when it is on),
 * configured as {@link JCacheSettings} describes: from the environment like the rest of the library,
 * {@code brickworks.jcache.*} system properties, a properties file named by the manager's URI
 * ({@code classpath:} or {@code file:}), and the properties given to {@link #getCacheManager}.
 *
 * <p>Every cache stores by value ({@link OptionalFeature#STORE_BY_REFERENCE} is not supported).
 * Thread-safe; one manager per URI and class loader, as JCache requires.
 */
public final class BrickworksCachingProvider implements CachingProvider {

    /** The URI of the default cache manager. */
    public static final URI DEFAULT_URI = URI.create("urn:brickworks:jcache");

    private final Map<ClassLoader, Map<URI, BrickworksCacheManager>> managers = new WeakHashMap<>();

    /** Made by the {@link java.util.ServiceLoader}, or by hand. */
    public BrickworksCachingProvider() {
    }

    @Override
    public CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
        URI u = uri == null ? getDefaultURI() : uri;
        ClassLoader cl = classLoader == null ? getDefaultClassLoader() : classLoader;
        Properties p = properties == null ? new Properties() : properties;
        synchronized (managers) {
            Map<URI, BrickworksCacheManager> byUri = managers.computeIfAbsent(cl, k -> new HashMap<>());
            BrickworksCacheManager manager = byUri.get(u);
            if (manager == null || manager.isClosed()) {
                manager = new BrickworksCacheManager(this, u, cl, p);
                byUri.put(u, manager);
            }
            return manager;
        }
    }

    @Override
    public ClassLoader getDefaultClassLoader() {
        return getClass().getClassLoader();
    }

    @Override
    public URI getDefaultURI() {
        return DEFAULT_URI;
    }

    @Override
    public Properties getDefaultProperties() {
        return new Properties();
    }

    @Override
    public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
        return getCacheManager(uri, classLoader, getDefaultProperties());
    }

    @Override
    public CacheManager getCacheManager() {
        return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
    }

    @Override
    public void close() {
        for (BrickworksCacheManager m : all(null, null)) {
            m.close();
        }
    }

    @Override
    public void close(ClassLoader classLoader) {
        for (BrickworksCacheManager m : all(classLoader == null ? getDefaultClassLoader() : classLoader, null)) {
            m.close();
        }
    }

    @Override
    public void close(URI uri, ClassLoader classLoader) {
        for (BrickworksCacheManager m : all(classLoader == null ? getDefaultClassLoader() : classLoader,
                uri == null ? getDefaultURI() : uri)) {
            m.close();
        }
    }

    private java.util.List<BrickworksCacheManager> all(ClassLoader cl, URI uri) {
        java.util.List<BrickworksCacheManager> out = new java.util.ArrayList<>();
        synchronized (managers) {
            for (Map.Entry<ClassLoader, Map<URI, BrickworksCacheManager>> e : managers.entrySet()) {
                if (cl != null && e.getKey() != cl) {
                    continue;
                }
                for (Map.Entry<URI, BrickworksCacheManager> m : e.getValue().entrySet()) {
                    if (uri == null || m.getKey().equals(uri)) {
                        out.add(m.getValue());
                    }
                }
            }
        }
        return out;
    }

    /** Called by a manager when it closes. */
    void released(BrickworksCacheManager manager) {
        synchronized (managers) {
            Map<URI, BrickworksCacheManager> byUri = managers.get(manager.getClassLoader());
            if (byUri != null) {
                byUri.remove(manager.getURI(), manager);
            }
        }
    }

    @Override
    public boolean isSupported(OptionalFeature optionalFeature) {
        return false;
    }
}
