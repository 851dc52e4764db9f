package io.brickworks.spring.tx;

import io.brickworks.tx.spi.PostCommitTask;
import io.brickworks.tx.spi.PostCommitTasks;
import io.brickworks.tx.spi.TransactionProvider;
import java.time.Duration;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Makes {@link io.brickworks.tx.PostCommit} and {@code TransactionalCache} defer to after the commit
 * of the Spring-managed transaction active on the calling thread ({@code @Transactional},
 * {@code TransactionTemplate}, any {@code PlatformTransactionManager} with transaction
 * synchronization). Found by {@link java.util.ServiceLoader}: putting this module on the class path
 * is all it takes; there is nothing to configure in Spring.
 *
 * <h2>Behaviour</h2>
 * <ul>
 * <li>Active when {@link TransactionSynchronizationManager#isSynchronizationActive()} is true on the
 *     calling thread.</li>
 * <li>The first callback of a transaction registers one {@link TransactionSynchronization}; all
 *     callbacks of that transaction run from its {@code afterCommit()}, in registration order, each
 *     once, and the commit waits for asynchronous ones at most {@code DB_POST_COMMIT_TIMEOUT_MS}
 *     (10 s by default) in total. A failing callback is logged; the others still run and the commit
 *     stands.</li>
 * <li>On rollback, or when the outcome is unknown ({@code STATUS_UNKNOWN}), the callbacks are discarded.</li>
 * <li>{@code PROPAGATION_REQUIRES_NEW} keeps callbacks apart: Spring suspends the outer transaction's
 *     synchronizations, so callbacks registered in the inner transaction run when the inner one
 *     commits. {@code PROPAGATION_NESTED} (a savepoint) does not: Spring keeps one synchronization list
 *     for the whole transaction, so callbacks registered inside a nested transaction that rolls back to
 *     its savepoint still run when the outer transaction commits.</li>
 * <li>A brickworks-db session open on the same thread is asked first (order 0 before 100).</li>
 * </ul>
 */
public final class SpringTransactionProvider implements TransactionProvider {

    private final Duration wait;

    /** Used by {@link java.util.ServiceLoader}; reads the wait from the environment. */
    public SpringTransactionProvider() {
        this(PostCommitTasks.waitFromEnvironment(System.getenv()));
    }

    SpringTransactionProvider(Duration wait) {
        this.wait = wait;
    }

    /** {@code 100}: after a brickworks-db session (0). */
    @Override
    public int order() {
        return 100;
    }

    @Override
    public boolean isActive() {
        return TransactionSynchronizationManager.isSynchronizationActive();
    }

    @Override
    public void register(PostCommitTask task) {
        if (!isActive()) {
            throw new IllegalStateException("no Spring transaction synchronization is active on this thread");
        }
        callbacks().add(task);
    }

    @Override
    public String howToOpen() {
        return "Run inside a Spring-managed transaction (a @Transactional method or TransactionTemplate.execute) "
                + "on the same thread.";
    }

    private PostCommitTasks callbacks() {
        for (TransactionSynchronization existing : TransactionSynchronizationManager.getSynchronizations()) {
            if (existing instanceof Callbacks mine) {
                return mine.tasks;
            }
        }
        Callbacks created = new Callbacks(wait);
        TransactionSynchronizationManager.registerSynchronization(created);
        return created.tasks;
    }

    /** The one synchronization per transaction that runs its post-commit callbacks. */
    private static final class Callbacks implements TransactionSynchronization {
        final PostCommitTasks tasks = new PostCommitTasks();
        private final Duration wait;

        Callbacks(Duration wait) {
            this.wait = wait;
        }

        @Override
        public void afterCommit() {
            tasks.runAll(wait);
        }

        @Override
        public void afterCompletion(int status) {
            if (status != STATUS_COMMITTED) {
                tasks.discard();
            }
        }
    }
}
