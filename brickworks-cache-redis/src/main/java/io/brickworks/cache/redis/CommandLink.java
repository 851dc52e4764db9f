package io.brickworks.cache.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Where the backend's commands go: one server (standalone, or the primary that Sentinel names),
 * {@link RedisLink}, or a whole Redis Cluster, {@link ClusterLink}, which routes each command to
 * the primary of its key's slot. Both offer the commands that a single server and a cluster have in
 * common ({@link RedisClusterAsyncCommands}).
 */
interface CommandLink extends AutoCloseable {

    /** Turns failures into {@code CacheBackendException}s that name the address and hide the password. */
    RedisFaults faults();

    /** The commands of the live connection, for one-off work while opening. */
    RedisClusterAsyncCommands<String, byte[]> commandsNow();

    /** Sends {@code call}'s command; its outcome completes {@code call}, which is returned. */
    <T, R> RedisCall<T, R> execute(RedisCall<T, R> call);

    /**
     * Takes back a command that the connection behind {@code usedCommands} turned away unsent, to
     * send it once more (or fail it).
     */
    <T, R> void takeBack(RedisCall<T, R> call, RedisClusterAsyncCommands<String, byte[]> usedCommands);

    /**
     * Whether this link will send {@code call} again later because {@code cause} shows the server
     * did not execute it; then {@code call} is not completed now. Default: never.
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

    /** Releases the connections, client and threads. Idempotent. */
    @Override
    void close();
}
