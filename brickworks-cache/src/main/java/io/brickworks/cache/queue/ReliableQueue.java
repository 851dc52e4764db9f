package io.brickworks.cache.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An acknowledged queue over a cache queue (at-least-once delivery), from
 * {@link io.brickworks.cache.BrickworksCache#reliableQueue(String, QueueOptions)}.
 *
 * <p>It works on the queue's own list, {@code <prefix>:<tenant>:<namespace>:<queue>}: items pushed
 * with {@code pushToQueue}, with {@link #push(String)} or by the Python original are received here.
 * Receiving moves an item, in one atomic step, from the list to an in-flight record with a
 * visibility deadline and returns a {@link Delivery}: acknowledge it when done, or return it; if
 * neither happens before the deadline (the consumer died, hung or lost its connection), the item
 * is delivered again, to any receiver, with a higher attempt number. After
 * {@link QueueOptions#maxAttempts()} deliveries, an item that fails again becomes a dead letter,
 * kept with its history until it is requeued or purged.
 *
 * <p><b>What is promised.</b> An item pushed and acknowledged by the store is delivered at least
 * once, also across a consumer's crash and a restart of a store that persists every write
 * (Redis with {@code appendfsync always}). It may be delivered more than once (a consumer that
 * finished but died before its acknowledgement arrived, or one slower than its visibility timeout),
 * so handlers must be idempotent: {@link Delivery#id()} is the same on every delivery of an item.
 * Order is FIFO for first deliveries; redeliveries and delayed items come when they are due. There is
 * no exactly-once. See {@code docs/queues.md}.
 *
 * <p>The queue is bound to the tenant and namespace current when it was made. Thread-safe. Methods
 * check their arguments before anything is sent ({@link IllegalArgumentException}); futures fail with
 * {@link io.brickworks.cache.spi.CacheBackendException} when the store cannot be reached.
 */
public interface ReliableQueue {

    /** The queue's name. */
    String name();

    /** The options it was made with. */
    QueueOptions options();

    /**
     * Appends {@code item} to the queue's list, exactly as {@code pushToQueue} does (Redis
     * {@code RPUSH}): plain consumers and the Python original can pop it too.
     *
     * @return the list's new length
     */
    CompletableFuture<Long> push(String item);

    /**
     * Adds {@code item} to become deliverable after {@code delay} (by the store's clock). A delayed
     * item is held beside the list (not in it), so only this API receives it.
     *
     * @return the item's identity
     * @throws IllegalArgumentException if {@code item} is null, or {@code delay} is null or negative
     */
    CompletableFuture<String> push(String item, Duration delay);

    /**
     * Adds {@code item} to become deliverable at {@code visibleAt}, turned into a delay with this
     * JVM's clock (a time in the past: at once).
     */
    CompletableFuture<String> push(String item, Instant visibleAt);

    /**
     * Receives the next item, waiting up to {@code wait} for one (zero: look once). No thread waits:
     * on Redis the wait is a blocking command on one of a small pool of connections dedicated to
     * waiting, never on the shared connection. Cancelling the future ends the wait without losing
     * an item: one received at the moment of the cancellation is given back at once, its attempt
     * not counted.
     *
     * @return the delivery, or empty when nothing came within {@code wait}
     * @throws IllegalArgumentException if {@code wait} is null or negative
     */
    CompletableFuture<Optional<Delivery>> receive(Duration wait);

    /**
     * Pushes {@code item} with a job id (deduplication), a priority or a delay
     * ({@link PushOptions}), in one atomic step. The item gets its identity at once and is not in the
     * original's list.
     *
     * @return the new identity, or that the job id was held and nothing was added
     * @throws IllegalArgumentException if {@code item} or {@code options} is null
     */
    CompletableFuture<Pushed> push(String item, PushOptions options);

    /** The first {@code limit} dead letters, oldest first. */
    CompletableFuture<List<DeadLetter>> deadLetters(int limit);

    /**
     * Makes the given dead letters (all of them when none is given) deliverable again at once, with
     * their attempts counted from zero and their history kept.
     *
     * @return how many were requeued
     */
    CompletableFuture<Long> requeueDeadLetters(String... ids);

    /** Deletes the given dead letters (all of them when none is given); returns how many were deleted. */
    CompletableFuture<Long> purgeDeadLetters(String... ids);

    /**
     * Pauses the queue for every receiver of every process: receives deliver nothing (they look
     * again every 250 ms at most, within their wait) until {@link #resume()}. Pushes go on; deliveries
     * in flight are unaffected and may be acknowledged, returned and extended.
     *
     * @return whether the queue was running
     */
    CompletableFuture<Boolean> pause();

    /**
     * Resumes a paused queue.
     *
     * @return whether it was paused
     */
    CompletableFuture<Boolean> resume();

    /**
     * The queue's counts, with at most {@code limit} deliveries in flight, {@code limit} dead letters
     * and {@code limit} items not yet due listed, read in one atomic step.
     *
     * @throws IllegalArgumentException if {@code limit} is less than 1
     */
    CompletableFuture<QueueStatus> status(int limit);

    /**
     * Starts a worker that receives from this queue and runs {@code handler} for each delivery; see
     * {@link QueueWorker}.
     *
     * @throws IllegalArgumentException if an argument is null
     */
    QueueWorker consume(QueueHandler handler, WorkerOptions options);
}
