package io.brickworks.tx;

import io.brickworks.tx.spi.PostCommitTask;
import io.brickworks.tx.spi.TransactionProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Registers work to run after the current transaction commits, whichever transaction system is
 * active: a brickworks-db session ({@code Db.inSession}) or, with brickworks-spring-tx on the class
 * path, a Spring-managed transaction ({@code @Transactional}, {@code TransactionTemplate}). The Java
 * form of the original's {@code db.add_post_commit_callback(fn)}.
 *
 * <pre>{@code
 * db.useSession(session -> {
 *     session.update("UPDATE users SET name = ? WHERE id = ?", name, id);
 *     PostCommit.register(() -> cache.deleteKey("user-" + id));   // runs only if the commit succeeds
 * });
 * }</pre>
 *
 * <h2>Contract (the same for every transaction system)</h2>
 * <ul>
 * <li>After a successful commit the callbacks run in the order registered, each once, on the
 *     committing thread. An {@link AsyncCallback}'s stage is waited for before the next callback
 *     starts; the commit waits for them, bounded (10 s by default, environment variable
 *     {@code DB_POST_COMMIT_TIMEOUT_MS}), so the cache shows the change when the transaction scope
 *     returns.</li>
 * <li>A callback that fails is logged; the others still run and the commit stands.</li>
 * <li>On rollback, or when the transaction's block throws, the callbacks are discarded and never run.
 *     Savepoints: see the transaction system (brickworks-db discards the callbacks registered inside
 *     a nested scope that rolls back; Spring's {@code PROPAGATION_NESTED} does not).</li>
 * <li>The transaction is found on the calling thread: register on the thread that runs the
 *     transaction, not inside a continuation on another thread.</li>
 * </ul>
 *
 * <p>When several systems are active on one thread, the one with the lowest
 * {@link TransactionProvider#order()} takes the callback (a brickworks-db session before Spring).
 * Providers are found once with {@link ServiceLoader}.
 */
public final class PostCommit {

    private PostCommit() {
    }

    /**
     * Registers a plain callback with the transaction active on this thread.
     *
     * @throws IllegalArgumentException if {@code callback} is null (nothing is registered)
     * @throws NoTransactionException if no transaction is active on this thread; the message says how
     *     to open one
     */
    public static void register(Runnable callback) {
        check(callback);
        activeProvider().register(new PostCommitTask() {
            @Override
            public CompletionStage<?> afterCommit() {
                callback.run();
                return null;
            }

            @Override
            public String toString() {
                return callback.toString();
            }
        });
    }

    /**
     * Registers an asynchronous callback with the transaction active on this thread; after the
     * commit, the commit waits (bounded) for the stage it returns.
     *
     * @throws IllegalArgumentException if {@code callback} is null (nothing is registered)
     * @throws NoTransactionException if no transaction is active on this thread; the message says how
     *     to open one
     */
    public static void register(AsyncCallback callback) {
        check(callback);
        activeProvider().register(new PostCommitTask() {
            @Override
            public CompletionStage<?> afterCommit() throws Exception {
                return callback.run();
            }

            @Override
            public String toString() {
                return callback.toString();
            }
        });
    }

    /**
     * Runs {@code action} after the transaction active on this thread commits, or at once when none
     * is active. The building block of transaction-aware cache changes.
     *
     * <p>The returned future completes with the result of {@code action}'s future once it ran. When
     * the transaction rolls back it fails with {@link TransactionRolledBackException} and
     * {@code action} never runs. <strong>Do not wait for it inside the transaction</strong>: it cannot
     * complete before the commit, so waiting there blocks forever.
     *
     * @throws IllegalArgumentException if {@code action} is null
     */
    public static <T> CompletableFuture<T> afterCommitOrNow(Supplier<? extends CompletionStage<T>> action) {
        check(action);
        TransactionProvider provider = findActive();
        if (provider == null) {
            return run(action);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        provider.register(new PostCommitTask() {
            @Override
            public CompletionStage<?> afterCommit() {
                run(action).whenComplete((value, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(value);
                    }
                });
                return result;
            }

            @Override
            public void discarded() {
                result.completeExceptionally(new TransactionRolledBackException(
                        "the transaction rolled back, so this post-commit work did not run"));
            }
        });
        return result;
    }

    /** Whether a transaction that takes post-commit callbacks is active on this thread. */
    public static boolean isTransactionActive() {
        return findActive() != null;
    }

    private static <T> CompletableFuture<T> run(Supplier<? extends CompletionStage<T>> action) {
        try {
            CompletionStage<T> stage = action.get();
            return stage == null ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.completedFuture((Void) null).thenCompose(ignored -> stage);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void check(Object callback) {
        if (callback == null) {
            throw new IllegalArgumentException("callback must not be null");
        }
    }

    private static TransactionProvider findActive() {
        for (TransactionProvider provider : Providers.ALL) {
            if (provider.isActive()) {
                return provider;
            }
        }
        return null;
    }

    private static TransactionProvider activeProvider() {
        TransactionProvider provider = findActive();
        if (provider != null) {
            return provider;
        }
        String thread = Thread.currentThread().getName();
        if (Providers.ALL.isEmpty()) {
            throw new NoTransactionException("a post-commit callback needs an active transaction, but no transaction "
                    + "system is on the class path (thread '" + thread + "'): add brickworks-db and open a session with "
                    + "db.useSession(session -> ...), or add brickworks-spring-tx and register inside a Spring-managed "
                    + "transaction");
        }
        throw new NoTransactionException("a post-commit callback needs an active transaction, but none is active on "
                + "thread '" + thread + "'. " + Providers.ALL.stream().map(TransactionProvider::howToOpen)
                .collect(Collectors.joining(" Or: ")));
    }

    /** The providers on the class path, loaded once, in ascending order. */
    private static final class Providers {
        static final List<TransactionProvider> ALL = load();

        private static List<TransactionProvider> load() {
            List<TransactionProvider> found = new ArrayList<>();
            ServiceLoader.load(TransactionProvider.class, PostCommit.class.getClassLoader()).forEach(found::add);
            found.sort(Comparator.comparingInt(TransactionProvider::order));
            return List.copyOf(found);
        }
    }
}
