package io.brickworks.cache.redis;

import io.brickworks.cache.metrics.CacheMetrics;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One command and the future a backend method returns for it. It sends the command through its
 * {@link RedisLink}, receives the outcome (it is its own completion callback, so a command costs
 * one future of ours and no wrapper chain), converts a result with a stateless function and turns
 * every failure into a {@code CacheBackendException}.
 *
 * <p>A command that provably never left this process (the connection turned it away as not
 * connected, or the write hit a closed channel) is handed back to the link once, to be sent on the
 * next connection; a command that may have reached Redis is never sent again. Cancelling this
 * future does not cancel the Redis command.
 *
 * @param <T> what Lettuce answers
 * @param <R> what the backend method returns
 */
final class RedisCall<T, R> extends CompletableFuture<R> implements BiConsumer<T, Throwable> {

    private final RedisChannel link;
    private final Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command;
    private final Function<? super T, ? extends R> convert;
    private final boolean nullOnWrongType;
    /** Whether the command was already handed back once. */
    private volatile boolean handedBack;
    /** When the call was made, for channels that retry commands the server did not execute until the command timeout. */
    final long createdNanos = System.nanoTime();
    /** The connection the command was last given to. */
    private volatile RedisClusterAsyncCommands<String, byte[]> sentOn;
    /**
     * The command's name for the metrics: Lettuce's name of a single command ({@code GET}), or
     * {@code COMPOUND} for a script run by SHA with its fallback, or a command a cluster splits over nodes.
     */
    private volatile String kind = "COMPOUND";

    /**
     * @param nullOnWrongType answer {@code null} instead of failing when Redis says {@code WRONGTYPE}
     *     (a {@code GET} of a key that holds a list or set is "not a plain value")
     */
    RedisCall(RedisChannel link, Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command,
              Function<? super T, ? extends R> convert, boolean nullOnWrongType) {
        this.link = link;
        this.command = command;
        this.convert = convert;
        this.nullOnWrongType = nullOnWrongType;
    }

    /** Sends the command on {@code commands}; the outcome completes this future. */
    void sendOn(RedisClusterAsyncCommands<String, byte[]> commands) {
        CompletionStage<T> stage;
        sentOn = commands;
        try {
            stage = command.apply(commands);
        } catch (RuntimeException e) {
            accept(null, e);
            return;
        }
        if (stage instanceof RedisCommand<?, ?, ?> single) {
            kind = single.getType().toString();
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
                completeExceptionally(link.faults().translate(e));
                return;
            }
            reportAnswer();
            complete(converted);
            return;
        }
        Throwable cause = RedisFaults.unwrap(error);
        if (nullOnWrongType && cause instanceof RedisCommandExecutionException
                && cause.getMessage() != null && cause.getMessage().startsWith("WRONGTYPE")) {
            reportAnswer();
            complete(null);
            return;
        }
        if (!handedBack && RedisFaults.isUnsent(cause)) {
            handedBack = true;
            link.takeBack(this, sentOn);
            return;
        }
        if (link.retryLater(this, cause)) {
            return;
        }
        if (cause instanceof RedisCommandExecutionException) {
            reportAnswer();
        }
        completeExceptionally(link.faults().translate(cause));
    }

    /** Reports the time from the call to the server's answer, when metrics are bound. */
    private void reportAnswer() {
        CacheMetrics metrics = link.faults().metrics();
        if (metrics != CacheMetrics.NONE) {
            metrics.command(kind, System.nanoTime() - createdNanos);
        }
    }

    /**
     * Reports the failure's cause to the metrics, then fails the call: a caller that sees the failure
     * sees it counted. Only a call not yet completed reports (a call completes once).
     */
    @Override
    public boolean completeExceptionally(Throwable error) {
        if (!isDone()) {
            link.faults().metrics().backendFailure(RedisFaults.classify(error));
        }
        return super.completeExceptionally(error);
    }

}
