package io.brickworks.cache.queue;

/**
 * A consumer loop over a {@link ReliableQueue}, from {@link ReliableQueue#consume}:
 * <ul>
 * <li>it keeps at most {@link WorkerOptions#concurrency()} deliveries in flight, receiving a new one
 *     as soon as one is settled (waiting receives hold no thread);</li>
 * <li>it runs the handler for each on the executor of the options, or on its own pool of
 *     {@code concurrency} daemon threads ({@code brickworks-queue-<name>-N});</li>
 * <li>a handler that returns acknowledges the delivery; one that throws returns the item with
 *     exponential back-off ({@link WorkerOptions#retryBackoff()} doubled per attempt, at most
 *     {@link WorkerOptions#maxRetryBackoff()}), its exception added to the item's history;</li>
 * <li>while a handler runs, its delivery is extended every third of the visibility timeout (on the
 *     cache's scheduler thread), so a long job is not delivered to another consumer;</li>
 * <li>a failure to reach the store is retried after a pause, so the worker survives a restart of Redis.</li>
 * </ul>
 */
public interface QueueWorker extends AutoCloseable {

    /** How many deliveries are being handled now. */
    int inFlight();

    /**
     * Stops gracefully: no new delivery is received; the running handlers get
     * {@link WorkerOptions#shutdownTimeout()} to finish (and are acknowledged or returned as usual);
     * deliveries still running after it are returned at once, without counting the attempt, and their
     * threads interrupted (only for the worker's own pool). Blocks until then. Idempotent.
     */
    @Override
    void close();
}
