package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.cache.spi.CacheBackendException;
import io.lettuce.core.resource.ClientResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds the Redis backend in code, for an application that hands it resources of its own; the
 * backend then goes to {@code BrickworksCache.builder().backend(...)}, which owns it:
 *
 * <pre>{@code
 * CacheSettings settings = CacheSettings.fromEnvironment();
 * BrickworksCache cache = BrickworksCache.builder().settings(settings)
 *         .backend(RedisBackendBuilder.of(settings).clientResources(appResources).build())
 *         .build();
 * }</pre>
 *
 * Without {@link #clientResources}, it is what {@code USE_REDIS=1} builds (see
 * {@link RedisBackendFactory} for the settings read, the wire format and the fault behaviour).
 * Not thread-safe; each {@link #build()} connects a new backend.
 */
public final class RedisBackendBuilder {

    private final CacheSettings settings;
    private ClientResources resources;

    private RedisBackendBuilder(CacheSettings settings) {
        this.settings = settings;
    }

    /**
     * A builder for the Redis server, Sentinel primary or cluster that {@code settings} name.
     *
     * @throws IllegalArgumentException if {@code settings} is null
     */
    public static RedisBackendBuilder of(CacheSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        return new RedisBackendBuilder(settings);
    }

    /**
     * The application's own Lettuce {@code ClientResources} (event loops, timers, event bus, command
     * latency recorder, tracing), shared with its other Lettuce clients, so that what it attached to
     * them (Lettuce's Micrometer command latency metrics, tracing) covers the cache's commands too.
     * The backend never shuts them down: the application does, after closing the cache. Without
     * this, the backend creates its own (2 I/O threads) and shuts them down when it closes; only its
     * own resources coalesce the flushes of commands sent together into one socket write (see the
     * module's README), so with the application's, each command is flushed by Lettuce as usual.
     *
     * @throws IllegalArgumentException if {@code resources} is null
     */
    public RedisBackendBuilder clientResources(ClientResources resources) {
        if (resources == null) {
            throw new IllegalArgumentException("clientResources must not be null");
        }
        this.resources = resources;
        return this;
    }

    /**
     * Connects and loads the backend's scripts (on a cluster, into every primary).
     *
     * @throws IllegalArgumentException when {@code redisSslCaCertificate} is given without
     *     {@code redisSsl}, or is not a readable file
     * @throws CacheBackendException naming the address when the server cannot be reached in time or
     *     refuses the login (resources it created are released again)
     */
    public CacheBackend build() {
        Path ca = settings.redisSslCaCertificate();
        if (ca != null && !settings.redisSsl()) {
            throw new IllegalArgumentException("redisSslCaCertificate (REDIS_SSL_CA_CERT) is set to '" + ca
                    + "' but redisSsl (REDIS_SSL) is off: set REDIS_SSL=1 to use TLS, or unset the CA certificate");
        }
        if (ca != null && !Files.isReadable(ca)) {
            throw new IllegalArgumentException("redisSslCaCertificate must be a readable PEM file but was '" + ca + "'");
        }
        Duration timeout = settings.commandTimeout();
        RedisFaults faults = new RedisFaults(settings.redisAddress(), settings.redisPassword(), timeout);
        boolean owned = resources == null;
        ClientResources used = owned ? ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .nettyCustomizer(new FlushCoalescing()).build() : Objects.requireNonNull(resources);
        RedisBackend backend;
        if (RedisTopology.isCluster(settings)) {
            ClusterLink link = ClusterLink.open(used, owned, RedisTopology.clusterSeeds(settings),
                    RedisTopology.clusterOptions(settings), faults, timeout);
            NearCache near = null;
            if (settings.nearCache()) {
                try {
                    near = NearCache.open(link, used, settings, RedisBackendFactory.handshakeTimeout(settings).toMillis(),
                            TrackedNodes.primariesOf(link, used, RedisTopology.serverOptions(settings),
                                    RedisTopology.clusterSeeds(settings).get(0)));
                } catch (RuntimeException e) {
                    link.close();
                    throw e;
                }
            }
            backend = new RedisBackend(link, new ClusterMultiKeyOps(link), timeout.toMillis(), near);
        } else {
            RedisLink link = RedisLink.open(used, owned, RedisTopology.serverUri(settings),
                    RedisTopology.serverOptions(settings), faults, timeout);
            NearCache near = null;
            if (settings.nearCache()) {
                try {
                    near = NearCache.open(link, used, settings, RedisBackendFactory.handshakeTimeout(settings).toMillis());
                    link.whenLost(near::mainConnectionLost);
                } catch (RuntimeException e) {
                    link.close();
                    throw e;
                }
            }
            backend = new RedisBackend(link, new ScriptedMultiKeyOps(link, true), timeout.toMillis(), near);
        }
        try {
            backend.loadScripts(RedisBackendFactory.handshakeTimeout(settings).toMillis());
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        return backend;
    }
}
