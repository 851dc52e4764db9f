package io.brickworks.bench;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * A bounded window of asynchronous calls: at most {@code size} are in flight; the benchmark thread
 * waits for a free slot before it issues the next call. Failures are kept and thrown on
 * {@link #drain()}, so a failing client is never measured as a fast one.
 */
public final class Window implements BiConsumer<Object, Throwable> {

    private static final long TIMEOUT_SECONDS = 30;

    private final int size;
    private final Semaphore slots;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public Window(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1, was " + size);
        }
        this.size = size;
        this.slots = new Semaphore(size);
    }

    /** Waits for a free slot; call before issuing the call that {@link #track} then follows. */
    public void acquire() {
        try {
            if (!slots.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no call completed within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Throwable f = failure.get();
        if (f != null) {
            slots.release();
            throw new IllegalStateException("a call failed", f);
        }
    }

    /** Frees the slot when {@code call} completes. */
    public void track(CompletionStage<?> call) {
        call.whenComplete(this);
    }

    @Override
    public void accept(Object result, Throwable error) {
        if (error != null) {
            failure.compareAndSet(null, error);
        }
        slots.release();
    }

    /** Waits until every call in flight has completed, then throws the first failure, if any. */
    public void drain() {
        try {
            if (!slots.tryAcquire(size, TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("calls still in flight after " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        slots.release(size);
        Throwable f = failure.getAndSet(null);
        if (f != null) {
            throw new IllegalStateException("a call failed", f);
        }
    }
}
