package io.brickworks.cache.spi;

import java.util.List;

/**
 * What {@link CacheBackend#queueState} answers: the records of one acknowledged queue, read in one
 * atomic step.
 *
 * @param waiting items deliverable now: raw items in the list and in staging, prioritised items, and
 *     delayed, returned or requeued items that are due
 * @param delayed delayed, returned or requeued items not yet due
 * @param inFlight the deliveries in flight, first deadline first (at most the limit asked for)
 * @param inFlightCount how many deliveries are in flight
 * @param deadLetters the first dead letters, oldest first (at most the limit asked for)
 * @param deadLetterCount how many dead letters there are
 * @param paused whether the queue is paused
 * @param nowMillis the store's clock when it was read (ms)
 * @param later the delayed, returned or requeued items not yet due, first due first (at most the
 *     limit asked for)
 */
public record QueueState(long waiting, long delayed, List<InFlight> inFlight, long inFlightCount,
                         List<QueueDeadLetter> deadLetters, long deadLetterCount, boolean paused, long nowMillis,
                         List<Later> later) {

    /**
     * An item not yet due.
     *
     * @param id the item's identity
     * @param dueAtMillis when it becomes deliverable (the store's clock, ms)
     */
    public record Later(String id, long dueAtMillis) {
    }

    /**
     * One delivery in flight.
     *
     * @param id the item's identity
     * @param consumer the name of the receiver that claimed it
     * @param attempt the delivery's number
     * @param claimedAtMillis when it was claimed (the store's clock, ms)
     * @param deadlineMillis its visibility deadline (the store's clock, ms)
     * @param progress what its consumer last reported, or empty
     */
    public record InFlight(String id, String consumer, long attempt, long claimedAtMillis, long deadlineMillis,
                           String progress) {
    }
}
