package io.brickworks.cache.queue;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.internal.Names;
import java.time.Duration;

/**
 * Immutable options of an acknowledged queue ({@link BrickworksCache#reliableQueue(String, QueueOptions)}):
 * its namespace, how long a delivery stays invisible to other receivers before it is delivered
 * again, and how many deliveries an item gets before it becomes a dead letter. Each {@code with}
 * method checks its argument and returns a copy.
 */
public final class QueueOptions {

    /** The defaults: namespace {@code default}, visibility timeout 30 s, 5 attempts. */
    public static final QueueOptions DEFAULTS = new QueueOptions(BrickworksCache.DEFAULT_NAMESPACE,
            Duration.ofSeconds(30), 5);

    private final String namespace;
    private final Duration visibilityTimeout;
    private final int maxAttempts;

    private QueueOptions(String namespace, Duration visibilityTimeout, int maxAttempts) {
        this.namespace = namespace;
        this.visibilityTimeout = visibilityTimeout;
        this.maxAttempts = maxAttempts;
    }

    /** The defaults ({@link #DEFAULTS}). */
    public static QueueOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The namespace of the queue.
     *
     * @throws IllegalArgumentException if it is null, empty or has a colon
     */
    public QueueOptions withNamespace(String namespace) {
        return new QueueOptions(Names.checkNamespace("namespace", namespace), visibilityTimeout, maxAttempts);
    }

    /**
     * How long a delivery is invisible to other receivers; without an acknowledgement, return or
     * extension by then, the item is delivered again (its consumer is presumed dead).
     *
     * @throws IllegalArgumentException if it is null or shorter than 1 ms
     */
    public QueueOptions withVisibilityTimeout(Duration visibilityTimeout) {
        return new QueueOptions(namespace, Names.checkExpire("visibilityTimeout", visibilityTimeout), maxAttempts);
    }

    /**
     * How many deliveries an item gets; after the last one fails (returned, or not acknowledged in
     * time) it becomes a dead letter.
     *
     * @throws IllegalArgumentException if it is less than 1
     */
    public QueueOptions withMaxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1 but was " + maxAttempts);
        }
        return new QueueOptions(namespace, visibilityTimeout, maxAttempts);
    }

    public String namespace() {
        return namespace;
    }

    public Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    @Override
    public String toString() {
        return "QueueOptions{namespace=" + namespace + ", visibilityTimeout=" + visibilityTimeout
                + ", maxAttempts=" + maxAttempts + "}";
    }
}
