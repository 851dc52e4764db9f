package io.brickworks.cache.queue;

import io.brickworks.cache.internal.Names;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

/** Immutable options of a {@link QueueWorker}; each {@code with} method checks its argument and returns a copy. */
public final class WorkerOptions {

    /** 16 in flight on the worker's own threads, back-off from 1 s up to 5 min without jitter, 30 s to shut down. */
    public static final WorkerOptions DEFAULTS = new WorkerOptions(16, null, Duration.ofSeconds(1),
            Duration.ofMinutes(5), Duration.ofSeconds(30), 0);

    private final int concurrency;
    private final Executor executor;
    private final Duration retryBackoff;
    private final Duration maxRetryBackoff;
    private final Duration shutdownTimeout;
    private final double retryJitter;

    private WorkerOptions(int concurrency, Executor executor, Duration retryBackoff, Duration maxRetryBackoff,
                          Duration shutdownTimeout, double retryJitter) {
        this.retryJitter = retryJitter;
        this.concurrency = concurrency;
        this.executor = executor;
        this.retryBackoff = retryBackoff;
        this.maxRetryBackoff = maxRetryBackoff;
        this.shutdownTimeout = shutdownTimeout;
    }

    public static WorkerOptions defaults() {
        return DEFAULTS;
    }

    /** At most this many deliveries in flight (1 to 1024). */
    public WorkerOptions withConcurrency(int concurrency) {
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("concurrency must be between 1 and 1024 but was " + concurrency);
        }
        return new WorkerOptions(concurrency, executor, retryBackoff, maxRetryBackoff, shutdownTimeout, retryJitter);
    }

    /**
     * Runs the handlers on {@code executor} (owned by the application, never shut down by the
     * worker). It must run tasks on its own threads, not on the caller's (no direct executor): the
     * worker hands it the next job from the thread that settled the previous one.
     */
    public WorkerOptions withExecutor(Executor executor) {
        return new WorkerOptions(concurrency, Names.checkNotNull("executor", executor), retryBackoff, maxRetryBackoff,
                shutdownTimeout, retryJitter);
    }

    /**
     * The delay before the first retry of a failed item; it doubles per attempt up to {@code max}
     * (exponential with a cap). With {@code initial} equal to {@code max} the back-off is fixed.
     */
    public WorkerOptions withRetryBackoff(Duration initial, Duration max) {
        Names.checkNotNegative("initial", initial);
        Names.checkNotNegative("max", max);
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max must not be shorter than initial (" + initial + ") but was " + max);
        }
        return new WorkerOptions(concurrency, executor, initial, max, shutdownTimeout, retryJitter);
    }

    /** How long {@link QueueWorker#close()} lets running handlers finish. */
    public WorkerOptions withShutdownTimeout(Duration shutdownTimeout) {
        return new WorkerOptions(concurrency, executor, retryBackoff, maxRetryBackoff,
                Names.checkNotNegative("shutdownTimeout", shutdownTimeout), retryJitter);
    }

    /**
     * Jitter of the back-off: each one is shortened by a random share of up to {@code fraction} of
     * it (0: none; 1: "full jitter", anywhere from zero to the back-off), so that items that failed
     * together do not all come back together.
     *
     * @throws IllegalArgumentException if {@code fraction} is not between 0 and 1
     */
    public WorkerOptions withRetryJitter(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("retryJitter must be between 0 and 1 but was " + fraction);
        }
        return new WorkerOptions(concurrency, executor, retryBackoff, maxRetryBackoff, shutdownTimeout, fraction);
    }

    public double retryJitter() {
        return retryJitter;
    }

    public int concurrency() {
        return concurrency;
    }

    /** The application's executor, or null for the worker's own pool. */
    public Executor executor() {
        return executor;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    public Duration maxRetryBackoff() {
        return maxRetryBackoff;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * The back-off before delivery {@code attempt + 1}, after attempt {@code attempt} failed: the
     * capped exponential one, less a random share of at most {@link #retryJitter()} of it.
     */
    public Duration backoffAfter(long attempt) {
        Duration d = retryBackoff;
        for (long i = 1; i < attempt && d.compareTo(maxRetryBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        Duration capped = d.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : d;
        if (retryJitter == 0) {
            return capped;
        }
        long nanos = capped.toNanos();
        return Duration.ofNanos(nanos - (long) (nanos * retryJitter * ThreadLocalRandom.current().nextDouble()));
    }
}
