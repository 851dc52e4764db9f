package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.function.CachedFunction;
import io.brickworks.cache.lock.LockOptions;
import io.brickworks.cache.lock.LockResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where application code runs: the cache's own pool of named daemon threads by default, stopped with
 * the cache; an executor the application gives per cache, per function or per lock instead, never
 * shut down by the cache; and an executor that rejects the work fails the call without leaving a
 * lock or a compute lease behind.
 */
public abstract class ExecutorContract extends CacheContract {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final List<ExecutorService> pools = new ArrayList<>();

    @AfterEach
    void stopPools() {
        pools.forEach(ExecutorService::shutdownNow);
    }

    /** A pool of the application's, whose threads are named {@code <prefix><n>}. */
    private ExecutorService pool(String prefix) {
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2, task -> new Thread(task, prefix + count.incrementAndGet()));
        pools.add(pool);
        return pool;
    }

    private BrickworksCache cacheWith(Executor executor) {
        BrickworksCache.Builder builder = BrickworksCache.builder().settings(settings().build());
        return (executor == null ? builder : builder.executor(executor)).build();
    }

    private static CompletableFuture<String> recordThread(AtomicReference<Thread> ranOn, String value) {
        ranOn.set(Thread.currentThread());
        return CompletableFuture.completedFuture(value);
    }

    @Test
    void byDefaultLockWorkRunsOnTheCachesOwnNamedDaemonThreadsWhichStopWithTheCache() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        BrickworksCache own = cacheWith(null);
        LockResult<String> result = await(own.withLock("job", LONG, lock -> recordThread(ranOn, "done")));
        assertThat(result.status()).isEqualTo(LockResult.Status.COMPLETED);
        Thread worker = ranOn.get();
        assertThat(worker.getName()).startsWith("brickworks-worker-");
        assertThat(worker.isDaemon()).isTrue();

        String poolPrefix = worker.getName().substring(0, worker.getName().lastIndexOf('-') + 1);
        own.close();
        eventually().until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith(poolPrefix)));
    }

    @Test
    void theApplicationsExecutorRunsFunctionsLockWorkAndCallbacksAndOutlivesTheCache() {
        ExecutorService app = pool("app-exec-");
        BrickworksCache own = cacheWith(app);
        AtomicReference<Thread> workOn = new AtomicReference<>();
        await(own.withLock("job", LONG, lock -> recordThread(workOn, "done")));
        assertThat(workOn.get().getName()).startsWith("app-exec-");

        AtomicReference<Thread> functionOn = new AtomicReference<>();
        CachedFunction.Async1<String, String> f = own.functions().function("where", String.class)
                .async(x -> recordThread(functionOn, x));
        Thread caller = Thread.currentThread();
        assertThat(await(f.apply("a"))).isEqualTo("a");
        assertThat(functionOn.get()).as("the caller when it found the miss itself, else the cache's executor")
                .satisfiesAnyOf(t -> assertThat(t).isSameAs(caller), t -> assertThat(t.getName()).startsWith("app-exec-"));

        AtomicReference<Thread> lostOn = new AtomicReference<>();
        AtomicBoolean started = new AtomicBoolean();
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<LockResult<String>> running = own.withLock("long-job",
                LockOptions.of(LONG).withOnLost(h -> lostOn.set(Thread.currentThread())), lock -> {
                    started.set(true);
                    return work;
                });
        eventually().untilTrue(started);
        own.close();
        eventually().until(() -> lostOn.get() != null);
        assertThat(lostOn.get().getName()).startsWith("app-exec-");
        work.complete("done");
        assertThat(await(running).status()).isEqualTo(LockResult.Status.LOST);

        assertThat(app.isShutdown()).as("the application's executor is never shut down by the cache").isFalse();
        CompletableFuture<String> stillRunning = new CompletableFuture<>();
        app.execute(() -> stillRunning.complete("still running"));
        assertThat(await(stillRunning)).isEqualTo("still running");
    }

    @Test
    void aFunctionsOwnExecutorRunsEveryInvocation() {
        ExecutorService functions = pool("fn-exec-");
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CachedFunction.Async1<String, String> f = cache.functions().function("where", String.class)
                .executor(functions)
                .async(x -> recordThread(ranOn, x));
        assertThat(await(f.apply("a"))).isEqualTo("a");
        assertThat(ranOn.get().getName()).startsWith("fn-exec-");
    }

    @Test
    void aLocksOwnExecutorRunsItsWork() {
        ExecutorService locks = pool("lock-exec-");
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        await(cache.withLock("job", LockOptions.of(LONG).withExecutor(locks), lock -> recordThread(ranOn, "done")));
        assertThat(ranOn.get().getName()).startsWith("lock-exec-");
    }

    @Test
    void anExecutorThatRejectsTheWorkFailsTheCallAndLeavesNoLockOrLeaseBehind() {
        Executor full = task -> {
            throw new RejectedExecutionException("full");
        };
        assertThatThrownBy(() -> await(cache.withLock("job", LockOptions.of(LONG).withExecutor(full),
                lock -> CompletableFuture.completedFuture("never"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not accept");
        assertThat(await(cache.tryLock("job", LONG))).as("the lock was given back").isPresent();

        AtomicInteger computed = new AtomicInteger();
        CachedFunction.Async1<String, String> rejected = cache.functions().function("rejected", String.class)
                .executor(full)
                .async(x -> CompletableFuture.completedFuture("never"));
        assertThatThrownBy(() -> await(rejected.apply("a"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not accept");
        CachedFunction.Async1<String, String> accepted = newCache().functions().function("rejected", String.class)
                .executor(pool("fn-exec-"))
                .async(x -> {
                    computed.incrementAndGet();
                    return CompletableFuture.completedFuture(x);
                });
        assertThat(await(accepted.apply("a"))).as("computed at once: no lease was left behind").isEqualTo("a");
        assertThat(computed).hasValue(1);
    }

    @Test
    void aNullExecutorIsRejected() {
        assertThatThrownBy(() -> BrickworksCache.builder().executor(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("executor");
        assertThatThrownBy(() -> LockOptions.of(LONG).withExecutor(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("executor");
        assertThatThrownBy(() -> cache.functions().function("f", String.class).executor(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("executor");
    }
}
