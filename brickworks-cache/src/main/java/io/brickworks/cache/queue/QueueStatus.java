package io.brickworks.cache.queue;

import java.time.Duration;
import java.util.List;

/**
 * The state of an acknowledged queue, read in one atomic step ({@link ReliableQueue#status(int)}).
 *
 * @param waiting items deliverable now and not in flight: pushed (the list, on Redis its staging
 *     list, the priorities) and due delayed, returned or requeued ones
 * @param delayed delayed, returned or requeued items not yet due
 * @param inFlightCount deliveries in flight
 * @param deadLetterCount dead letters
 * @param paused whether the queue is paused ({@link ReliableQueue#pause()})
 * @param inFlight the first deliveries in flight, the one whose visibility ends first first
 * @param deadLetters the first dead letters, oldest first, with their histories (the reasons)
 * @param delayedJobs the first delayed, returned or requeued items not yet due, first due first
 */
public record QueueStatus(long waiting, long delayed, long inFlightCount, long deadLetterCount, boolean paused,
                          List<InFlightJob> inFlight, List<DeadLetter> deadLetters, List<DelayedJob> delayedJobs) {

    /**
     * An item not yet due.
     *
     * @param id the item's identity
     * @param dueIn how long until it becomes deliverable (the store's clock; positive)
     */
    public record DelayedJob(String id, Duration dueIn) {
    }

    /**
     * A delivery in flight.
     *
     * @param id the item's identity
     * @param consumer the name of the receiver that holds it ({@link QueueOptions#withConsumerName})
     * @param attempt the delivery's number
     * @param age how long ago it was delivered (the store's clock)
     * @param visibleIn how long until it is delivered again unless acknowledged, returned or extended
     *     (negative: overdue, its consumer is presumably dead)
     * @param progress what its consumer last reported ({@link Delivery#heartbeat(String)}), or empty
     */
    public record InFlightJob(String id, String consumer, long attempt, Duration age, Duration visibleIn,
                              String progress) {
    }
}
