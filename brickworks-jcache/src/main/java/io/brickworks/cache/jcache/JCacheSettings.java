package io.brickworks.cache.jcache;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import javax.cache.CacheException;

/**
 * The provider's options, read in one place. Each name is looked up, last one wins, in: the
 * environment; system properties prefixed {@code brickworks.jcache.} (e.g.
 * {@code -Dbrickworks.jcache.USE_REDIS=1}); the properties file that the cache manager's URI names
 * ({@code classpath:brickworks-jcache.properties} or {@code file:/etc/app/jcache.properties}); the
 * {@link Properties} given to {@code getCacheManager}. The library's own settings keep their
 * environment names ({@code USE_REDIS}, {@code REDIS_HOST}, {@code NEAR_CACHE}, ...; see
 * {@link CacheSettings#fromEnvironment(Map)}); the provider adds:
 *
 * <table>
 * <caption>Provider options</caption>
 * <tr><th>Name</th><th>Default</th><th>Meaning</th></tr>
 * <tr><td>{@value #NAMESPACE}</td><td>{@code jcache}</td><td>the library namespace of every entry</td></tr>
 * <tr><td>{@value #TENANT}</td><td>none: the tenant of each call</td><td>bind every cache of the manager to
 *     this tenant</td></tr>
 * <tr><td>{@value #ALLOWED_TYPES}</td><td>none</td><td>comma-separated class names or {@code pkg.*} that
 *     stored values may hold besides the built-in types ({@link TypeAllowlist})</td></tr>
 * <tr><td>{@value #LOCK_TTL_MILLIS}</td><td>{@code 30000}</td><td>TTL of an entry's lock: the longest a
 *     mutation (an entry processor, a writer call) may take</td></tr>
 * <tr><td>{@value #LOCK_WAIT_MILLIS}</td><td>{@code 30000}</td><td>how long a mutation waits for an entry's
 *     lock before failing with a {@code CacheException}</td></tr>
 * </table>
 *
 * <p>A {@link BrickworksCache} put into the {@link Properties} under {@value #CACHE_INSTANCE} is used
 * as it is (and not closed by the manager); otherwise the manager builds one from the settings and
 * closes it when it closes.
 */
final class JCacheSettings {

    static final String SYSTEM_PREFIX = "brickworks.jcache.";
    static final String NAMESPACE = "JCACHE_NAMESPACE";
    static final String TENANT = "JCACHE_TENANT";
    static final String ALLOWED_TYPES = "JCACHE_ALLOWED_TYPES";
    static final String LOCK_TTL_MILLIS = "JCACHE_LOCK_TTL_MILLIS";
    static final String LOCK_WAIT_MILLIS = "JCACHE_LOCK_WAIT_MILLIS";
    static final String CACHE_INSTANCE = "brickworks.cache";

    final Map<String, String> values;
    final BrickworksCache given;
    final String namespace;
    final String tenant;
    final TypeAllowlist allowlist;
    final Duration lockTtl;
    final Duration lockWait;

    private JCacheSettings(Map<String, String> values, BrickworksCache given) {
        this.values = Map.copyOf(values);
        this.given = given;
        this.namespace = values.getOrDefault(NAMESPACE, "jcache");
        io.brickworks.cache.SetOptions.options().namespace(namespace); // checks it, naming the argument
        String t = values.get(TENANT);
        this.tenant = t == null || t.isBlank() ? null : t.trim();
        this.allowlist = TypeAllowlist.parse(ALLOWED_TYPES, values.get(ALLOWED_TYPES));
        this.lockTtl = Duration.ofMillis(positive(LOCK_TTL_MILLIS, values.getOrDefault(LOCK_TTL_MILLIS, "30000")));
        this.lockWait = Duration.ofMillis(positive(LOCK_WAIT_MILLIS, values.getOrDefault(LOCK_WAIT_MILLIS, "30000")));
    }

    private static long positive(String name, String text) {
        try {
            long v = Long.parseLong(text.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive number of milliseconds but was '" + text + "'");
    }

    /** The settings of a cache manager of {@code uri} with {@code properties}. */
    static JCacheSettings resolve(URI uri, ClassLoader loader, Properties properties) {
        Map<String, String> values = new HashMap<>(System.getenv());
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(SYSTEM_PREFIX)) {
                values.put(name.substring(SYSTEM_PREFIX.length()), System.getProperty(name));
            }
        }
        Properties file = load(uri, loader);
        for (String name : file.stringPropertyNames()) {
            values.put(name, file.getProperty(name));
        }
        BrickworksCache given = null;
        for (Map.Entry<Object, Object> e : properties.entrySet()) {
            if (CACHE_INSTANCE.equals(e.getKey()) && e.getValue() instanceof BrickworksCache c) {
                given = c;
            } else if (e.getKey() instanceof String k && e.getValue() instanceof String v) {
                values.put(k.startsWith(SYSTEM_PREFIX) ? k.substring(SYSTEM_PREFIX.length()) : k, v);
            }
        }
        return new JCacheSettings(values, given);
    }

    private static Properties load(URI uri, ClassLoader loader) {
        Properties p = new Properties();
        String scheme = uri.getScheme();
        try {
            if ("classpath".equals(scheme)) {
                String path = uri.getSchemeSpecificPart();
                path = path.startsWith("/") ? path.substring(1) : path;
                try (InputStream in = loader.getResourceAsStream(path)) {
                    if (in == null) {
                        throw new CacheException("cache manager URI " + uri + " names no resource on the class path");
                    }
                    p.load(in);
                }
            } else if ("file".equals(scheme)) {
                try (InputStream in = Files.newInputStream(Path.of(uri))) {
                    p.load(in);
                }
            }
        } catch (IOException e) {
            throw new CacheException("cannot read the properties of cache manager URI " + uri + ": " + e, e);
        }
        return p;
    }

    /** The library cache that the manager uses, and whether the manager owns (closes) it. */
    BrickworksCache openCache() {
        BrickworksCache base = given != null ? given
                : BrickworksCache.builder().settings(CacheSettings.fromEnvironment(values)).build();
        return tenant == null ? base : base.forTenant(tenant);
    }

    boolean ownsCache() {
        return given == null;
    }
}
