package io.brickworks.cache.queue;

/**
 * The work a {@link QueueWorker} does for each delivery. Returning normally acknowledges the
 * delivery; throwing returns the item with a back-off (or makes it a dead letter after its last attempt).
 */
@FunctionalInterface
public interface QueueHandler {

    /** Processes one delivery; runs on the worker's executor. */
    void handle(Delivery delivery) throws Exception;
}
