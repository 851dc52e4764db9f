package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.cache.spi.CacheBackendException;
import io.brickworks.cache.spi.CacheBackendFactory;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Creates the Redis backend (kind {@code "redis"}), found through {@link java.util.ServiceLoader}:
 * with {@code brickworks-cache-redis} on the class path, {@code USE_REDIS=1} or
 * {@code CacheSettings.builder().useRedis(true)} selects it. Users do not call this class directly.
 *
 * <h2>Settings it reads</h2>
 * {@code redisHost}, {@code redisPort}, {@code redisDb}, {@code redisUsername} (ACL user),
 * {@code redisPassword}, {@code redisSsl} with the optional {@code redisSslCaCertificate} (a PEM
 * file of CA certificates to trust; without it the JDK's trust store; the server's host name is
 * verified), and {@code commandTimeout}. Redis Cluster ({@code redisClusterNodes}) and Sentinel
 * ({@code redisSentinels}) are not supported by this version: asking for them throws
 * {@link UnsupportedOperationException} naming the setting.
 *
 * <h2>Wire format</h2>
 * The same as the Python original, so that Java and Python services share one Redis:
 * <ul>
 * <li>an entry is a string at {@code <prefix>:<tenant>:<namespace>:<key>}, written with
 *     {@code SET key value PX <ms> [NX]}, read with {@code GET}, removed with {@code DEL}, refreshed
 *     with {@code PEXPIRE} (the same effect as the original's {@code EXPIREAT now+expire});</li>
 * <li>an index {@code I} is a set at {@code <prefix>:<tenant>:<namespace>:__index__.I} whose members
 *     are full keys; writing a key with indices is one Lua script ({@code SET}, {@code SADD} to each
 *     index, each index's TTL raised to at least the key's and never lowered), called by its SHA
 *     ({@code EVALSHA}); listing is one script that returns the members whose keys exist and removes
 *     the others;</li>
 * <li>a queue is a list: {@code RPUSH} to push, {@code LPOP} to pop;</li>
 * <li>a set is a Redis set: {@code SADD} with its TTL raised to at least the given expiry (one
 *     script), {@code SREM}, {@code SMEMBERS}, {@code SISMEMBER};</li>
 * <li>a lock is a string at {@code <prefix>:<tenant>:__locks__:<name>} written with
 *     {@code SET ... PX <ttl> NX}; it holds the owning cache instance's token instead of the
 *     original's {@code "1"}, and is released by a script that deletes it only for its owner.</li>
 * </ul>
 *
 * <h2>Faults</h2>
 * <ul>
 * <li>Building the cache connects at once: an unreachable server, a wrong password or an unknown
 *     user fails with {@link CacheBackendException} naming {@code host:port/db}.</li>
 * <li>A command that fails, or gets no answer within {@code commandTimeout}, fails its future with
 *     {@link CacheBackendException}; the message names {@code host:port/db} and never the password.</li>
 * <li>Delivery is at most once. Lettuce's auto-reconnect, which re-sends unanswered commands after
 *     reconnecting (at least once), is off. When the connection drops, its unanswered commands fail
 *     (their effect is unknown) and the backend reconnects in the background with a pause growing to
 *     500 ms. While its first attempt runs, new commands are held, not sent, for at most
 *     {@code commandTimeout}: they are sent once on the new connection or fail without ever having
 *     been sent. When an attempt fails, those and later commands fail at once, unsent, until Redis
 *     is back. A command that timed out is never sent later. The same instance works again as soon as Redis is back.</li>
 * <li>After a server restart the scripts are gone from its cache: the first {@code EVALSHA} answers
 *     {@code NOSCRIPT} and the script is sent once with {@code EVAL}, which reloads it.</li>
 * </ul>
 *
 * <h2>Resources</h2>
 * Each backend owns one connection, one Lettuce client and its client resources (event loop
 * threads); closing the cache shuts them all down.
 */
public final class RedisBackendFactory implements CacheBackendFactory {

    static final Duration MIN_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** Creates the factory; called by {@link java.util.ServiceLoader}. */
    public RedisBackendFactory() {
    }

    @Override
    public String kind() {
        return "redis";
    }

    /**
     * Connects to the Redis server the settings name and loads the backend's scripts.
     *
     * @throws UnsupportedOperationException when the settings ask for Redis Cluster or Sentinel
     * @throws IllegalArgumentException when {@code redisSslCaCertificate} is given without
     *     {@code redisSsl}, or is not a readable file
     * @throws CacheBackendException naming the address when the server cannot be reached in time or
     *     refuses the login
     */
    @Override
    public CacheBackend create(CacheSettings settings) {
        if (!settings.redisClusterNodes().isEmpty()) {
            throw new UnsupportedOperationException("redisClusterNodes (REDIS_CLUSTER_NODES) is set to "
                    + settings.redisClusterNodes() + ", but this version of brickworks-cache-redis supports only a "
                    + "standalone Redis server: unset it and set redisHost/redisPort");
        }
        if (!settings.redisSentinels().isEmpty()) {
            throw new UnsupportedOperationException("redisSentinels (REDIS_SENTINELS) is set to "
                    + settings.redisSentinels() + ", but this version of brickworks-cache-redis supports only a "
                    + "standalone Redis server: unset it and set redisHost/redisPort");
        }
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
        ClientResources resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        RedisLink link = RedisLink.open(resources, uri(settings), options(settings), faults, timeout);
        RedisBackend backend = new RedisBackend(link);
        try {
            backend.loadScripts(handshakeTimeout(settings).toMillis());
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        return backend;
    }

    static RedisURI uri(CacheSettings settings) {
        RedisURI.Builder b = RedisURI.Builder.redis(settings.redisHost(), settings.redisPort())
                .withDatabase(settings.redisDb())
                .withSsl(settings.redisSsl())
                .withTimeout(handshakeTimeout(settings))
                .withClientName("brickworks-cache");
        String password = settings.redisPassword();
        String username = settings.redisUsername();
        if (username != null) {
            b.withAuthentication(username, password == null ? "" : password);
        } else if (password != null) {
            b.withPassword(password.toCharArray());
        }
        return b.build();
    }

    /**
     * How long opening a connection (TCP, TLS, HELLO/AUTH, SELECT) may take: the command timeout,
     * but at least {@link #MIN_HANDSHAKE_TIMEOUT}, because the first connection of a JVM also loads
     * and initialises Netty and Lettuce, which can take seconds on a busy machine. A refused
     * connection still fails at once.
     */
    static Duration handshakeTimeout(CacheSettings settings) {
        Duration timeout = settings.commandTimeout();
        return timeout.compareTo(MIN_HANDSHAKE_TIMEOUT) < 0 ? MIN_HANDSHAKE_TIMEOUT : timeout;
    }

    static ClientOptions options(CacheSettings settings) {
        Duration timeout = settings.commandTimeout();
        ClientOptions.Builder b = ClientOptions.builder()
                // At most once: no replay of unanswered commands; RedisLink reconnects by itself.
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(handshakeTimeout(settings))
                        .keepAlive(true)
                        .build());
        if (settings.redisSsl()) {
            SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider().handshakeTimeout(handshakeTimeout(settings));
            if (settings.redisSslCaCertificate() != null) {
                ssl.trustManager(settings.redisSslCaCertificate().toFile());
            }
            b.sslOptions(ssl.build());
        }
        return b.build();
    }
}
