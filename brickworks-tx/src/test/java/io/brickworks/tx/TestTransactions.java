package io.brickworks.tx;

import io.brickworks.tx.spi.PostCommitTask;
import io.brickworks.tx.spi.PostCommitTasks;
import io.brickworks.tx.spi.TransactionProvider;
import java.time.Duration;

/** A minimal transaction system for the tests of this module: one level, bound to the thread. */
public final class TestTransactions implements TransactionProvider {

    private static final ThreadLocal<PostCommitTasks> CURRENT = new ThreadLocal<>();

    /** Runs {@code work} in a transaction that commits when it returns and rolls back when it throws. */
    static void inTransaction(Runnable work) {
        PostCommitTasks tasks = new PostCommitTasks();
        CURRENT.set(tasks);
        try {
            work.run();
        } catch (RuntimeException e) {
            CURRENT.remove();
            tasks.discard();
            throw e;
        }
        CURRENT.remove();
        tasks.runAll(Duration.ofSeconds(10));
    }

    @Override
    public int order() {
        return 0;
    }

    @Override
    public boolean isActive() {
        return CURRENT.get() != null;
    }

    @Override
    public void register(PostCommitTask task) {
        PostCommitTasks tasks = CURRENT.get();
        if (tasks == null) {
            throw new IllegalStateException("no test transaction");
        }
        tasks.add(task);
    }

    @Override
    public String howToOpen() {
        return "Open one with TestTransactions.inTransaction(...).";
    }
}
