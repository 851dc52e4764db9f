package io.brickworks.tx.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The post-commit tasks of one transaction (or one savepoint level of it), in registration order,
 * and the one way every provider runs them. Thread-safe.
 *
 * <h2>Running: {@link #runAll(Duration)}</h2>
 * The tasks run one after another on the calling thread, in the order registered, each once. After
 * starting a task, the runner waits for the stage it returned before starting the next one, so that
 * "delete, then set" of the same key keeps its order. All waiting together is bounded by the given
 * wait: once it is used up, the remaining tasks are still started in order, but no longer waited
 * for. A task that throws, or whose stage fails (also later, after the wait ran out), is logged at
 * WARN with its position; the others still run and the commit stands. {@code runAll} never throws.
 *
 * <h2>Discarding: {@link #discard()}</h2>
 * On rollback every task is told {@link PostCommitTask#discarded()} and none runs.
 *
 * <p>Either happens once; later calls of either do nothing, and {@link #add} throws
 * {@link IllegalStateException}.
 */
public final class PostCommitTasks {

    /** How long a commit waits for asynchronous callbacks unless configured: 10 seconds. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    /** The environment variable that sets the wait in milliseconds: {@value}. */
    public static final String WAIT_ENV = "DB_POST_COMMIT_TIMEOUT_MS";

    private static final Logger LOG = LoggerFactory.getLogger(PostCommitTasks.class);

    private final List<PostCommitTask> tasks = new ArrayList<>();
    private boolean finished;

    /** An empty list. */
    public PostCommitTasks() {
    }

    /**
     * The wait configured in {@code env} by {@value #WAIT_ENV}, or {@link #DEFAULT_WAIT} when it is
     * unset or blank.
     *
     * @throws IllegalArgumentException naming the variable and its value when it is not a positive
     *     whole number
     */
    public static Duration waitFromEnvironment(Map<String, String> env) {
        String value = env.get(WAIT_ENV);
        if (value == null || value.isBlank()) {
            return DEFAULT_WAIT;
        }
        try {
            long millis = Long.parseLong(value.trim());
            if (millis > 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("environment variable " + WAIT_ENV
                + " must be a positive whole number of milliseconds but was '" + value + "'");
    }

    /**
     * Appends {@code task}.
     *
     * @throws IllegalArgumentException if {@code task} is null
     * @throws IllegalStateException if these tasks already ran or were discarded
     */
    public synchronized void add(PostCommitTask task) {
        if (task == null) {
            throw new IllegalArgumentException("task must not be null");
        }
        checkOpen();
        tasks.add(task);
    }

    /**
     * Moves all of {@code inner}'s tasks to the end of this list, in their order (a savepoint
     * released into its enclosing level); {@code inner} is then finished and empty.
     */
    public void absorb(PostCommitTasks inner) {
        List<PostCommitTask> moved = inner.take();
        synchronized (this) {
            checkOpen();
            tasks.addAll(moved);
        }
    }

    /** How many tasks are waiting. */
    public synchronized int size() {
        return tasks.size();
    }

    /** Tells every task that it was discarded; none runs. Does nothing when already finished. */
    public void discard() {
        for (PostCommitTask task : take()) {
            try {
                task.discarded();
            } catch (RuntimeException e) {
                LOG.warn("discarding a post-commit callback failed", e);
            }
        }
    }

    /**
     * Runs every task once, as described in the class documentation, waiting at most {@code wait}
     * in total for asynchronous ones. Never throws; an interrupt stops the waiting (the remaining
     * tasks still start) and is kept set on the thread.
     */
    public void runAll(Duration wait) {
        List<PostCommitTask> todo = take();
        if (todo.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + (wait == null ? 0 : wait.toNanos());
        boolean waiting = true;
        int count = todo.size();
        for (int i = 0; i < count; i++) {
            String name = "post-commit callback " + (i + 1) + " of " + count;
            CompletableFuture<?> done = start(todo.get(i), name);
            if (done == null || done.isDone() && !done.isCompletedExceptionally()) {
                continue;
            }
            if (!waiting) {
                logLateFailure(done, name);
                continue;
            }
            try {
                done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                LOG.warn("{} failed; the commit stands and the other callbacks still run", name, e.getCause());
            } catch (TimeoutException e) {
                waiting = false;
                LOG.warn("{} did not finish within the post-commit wait of {} ms; the remaining callbacks start "
                        + "without waiting", name, wait == null ? 0 : wait.toMillis());
                logLateFailure(done, name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                waiting = false;
                LOG.warn("interrupted while waiting for {}; the remaining callbacks start without waiting", name);
                logLateFailure(done, name);
            } catch (java.util.concurrent.CancellationException e) {
                LOG.warn("{} was cancelled; the commit stands and the other callbacks still run", name);
            }
        }
    }

    private static CompletableFuture<?> start(PostCommitTask task, String name) {
        CompletionStage<?> stage;
        try {
            stage = task.afterCommit();
        } catch (Exception | LinkageError | AssertionError e) {
            LOG.warn("{} failed; the commit stands and the other callbacks still run", name, e);
            return null;
        }
        if (stage == null) {
            return null;
        }
        try {
            return stage.toCompletableFuture();
        } catch (UnsupportedOperationException e) {
            return CompletableFuture.completedFuture((Void) null).thenCompose(ignored -> stage);
        }
    }

    private static void logLateFailure(CompletableFuture<?> done, String name) {
        done.whenComplete((value, failure) -> {
            if (failure != null) {
                LOG.warn("{} failed after the post-commit wait; the commit stands", name, failure);
            }
        });
    }

    private synchronized List<PostCommitTask> take() {
        if (finished) {
            return List.of();
        }
        finished = true;
        List<PostCommitTask> out = new ArrayList<>(tasks);
        tasks.clear();
        return out;
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("these post-commit callbacks already ran or were discarded: "
                    + "register new ones in a transaction that is still open");
        }
    }
}
