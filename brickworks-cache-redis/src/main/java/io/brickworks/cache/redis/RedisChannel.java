package io.brickworks.cache.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * Where {@link RedisBackend} sends its commands. {@link RedisLink} is one standalone connection
 * (a Sentinel-managed primary only needs a Sentinel {@code RedisURI} there); a Redis Cluster
 * connection can implement this interface without touching the backend. Commands are typed against
 * {@link RedisClusterAsyncCommands}, the async command set that standalone and cluster connections
 * of Lettuce share.
 *
 * <p>Contract: a command is sent at most once; a command that provably never left the process may
 * be sent on the next connection ({@link #takeBack}); every outcome completes the
 * {@link RedisCall}, within about the command timeout.
 */
interface RedisChannel extends AutoCloseable {

    /** Turns failures into messages that name the address and never the password. */
    RedisFaults faults();

    /**
     * The commands of the live connection, for one-off work while opening.
     *
     * @throws io.brickworks.cache.spi.CacheBackendException when there is no live connection
     */
    RedisClusterAsyncCommands<String, byte[]> commandsNow();

    /** Sends {@code call}'s command; its outcome completes {@code call}, which is returned. */
    <T, R> RedisCall<T, R> execute(RedisCall<T, R> call);

    /**
     * Takes back a command that the connection behind {@code usedCommands} turned away unsent: that
     * connection is dead (unless already replaced) and the command goes to the next one, or fails.
     */
    <T, R> void takeBack(RedisCall<T, R> call, RedisClusterAsyncCommands<String, byte[]> usedCommands);

    /** Closes the connection and releases what the channel created. Idempotent. */
    @Override
    void close();
}
