package io.brickworks.tx;

import java.util.concurrent.CompletionStage;

/**
 * A post-commit callback that does asynchronous work, such as a cache update:
 * {@code PostCommit.register(() -> cache.deleteKey("user-1"))}.
 *
 * <p>The transaction system calls {@link #run()} once, after the commit, and waits (bounded) for the
 * returned stage. A {@code null} stage counts as work already done. An exception thrown by
 * {@code run()} or a stage that completes exceptionally is logged; it neither stops the callbacks
 * registered after this one nor undoes the commit.
 */
@FunctionalInterface
public interface AsyncCallback {

    /**
     * Starts the work and returns a stage that completes when it is done.
     *
     * @throws Exception any failure; it is logged and the remaining callbacks still run
     */
    CompletionStage<?> run() throws Exception;
}
