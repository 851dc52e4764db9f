package io.brickworks.db;

import io.brickworks.tx.spi.PostCommitTask;
import io.brickworks.tx.spi.TransactionProvider;

/**
 * Lets {@link io.brickworks.tx.PostCommit} register with the innermost brickworks-db session scope on
 * the calling thread. Found by {@link java.util.ServiceLoader}; not for direct use.
 */
public final class DbTransactionProvider implements TransactionProvider {

    /** Used by {@link java.util.ServiceLoader}. */
    public DbTransactionProvider() {
    }

    /** {@code 0}: a session opened in code is asked before a framework's transaction. */
    @Override
    public int order() {
        return 0;
    }

    @Override
    public boolean isActive() {
        return Db.currentFrame() != null;
    }

    @Override
    public void register(PostCommitTask task) {
        SessionFrame frame = Db.currentFrame();
        if (frame == null) {
            throw new IllegalStateException("no brickworks-db session is open on this thread");
        }
        frame.session().addTask(task);
    }

    @Override
    public String howToOpen() {
        return "Open a brickworks-db session with db.useSession(session -> ...) or db.inSession(session -> ...) "
                + "and register inside the block, on the same thread.";
    }
}
