package io.brickworks.cache.queue;

import io.brickworks.cache.internal.Names;
import io.brickworks.cache.spi.QueueKeys;
import java.time.Duration;

/**
 * Immutable options of one {@link ReliableQueue#push(String, PushOptions)}: a job id for
 * deduplication, a priority, or a delay. Each {@code with} method checks its argument and returns a
 * copy; a priority and a delay exclude each other.
 */
public final class PushOptions {

    /** No job id, no priority, no delay. */
    public static final PushOptions DEFAULTS = new PushOptions(null, 0, Duration.ZERO);

    /** The longest job id. */
    public static final int MAX_JOB_ID = 200;

    private final String jobId;
    private final int priority;
    private final Duration delay;

    private PushOptions(String jobId, int priority, Duration delay) {
        this.jobId = jobId;
        this.priority = priority;
        this.delay = delay;
    }

    public static PushOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Deduplicates on {@code jobId}: while an item pushed with it is waiting, delayed, in flight or a
     * dead letter (and, with {@link QueueOptions#withDeduplicationWindow}, for that long after it
     * was acknowledged), another push with it adds nothing and answers {@link Pushed#duplicate()}.
     * Checked and recorded in the same atomic step as the push.
     *
     * @throws IllegalArgumentException if it is null, empty or longer than {@value #MAX_JOB_ID}
     */
    public PushOptions withJobId(String jobId) {
        Names.checkNotNull("jobId", jobId);
        if (jobId.isEmpty() || jobId.length() > MAX_JOB_ID) {
            throw new IllegalArgumentException("jobId must have 1 to " + MAX_JOB_ID + " characters but had "
                    + jobId.length());
        }
        return new PushOptions(jobId, priority, delay);
    }

    /**
     * A priority from 1 (low) to {@value QueueKeys#MAX_PRIORITY} (high); 0, the default, is none.
     * Acknowledged receivers take higher priorities first, first in first out within one, and
     * items without a priority after all of them. Prioritised items have an identity at once and are
     * not in the original's list (a plain pop does not see them).
     *
     * @throws IllegalArgumentException if it is out of range, or a delay was set
     */
    public PushOptions withPriority(int priority) {
        if (priority < 0 || priority > QueueKeys.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority must be between 0 and " + QueueKeys.MAX_PRIORITY
                    + " but was " + priority);
        }
        if (priority > 0 && !delay.isZero()) {
            throw new IllegalArgumentException("priority " + priority + " and delay " + delay
                    + " exclude each other");
        }
        return new PushOptions(jobId, priority, delay);
    }

    /**
     * Deliverable only after {@code delay}.
     *
     * @throws IllegalArgumentException if it is null or negative, or a priority was set
     */
    public PushOptions withDelay(Duration delay) {
        Names.checkNotNegative("delay", delay);
        if (priority > 0 && !delay.isZero()) {
            throw new IllegalArgumentException("priority " + priority + " and delay " + delay
                    + " exclude each other");
        }
        return new PushOptions(jobId, priority, delay);
    }

    /** The job id, or null. */
    public String jobId() {
        return jobId;
    }

    public int priority() {
        return priority;
    }

    public Duration delay() {
        return delay;
    }

    @Override
    public String toString() {
        return "PushOptions{jobId=" + (jobId == null ? "none" : Names.show(jobId)) + ", priority=" + priority
                + ", delay=" + delay + "}";
    }
}
