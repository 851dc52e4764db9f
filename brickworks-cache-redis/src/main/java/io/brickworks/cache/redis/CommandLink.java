package io.brickworks.cache.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Where the backend's commands go: one server (standalone, or the primary that Sentinel names),
 * {@link RedisLink}, or a whole Redis Cluster, {@link ClusterLink}, whose commands route each
 * command to the primary of its key's slot. Both offer the commands that a single server and a
 * cluster have in common ({@link RedisClusterAsyncCommands}).
 */
interface CommandLink extends AutoCloseable {

    /** Turns failures into {@code CacheBackendException}s that name the address and hide the password. */
    RedisFaults faults();

    /** The commands of the live connection, for one-off work while opening. */
    RedisClusterAsyncCommands<String, byte[]> commandsNow();

    /** Sends {@code command} and delivers its outcome to {@code call}, which is returned. */
    <T, R> RedisCall<T, R> execute(Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command,
                                  RedisCall<T, R> call);

    /** Sends {@code command}; the future fails with a {@code CacheBackendException}. */
    default <T, R> CompletableFuture<R> call(
            Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command,
            Function<? super T, ? extends R> convert) {
        return execute(command, new RedisCall<>(faults(), convert, false));
    }

    /** Whether a connection is up now. */
    boolean isConnected();

    /** Releases the connections, client and threads. Idempotent. */
    @Override
    void close();
}
