package io.brickworks.cache.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Hands application code (cached functions, lock work, callbacks) to an executor. Always through
 * {@link Executor#execute}, never {@code CompletableFuture.*Async}: those replace
 * {@link java.util.concurrent.ForkJoinPool#commonPool()} by a new thread per task when the common
 * pool has fewer than two threads (on one or two CPUs), even when it is passed explicitly.
 */
public final class Work {

    private Work() {
    }

    /**
     * Runs {@code task} on {@code executor}; the returned future completes as the stage it returns.
     * A task that throws, or returns null, fails the future; an executor that rejects the task (shut
     * down, or saturated) fails it with {@link IllegalStateException} instead of throwing here, so
     * that a caller on a backend I/O thread never sees an exception.
     *
     * @param what names the work in failure messages, e.g. {@code "function 'prices'"}
     */
    public static <T> CompletableFuture<T> supply(Executor executor, String what,
                                                  Supplier<? extends CompletionStage<T>> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> completeWith(result, what, task));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("the executor of this cache did not accept the "
                    + what + " (it is shut down or saturated; was the cache closed?)", e));
        }
        return result;
    }

    /** Runs {@code task} here and completes {@code result} as the stage it returns. */
    public static <T> void completeWith(CompletableFuture<T> result, String what,
                                        Supplier<? extends CompletionStage<T>> task) {
        CompletionStage<T> stage;
        try {
            stage = task.get();
            if (stage == null) {
                throw new NullPointerException("the " + what + " returned null instead of a CompletionStage");
            }
        } catch (Throwable e) {
            result.completeExceptionally(e);
            return;
        }
        stage.whenComplete((value, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(value);
            }
        });
    }

    /**
     * Runs {@code callback} on {@code executor}, at most once; a callback that throws or an executor
     * that rejects it is reported to {@code failed} (never thrown here).
     */
    public static void run(Executor executor, Runnable callback, Consumer<Throwable> failed) {
        try {
            executor.execute(() -> {
                try {
                    callback.run();
                } catch (RuntimeException e) {
                    failed.accept(e);
                }
            });
        } catch (RejectedExecutionException e) {
            failed.accept(e);
        }
    }
}
