package io.brickworks.cache.function.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An executor whose tasks run on the thread that waits in {@link #await}: a synchronous cached
 * function is invoked on its caller's thread (keeping its thread-locals: transactions, tenant,
 * security context), even though the lookup before it completes on a backend thread.
 */
final class CallerRuns implements java.util.concurrent.Executor {

    private static final Runnable WAKE_UP = () -> { };

    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /**
     * Runs the tasks given to this executor on the calling thread until {@code result} completes,
     * then returns its value or rethrows its failure (an unchecked cause as it is, a checked one in
     * a {@link CompletionException}). Interrupts do not stop the wait (every wait of the function
     * cache is bounded); the interrupt status is restored before returning.
     */
    <T> T await(CompletableFuture<T> result) {
        result.whenComplete((v, e) -> tasks.add(WAKE_UP));
        boolean interrupted = false;
        try {
            while (!result.isDone()) {
                try {
                    tasks.take().run();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            Runnable left;
            while ((left = tasks.poll()) != null) {
                left.run();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            return result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
