package io.brickworks.cache.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The future a backend method returns: it receives the outcome of one Redis command, converts a
 * result with a stateless function and turns every failure into a {@code CacheBackendException}.
 * It is its own completion callback, so a command costs one future of ours and no wrapper chain.
 * Cancelling it does not cancel the Redis command.
 *
 * @param <T> what Lettuce answers
 * @param <R> what the backend method returns
 */
final class RedisCall<T, R> extends CompletableFuture<R> implements BiConsumer<T, Throwable> {

    private final RedisFaults faults;
    private final Function<? super T, ? extends R> convert;
    private final boolean nullOnWrongType;

    /**
     * @param nullOnWrongType answer {@code null} instead of failing when Redis says {@code WRONGTYPE}
     *     (a {@code GET} of a key that holds a list or set is "not a plain value")
     */
    RedisCall(RedisFaults faults, Function<? super T, ? extends R> convert, boolean nullOnWrongType) {
        this.faults = faults;
        this.convert = convert;
        this.nullOnWrongType = nullOnWrongType;
    }

    void send(RedisAsyncCommands<String, byte[]> commands,
              Function<RedisAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command) {
        CompletionStage<T> stage;
        try {
            stage = command.apply(commands);
        } catch (RuntimeException e) {
            accept(null, e);
            return;
        }
        stage.whenComplete(this);
    }

    @Override
    public void accept(T result, Throwable error) {
        if (error == null) {
            R converted;
            try {
                converted = convert.apply(result);
            } catch (RuntimeException e) {
                completeExceptionally(faults.translate(e));
                return;
            }
            complete(converted);
            return;
        }
        Throwable cause = RedisFaults.unwrap(error);
        if (nullOnWrongType && cause instanceof RedisCommandExecutionException
                && cause.getMessage() != null && cause.getMessage().startsWith("WRONGTYPE")) {
            complete(null);
            return;
        }
        completeExceptionally(faults.translate(cause));
    }
}
