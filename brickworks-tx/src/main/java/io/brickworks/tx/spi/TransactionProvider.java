package io.brickworks.tx.spi;

/**
 * A transaction system that takes post-commit callbacks, found by {@link java.util.ServiceLoader}
 * (list the implementation in {@code META-INF/services/io.brickworks.tx.spi.TransactionProvider}).
 * Implementations must be public, have a public no-argument constructor and be thread-safe; their
 * notion of "active" is per thread.
 *
 * <p>{@link io.brickworks.tx.PostCommit} asks the providers in ascending {@link #order()} and
 * registers with the first that is active. brickworks-db sessions use order {@code 0} (a session
 * opened in code is the innermost demarcation); the Spring bridge uses {@code 100}.
 *
 * <p>A provider runs its tasks with {@link PostCommitTasks}, which gives every provider the same
 * ordering, failure handling and bounded wait.
 */
public interface TransactionProvider {

    /** Lower values are asked first. */
    int order();

    /** Whether a transaction that takes post-commit callbacks is active on the calling thread. */
    boolean isActive();

    /**
     * Registers {@code task} with the transaction active on the calling thread. The task must then
     * either run once after that transaction commits, or be {@link PostCommitTask#discarded()
     * discarded} once when it rolls back.
     *
     * @throws IllegalStateException if no transaction of this provider is active on the calling thread
     */
    void register(PostCommitTask task);

    /**
     * One sentence telling a developer how to open a transaction of this system, used in the message
     * of {@link io.brickworks.tx.NoTransactionException}.
     */
    String howToOpen();
}
