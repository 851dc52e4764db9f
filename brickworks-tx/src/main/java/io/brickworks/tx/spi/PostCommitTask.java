package io.brickworks.tx.spi;

import java.util.concurrent.CompletionStage;

/**
 * One registered post-commit callback as a {@link TransactionProvider} holds it: it either runs once
 * after the commit ({@link #afterCommit()}) or is told once that it was discarded
 * ({@link #discarded()}), never both.
 */
public interface PostCommitTask {

    /**
     * Runs the callback after the commit.
     *
     * @return a stage that completes when the callback's work is done, or {@code null} when it is
     *     already done
     * @throws Exception any failure; the provider logs it and runs the remaining tasks
     */
    CompletionStage<?> afterCommit() throws Exception;

    /**
     * Called instead of {@link #afterCommit()} when the transaction (or the savepoint the task was
     * registered in) rolled back. Must not throw; the default does nothing.
     */
    default void discarded() {
    }
}
