package io.brickworks.cache.metrics;

/** What a queue operation did. */
public enum QueueEvent {
    /** An item was appended ({@code pushToQueue}). */
    PUSH,
    /** An item was taken ({@code popFromQueue} answered one). */
    POP,
    /** {@code popFromQueue} found the queue empty. */
    EMPTY_POP
}
