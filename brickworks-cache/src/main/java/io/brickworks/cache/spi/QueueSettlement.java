package io.brickworks.cache.spi;

/** What {@link CacheBackend#queueRelease} did with a delivery given back. */
public enum QueueSettlement {
    /** The delivery was no longer held (acknowledged, or redelivered after its visibility timeout): nothing changed. */
    NOT_HELD,
    /** The item waits to be delivered again, after the given delay. */
    REQUEUED,
    /** The item used up its attempts and is now a dead letter. */
    DEAD_LETTERED
}
