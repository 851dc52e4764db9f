package io.brickworks.cache.queue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One delivery of an item of a {@link ReliableQueue}. Until it is acknowledged, returned or its
 * visibility timeout passes, no other receiver gets the item. Each method acts only while this
 * delivery is still the item's latest and in flight: after its visibility timeout passed and the
 * item was delivered again (or became a dead letter), they change nothing and answer {@code false}.
 * Thread-safe; the futures may complete on a backend I/O thread.
 */
public interface Delivery {

    /** The item's identity: the same on every delivery of the item, so that consumers can be idempotent. */
    String id();

    /** The item, as pushed. */
    String item();

    /** The number of this delivery: 1 for the first, more when the item was returned or its consumer died. */
    long attempt();

    /**
     * Acknowledges the delivery: the item is done and removed, with its records.
     *
     * @return whether this delivery was still held (otherwise the item may be delivered again)
     */
    CompletableFuture<Boolean> ack();

    /**
     * Gives the item back after a failure, to be delivered again after {@code delay} (zero: at once);
     * {@code reason} is added to the item's history. If this was the item's last attempt, it
     * becomes a dead letter instead.
     *
     * @return whether this delivery was still held
     * @throws IllegalArgumentException if {@code delay} is null or negative, or {@code reason} is null
     */
    CompletableFuture<Boolean> retry(Duration delay, String reason);

    /**
     * Keeps the delivery invisible for {@code visibility} from now (for a job that runs longer than
     * the visibility timeout).
     *
     * @return whether this delivery was still held
     * @throws IllegalArgumentException if {@code visibility} is null or shorter than 1 ms
     */
    CompletableFuture<Boolean> extend(Duration visibility);

    /**
     * Reports progress and extends the delivery by the queue's visibility timeout, in one atomic step:
     * a heartbeat of a long job. The progress (a number or a short text, at most 200 characters, line
     * breaks replaced by spaces) is shown by {@link ReliableQueue#status(int)} until the delivery ends.
     *
     * @return whether this delivery was still held
     * @throws IllegalArgumentException if {@code progress} is null or longer than 200 characters
     */
    CompletableFuture<Boolean> heartbeat(String progress);

    /**
     * A negative acknowledgement that gives up at once: the item becomes a dead letter now, whatever
     * attempts it has left, with {@code reason} added to its history. (For "retry later" use
     * {@link #retry(Duration, String)}.)
     *
     * @return whether this delivery was still held
     * @throws IllegalArgumentException if {@code reason} is null
     */
    CompletableFuture<Boolean> deadLetter(String reason);
}
