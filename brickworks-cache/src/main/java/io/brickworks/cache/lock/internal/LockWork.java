package io.brickworks.cache.lock.internal;

import io.brickworks.cache.internal.Names;
import io.brickworks.cache.lock.LockHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Turns synchronous lock work (a {@link Runnable} or a {@link Callable}) into the async work function
 * of {@code withLock}, so that every shape of work runs through the one lock path: the function runs
 * the work on the thread that calls it and returns a stage that is already complete (or failed with
 * what the work threw).
 */
public final class LockWork {

    private LockWork() {
    }

    /**
     * The async form of {@code work}, which completes with {@code null} when it returns.
     *
     * @throws IllegalArgumentException if {@code work} is null
     */
    public static Function<LockHandle, CompletionStage<Void>> of(Runnable work) {
        Names.checkNotNull("work", work);
        return lock -> {
            work.run();
            return CompletableFuture.completedFuture(null);
        };
    }

    /**
     * The async form of {@code work}, which completes with its value, or fails with the exception it
     * threw (checked ones too).
     *
     * @throws IllegalArgumentException if {@code work} is null
     */
    public static <T> Function<LockHandle, CompletionStage<T>> of(Callable<? extends T> work) {
        Names.checkNotNull("work", work);
        return lock -> {
            try {
                return CompletableFuture.completedFuture(work.call());
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }
}
