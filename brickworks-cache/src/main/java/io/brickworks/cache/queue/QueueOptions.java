package io.brickworks.cache.queue;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.internal.Names;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Immutable options of an acknowledged queue ({@link BrickworksCache#reliableQueue(String, QueueOptions)}):
 * its namespace, how long a delivery stays invisible to other receivers before it is delivered
 * again, and how many deliveries an item gets before it becomes a dead letter. Each {@code with}
 * method checks its argument and returns a copy.
 */
public final class QueueOptions {

    /**
     * The defaults: namespace {@code default}, visibility timeout 30 s, 5 attempts, no concurrency or
     * rate limit, the consumer named after this process ({@code <pid>@<host>}).
     */
    public static final QueueOptions DEFAULTS = new QueueOptions(BrickworksCache.DEFAULT_NAMESPACE,
            Duration.ofSeconds(30), 5, 0, 0, ManagementFactory.getRuntimeMXBean().getName(), Duration.ZERO);

    /** The longest consumer name. */
    public static final int MAX_CONSUMER_NAME = 200;

    private final String namespace;
    private final Duration visibilityTimeout;
    private final int maxAttempts;
    private final int concurrencyLimit;
    private final int ratePerSecond;
    private final String consumerName;
    private final Duration dedupWindow;

    private QueueOptions(String namespace, Duration visibilityTimeout, int maxAttempts, int concurrencyLimit,
                         int ratePerSecond, String consumerName, Duration dedupWindow) {
        this.dedupWindow = dedupWindow;
        this.namespace = namespace;
        this.visibilityTimeout = visibilityTimeout;
        this.maxAttempts = maxAttempts;
        this.concurrencyLimit = concurrencyLimit;
        this.ratePerSecond = ratePerSecond;
        this.consumerName = consumerName;
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
        return new QueueOptions(Names.checkNamespace("namespace", namespace), visibilityTimeout, maxAttempts,
                concurrencyLimit, ratePerSecond, consumerName,
                dedupWindow);
    }

    /**
     * How long a delivery is invisible to other receivers; without an acknowledgement, return or
     * extension by then, the item is delivered again (its consumer is presumed dead).
     *
     * @throws IllegalArgumentException if it is null or shorter than 1 ms
     */
    public QueueOptions withVisibilityTimeout(Duration visibilityTimeout) {
        return new QueueOptions(namespace, Names.checkExpire("visibilityTimeout", visibilityTimeout), maxAttempts,
                concurrencyLimit, ratePerSecond, consumerName,
                dedupWindow);
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
        return new QueueOptions(namespace, visibilityTimeout, maxAttempts, concurrencyLimit, ratePerSecond,
                consumerName, dedupWindow);
    }

    /**
     * At most {@code limit} items of the queue in flight at once, over every receiver of every process
     * (checked and counted in the same atomic step as the delivery, on Redis in one script). A
     * delivery whose consumer died keeps its slot until its visibility timeout. Every receiver of the
     * queue must use the same limit: each applies its own when it receives. 0: no limit.
     *
     * @throws IllegalArgumentException if it is negative
     */
    public QueueOptions withConcurrencyLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("concurrencyLimit must not be negative but was " + limit);
        }
        return new QueueOptions(namespace, visibilityTimeout, maxAttempts, limit, ratePerSecond, consumerName,
                dedupWindow);
    }

    /**
     * At most {@code perSecond} deliveries of the queue per one-second window, over every receiver of
     * every process (a fixed window that starts with its first delivery, counted atomically with
     * it; on Redis a counter key that expires after a second). Redeliveries count. Every receiver of
     * the queue must use the same limit. 0: no limit.
     *
     * @throws IllegalArgumentException if it is negative
     */
    public QueueOptions withRateLimit(int perSecond) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("rateLimit must not be negative but was " + perSecond);
        }
        return new QueueOptions(namespace, visibilityTimeout, maxAttempts, concurrencyLimit, perSecond, consumerName,
                dedupWindow);
    }

    /**
     * The name this receiver leaves with each delivery it claims, shown by the admin view of the
     * queue's deliveries in flight.
     *
     * @throws IllegalArgumentException if it is null, empty or longer than {@value #MAX_CONSUMER_NAME}
     */
    public QueueOptions withConsumerName(String name) {
        Names.checkNotNull("consumerName", name);
        if (name.isEmpty() || name.length() > MAX_CONSUMER_NAME) {
            throw new IllegalArgumentException("consumerName must have 1 to " + MAX_CONSUMER_NAME
                    + " characters but was '" + Names.show(name) + "'");
        }
        return new QueueOptions(namespace, visibilityTimeout, maxAttempts, concurrencyLimit, ratePerSecond, name,
                dedupWindow);
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

    /** At most this many items in flight over all receivers; 0: no limit. */
    public int concurrencyLimit() {
        return concurrencyLimit;
    }

    /** At most this many deliveries per second over all receivers; 0: no limit. */
    public int rateLimit() {
        return ratePerSecond;
    }

    public String consumerName() {
        return consumerName;
    }

    /**
     * How long a job id stays held after its job was acknowledged ({@link PushOptions#withJobId}):
     * pushes with it in that time are ignored as duplicates. Zero (the default): released at once.
     * Given by the acknowledging receiver; every receiver of a queue should use the same one.
     *
     * @throws IllegalArgumentException if it is null or negative
     */
    public QueueOptions withDeduplicationWindow(Duration window) {
        return new QueueOptions(namespace, visibilityTimeout, maxAttempts, concurrencyLimit, ratePerSecond,
                consumerName, Names.checkNotNegative("deduplicationWindow", window));
    }

    public Duration deduplicationWindow() {
        return dedupWindow;
    }

    @Override
    public String toString() {
        return "QueueOptions{namespace=" + namespace + ", visibilityTimeout=" + visibilityTimeout
                + ", maxAttempts=" + maxAttempts + ", concurrencyLimit=" + concurrencyLimit + ", rateLimit="
                + ratePerSecond + ", consumerName=" + Names.show(consumerName) + ", deduplicationWindow=" + dedupWindow
                + "}";
    }
}
