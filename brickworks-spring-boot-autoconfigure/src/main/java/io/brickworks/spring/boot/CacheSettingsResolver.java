package io.brickworks.spring.boot;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.CacheSettings.HostAndPort;
import java.net.URI;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Turns the application's configuration into {@link CacheSettings}, one option at a time, with this
 * precedence (first that is set wins):
 * <ol>
 * <li>{@code brickworks.cache.*} ({@link BrickworksCacheProperties});</li>
 * <li>for the Redis connection, the application's Redis connection-details bean when it has one other
 *     than Boot's own from properties ({@link BootRedisConnection}), else Boot's own
 *     {@code spring.data.redis.*} (host, port, database, username, password, url, ssl.enabled, sentinel.master,
 *     sentinel.nodes, cluster.nodes); and {@code spring.data.redis.timeout} in both cases;</li>
 * <li>the original's variables ({@code USE_REDIS}, {@code REDIS_*}, ...) as the Spring
 *     {@link Environment} sees them (the process environment, system properties, property files);</li>
 * <li>the library's defaults.</li>
 * </ol>
 * A value that {@link CacheSettings.Builder} rejects fails with an {@link IllegalArgumentException}
 * naming the property and the value (never a password's).
 */
final class CacheSettingsResolver {

    private static final String BOOT = "spring.data.redis.";
    private static final String OURS = "brickworks.cache.";

    private static final String DETAILS = "the Redis connection-details bean";

    private final Environment environment;
    private final BootRedisConnection details;
    private final Binder binder;
    private final CacheSettings.Builder builder;

    private CacheSettingsResolver(Environment environment, BootRedisConnection details) {
        this.environment = environment;
        this.details = details;
        this.binder = Binder.get(environment);
        this.builder = CacheSettings.fromEnvironment(variables(environment)).toBuilder();
    }

    /**
     * @param details the application's connection-details bean, or null
     */
    static CacheSettings resolve(BrickworksCacheProperties p, Environment environment, BootRedisConnection details) {
        return new CacheSettingsResolver(environment, details).apply(p);
    }

    /** The original's variables, read from the Spring environment (only {@code get} is used). */
    private static Map<String, String> variables(Environment environment) {
        return new AbstractMap<>() {
            @Override
            public String get(Object name) {
                return environment.getProperty((String) name);
            }

            @Override
            public Set<Entry<String, String>> entrySet() {
                throw new UnsupportedOperationException("the environment is read by name");
            }
        };
    }

    private CacheSettings apply(BrickworksCacheProperties p) {
        BrickworksCacheProperties.Redis r = p.getRedis();
        // Boot's connection details or spring.data.redis.*, below ours.
        if (details != null) {
            fromDetails();
        } else {
            fromBootProperties();
        }
        set(BOOT + "timeout", boot("timeout", Duration.class), builder::commandTimeout);

        // brickworks.cache.*, above everything.
        set(OURS + "redis.host", r.getHost(), builder::redisHost);
        set(OURS + "redis.port", r.getPort(), builder::redisPort);
        set(OURS + "redis.database", r.getDatabase(), builder::redisDb);
        set(OURS + "redis.username", r.getUsername(), builder::redisUsername);
        setSecret(OURS + "redis.password", r.getPassword());
        set(OURS + "redis.ssl", r.getSsl(), builder::redisSsl);
        set(OURS + "redis.ssl-ca-certificate", r.getSslCaCertificate(), builder::redisSslCaCertificate);
        nodes(OURS + "redis.cluster-nodes", r.getClusterNodes(), builder::redisClusterNodes);
        nodes(OURS + "redis.sentinels", r.getSentinels(), builder::redisSentinels);
        set(OURS + "redis.sentinel-master", r.getSentinelMaster(), builder::redisSentinelMaster);
        set(OURS + "redis.command-timeout", r.getCommandTimeout(), builder::commandTimeout);
        set(OURS + "multi-tenancy-enabled", p.getMultiTenancyEnabled(), builder::multiTenancyEnabled);
        set(OURS + "master-tenant", p.getMasterTenant(), builder::masterTenant);
        set(OURS + "key-prefix", p.getKeyPrefix(), builder::keyPrefix);
        set(OURS + "default-expire", p.getDefaultExpire(), builder::defaultExpire);
        set(OURS + "memory-maximum-entries", p.getMemoryMaximumEntries(), builder::memoryMaximumEntries);
        set(OURS + "function-cache-max-value-bytes", p.getFunctionCacheMaxValueBytes(),
                builder::functionCacheMaxValueBytes);
        BrickworksCacheProperties.NearCache near = r.getNearCache();
        set(OURS + "redis.near-cache.enabled", near.getEnabled(), builder::nearCache);
        if (near.getNamespaces() != null && !near.getNamespaces().isEmpty()) {
            set(OURS + "redis.near-cache.namespaces", near.getNamespaces(), builder::nearCacheNamespaces);
        }
        set(OURS + "redis.near-cache.max-entries", near.getMaxEntries(), builder::nearCacheMaxEntries);
        set(OURS + "redis.near-cache.staleness-bound", near.getStalenessBound(), builder::nearCacheStalenessBound);

        Boolean useRedis = p.getUseRedis();
        if (useRedis == null && !environment.containsProperty("USE_REDIS") && bootNamesRedis()) {
            useRedis = true;
        }
        set(OURS + "use-redis", useRedis, builder::useRedis);
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("brickworks.cache: conflicting settings: " + e.getMessage(), e);
        }
    }

    private void fromBootProperties() {
        String url = boot("url", String.class);
        if (url != null) {
            fromUrl(url);
        }
        set(BOOT + "host", boot("host", String.class), builder::redisHost);
        set(BOOT + "port", boot("port", Integer.class), builder::redisPort);
        set(BOOT + "database", boot("database", Integer.class), builder::redisDb);
        set(BOOT + "username", boot("username", String.class), builder::redisUsername);
        setSecret(BOOT + "password", boot("password", String.class));
        set(BOOT + "ssl.enabled", boot("ssl.enabled", Boolean.class), builder::redisSsl);
        set(BOOT + "sentinel.master", boot("sentinel.master", String.class), builder::redisSentinelMaster);
        nodes(BOOT + "sentinel.nodes", bootList("sentinel.nodes"), builder::redisSentinels);
        nodes(BOOT + "cluster.nodes", bootList("cluster.nodes"), builder::redisClusterNodes);
    }

    private void fromDetails() {
        set(DETAILS, details.host(), builder::redisHost);
        set(DETAILS, details.port(), builder::redisPort);
        set(DETAILS, details.database(), builder::redisDb);
        set(DETAILS, details.username(), builder::redisUsername);
        setSecret(DETAILS, details.password());
        if (details.ssl()) {
            set(DETAILS, true, builder::redisSsl);
        }
        set(DETAILS, details.sentinelMaster(), builder::redisSentinelMaster);
        nodes(DETAILS, details.sentinelNodes(), builder::redisSentinels);
        nodes(DETAILS, details.clusterNodes(), builder::redisClusterNodes);
    }

    /** Whether the application configured Boot's Redis connection itself (not just Boot's defaults). */
    private boolean bootNamesRedis() {
        return details != null || boot("host", String.class) != null || boot("url", String.class) != null
                || !bootList("cluster.nodes").isEmpty() || !bootList("sentinel.nodes").isEmpty();
    }

    private <T> T boot(String name, Class<T> type) {
        return binder.bind(BOOT + name, Bindable.of(type)).orElse(null);
    }

    private List<String> bootList(String name) {
        return binder.bind(BOOT + name, Bindable.listOf(String.class)).orElse(List.of());
    }

    /** {@code redis://[user:password@]host[:port][/database]}, {@code rediss://} for TLS. */
    private void fromUrl(String url) {
        String property = BOOT + "url";
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            // the cause's message would quote the URL, password included
            throw new IllegalArgumentException(property + " is not a valid redis:// or rediss:// URL (value not shown: "
                    + "it may hold a password)");
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(property + " must be redis://host:port or rediss://host:port (scheme "
                    + uri.getScheme() + ")");
        }
        set(property, "rediss".equals(uri.getScheme()), builder::redisSsl);
        set(property, uri.getHost(), builder::redisHost);
        if (uri.getPort() > 0) {
            set(property, uri.getPort(), builder::redisPort);
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            int db;
            try {
                db = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + ": the database (the URL's path) must be a number but was '"
                        + path.substring(1) + "'");
            }
            set(property, db, builder::redisDb);
        }
        String userInfo = uri.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? null : userInfo.substring(0, colon);
            if (user != null && !user.isEmpty()) {
                set(property, user, builder::redisUsername);
            }
            setSecret(property, colon < 0 ? userInfo : userInfo.substring(colon + 1));
        }
    }

    private <T> void set(String property, T value, Consumer<T> sink) {
        if (value == null) {
            return;
        }
        try {
            sink.accept(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " = '" + value + "' is not accepted: " + e.getMessage(), e);
        }
    }

    private void setSecret(String property, String password) {
        if (password == null) {
            return;
        }
        try {
            builder.redisPassword(password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " is not accepted (value not shown)");
        }
    }

    private void nodes(String property, List<String> nodes, Consumer<List<HostAndPort>> sink) {
        if (nodes == null || nodes.isEmpty()) {
            return;
        }
        set(property, String.join(",", nodes), text -> sink.accept(HostAndPort.parseList(property, text)));
    }
}
