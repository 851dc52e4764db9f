package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.cache.spi.CacheBackendFactory;
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
 * verified), and {@code commandTimeout}; and the topology:
 * <ul>
 * <li>one server: {@code redisHost}/{@code redisPort}/{@code redisDb} (the default);</li>
 * <li>Sentinel: {@code redisSentinels} (host:port list) and {@code redisSentinelMaster}; the
 *     Sentinels are asked for the primary at every (re)connection, so after a failover the backend
 *     reconnects to the promoted replica by itself;</li>
 * <li>Redis Cluster: {@code redisClusterNodes} (seed host:port list); slot map refreshed
 *     periodically and on redirects or failing nodes, so failovers and slot moves are followed.
 *     Keys keep the names below; a key and its indices (or a lock and its fencing counter) are
 *     written in an order that needs no cross-slot command (see {@code ClusterMultiKeyOps} and
 *     {@code docs/topologies.md}).</li>
 * </ul>
 * TLS and the ACL login apply to every data node in all three topologies.
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
 *     user fails with {@link io.brickworks.cache.spi.CacheBackendException} naming {@code host:port/db}.</li>
 * <li>A command that fails, or gets no answer within {@code commandTimeout}, fails its future with
 *     {@link io.brickworks.cache.spi.CacheBackendException}; the message names {@code host:port/db} and never the password.</li>
 * <li>Delivery to one server or Sentinel's primary is at most once. Lettuce's auto-reconnect, which re-sends unanswered commands after
 *     reconnecting (at least once), is off. When the connection drops, its unanswered commands fail
 *     (their effect is unknown) and the backend reconnects in the background with a pause growing to
 *     500 ms. While its first attempt runs, new commands are held, not sent, for at most
 *     {@code commandTimeout}: they are sent once on the new connection or fail without ever having
 *     been sent. When an attempt fails, those and later commands fail at once, unsent, until Redis
 *     is back (through Sentinel, commands keep being held, each at most {@code commandTimeout},
 *     while a failover is under way). A command that timed out is never sent later. The same
 *     instance works again as soon as Redis is back.</li>
 * <li>On a cluster, Lettuce's own reconnection is on (it is how the client follows failovers):
 *     commands for a node that is down wait, at most {@code commandTimeout}, for the slot's new
 *     primary; a command that the cluster did not execute because its slot had no primary is sent
 *     again until {@code commandTimeout}; and a command whose answer was lost with a failing node
 *     is sent again to the slot's new primary (at least once). Every failure still reaches the
 *     caller as {@link io.brickworks.cache.spi.CacheBackendException}.</li>
 * <li>After a server restart the scripts are gone from its cache: the first {@code EVALSHA} answers
 *     {@code NOSCRIPT} and the script is sent once with {@code EVAL}, which reloads it.</li>
 * </ul>
 *
 * <h2>Near cache</h2>
 * With {@code nearCache} ({@code NEAR_CACHE=1}) on one server or Sentinel, {@code GET}s of the
 * namespaces it holds go through a second connection with {@code CLIENT TRACKING ON} and are kept in
 * the process until Redis pushes their invalidation (see {@code NearCache} and
 * {@code docs/near-cache.md}). Refused on a cluster by the settings.
 *
 * <h2>Resources</h2>
 * Each backend owns its connection (on a cluster, one per node), one Lettuce client and its
 * client resources (event loop threads); closing the cache shuts them all down. An application
 * that wants its own Lettuce {@code ClientResources} (for Lettuce's command latency metrics or
 * tracing) builds the backend with {@link RedisBackendBuilder} instead; those are never shut down
 * by the backend.
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
     * Connects to the Redis server, Sentinel-monitored primary or cluster that the settings name
     * and loads the backend's scripts (on a cluster, into every primary); see
     * {@link RedisBackendBuilder#build()}.
     */
    @Override
    public CacheBackend create(CacheSettings settings) {
        return RedisBackendBuilder.of(settings).build();
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
}
