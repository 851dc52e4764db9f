package io.brickworks.cache.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Where {@link RedisBackend} sends its commands. {@link RedisLink} is one standalone connection
 * (a Sentinel-managed primary only needs a Sentinel {@code RedisURI} there); {@link ClusterLink}
 * is a Redis Cluster connection, which routes each command to the primary of its key's slot. Commands are typed against
 * {@link RedisClusterAsyncCommands}, the async command set that standalone and cluster connections
 * of Lettuce share.
 *
 * <p>Contract: a command is sent at most once (on a cluster, see {@link ClusterLink} for the
 * exceptions); a command that provably never left the process may be sent on the next connection
 * ({@link #takeBack}), and one that the server provably did not execute may be sent again later
 * ({@link #retryLater}); every outcome completes the {@link RedisCall}, within about the command
 * timeout.
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

    /**
     * Whether this channel will send {@code call} again later because {@code cause} shows the
     * server did not execute it; then {@code call} is not completed now. Default: never.
     */
    default boolean retryLater(RedisCall<?, ?> call, Throwable cause) {
        return false;
    }

    /** Sends {@code command}; the future fails with a {@code CacheBackendException}. */
    default <T, R> CompletableFuture<R> call(
            Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command,
            Function<? super T, ? extends R> convert) {
        return execute(new RedisCall<>(this, command, convert, false));
    }

    /**
     * Opens a connection of its own, with the channel's client, address and options, for blocking
     * commands that must not hold up the shared one ({@link BlockingConnections} pools them).
     */
    CompletableFuture<DedicatedConnection> connectDedicated();

    /** A connection opened by {@link #connectDedicated()} and its commands. */
    record DedicatedConnection(io.lettuce.core.api.StatefulConnection<String, byte[]> connection,
                               RedisClusterAsyncCommands<String, byte[]> commands) {
    }

    /** Closes the connection and releases what the channel created. Idempotent. */
    @Override
    void close();
}
