package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.function.CachedFunction;
import io.brickworks.cache.lock.LockResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A cold start on a one-CPU container: a burst of concurrent function-cache misses, and of
 * {@code withLock} holders, on a real redis-server with the default settings (command timeout 5 s,
 * the cache's default executor). Every call must succeed, and the library must not start a thread
 * per call. Not timed: the only bound is a generous one against a hang.
 *
 * <p>Tagged {@code one-cpu}: runs only in the {@code one-cpu} Surefire execution of this module, whose JVM is started with
 * {@code -XX:ActiveProcessorCount=1} (where {@code CompletableFuture}'s default async pool is a new
 * thread per task and the common pool has one thread).
 */
@Tag("one-cpu")
class OneCpuBurstTest {

    private static final int MISSES = 10_000;
    private static final int HOLDERS = 1_000;
    /** Threads the burst may start at most: far fewer than one per call. */
    private static final int MAX_NEW_THREADS = 16;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void runsWithOneCpu() {
        assertThat(Runtime.getRuntime().availableProcessors())
                .as("this test runs in the one-cpu Surefire execution (-XX:ActiveProcessorCount=1)")
                .isEqualTo(1);
    }

    @BeforeEach
    void flush() {
        SharedRedis.flush();
    }

    @Test
    void tenThousandConcurrentMissesOfOneFunctionAllSucceedWithoutAThreadPerMiss() throws Exception {
        try (BrickworksCache cache = SharedRedis.openCache()) {
            AtomicInteger computed = new AtomicInteger();
            CachedFunction.Async1<Integer, Integer> twice = cache.functions().function("burst.twice", Integer.class)
                    .async(x -> {
                        computed.incrementAndGet();
                        return CompletableFuture.completedFuture(2 * x);
                    });
            Burst burst = new Burst();
            List<CompletableFuture<Integer>> calls = new ArrayList<>(MISSES);
            for (int i = 0; i < MISSES; i++) {
                calls.add(twice.apply(i));
            }
            burst.awaitAll(calls);

            assertThat(burst.failures(calls)).as("failed misses").isEmpty();
            for (int i = 0; i < MISSES; i++) {
                assertThat(calls.get(i).join()).isEqualTo(2 * i);
            }
            assertThat(computed).hasValue(MISSES);
            assertThat(twice.stats().misses()).isEqualTo(MISSES);
            // each compute lease is released by a script sent after the result was stored (the caller
            // does not wait for it): once they have all landed, only the results and the index are left
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(SharedRedis.keyCount())
                    .as("every result and the function's index, no lease left").isEqualTo(MISSES + 1));
            burst.assertNoThreadPerCall();
        }
    }

    @Test
    void aThousandConcurrentLockHoldersOfDifferentNamesAllRunWithoutAThreadPerHolder() throws Exception {
        try (BrickworksCache cache = SharedRedis.openCache()) {
            Burst burst = new Burst();
            List<CompletableFuture<LockResult<Integer>>> calls = new ArrayList<>(HOLDERS);
            for (int i = 0; i < HOLDERS; i++) {
                int n = i;
                calls.add(cache.withLock("burst-" + i, Duration.ofSeconds(30),
                        lock -> CompletableFuture.completedFuture(n)));
            }
            burst.awaitAll(calls);

            assertThat(burst.failures(calls)).as("failed holders").isEmpty();
            for (int i = 0; i < HOLDERS; i++) {
                LockResult<Integer> result = calls.get(i).join();
                assertThat(result.status()).isEqualTo(LockResult.Status.COMPLETED);
                assertThat(result.value()).isEqualTo(i);
            }
            assertThat(SharedRedis.server().cli("EXISTS", "brickworks:public:__locks__:burst-0",
                    "brickworks:public:__locks__:burst-999")).as("locks released").isEqualTo("0");
            burst.assertNoThreadPerCall();
        }
    }

    /** Watches the JVM's threads from its creation to {@link #assertNoThreadPerCall()}. */
    private final class Burst {
        private final long startedBefore = threads.getTotalStartedThreadCount();
        private final int liveBefore = threads.getThreadCount();

        Burst() {
            threads.resetPeakThreadCount();
        }

        /** Waits for every call to complete, normally or not; bounded only against a hang. */
        void awaitAll(List<? extends CompletableFuture<?>> calls) throws Exception {
            CompletableFuture.allOf(calls.toArray(new CompletableFuture[0]))
                    .handle((v, e) -> null)
                    .get(5, TimeUnit.MINUTES);
        }

        /** Empty when every call succeeded; else how many failed, and the first failure. */
        String failures(List<? extends CompletableFuture<?>> calls) {
            int failed = 0;
            Throwable first = null;
            for (CompletableFuture<?> call : calls) {
                Throwable e = call.handle((v, error) -> error).join();
                if (e != null) {
                    failed++;
                    first = first == null ? e : first;
                }
            }
            return failed == 0 ? "" : failed + " of " + calls.size() + " failed, the first with " + first;
        }

        void assertNoThreadPerCall() {
            assertThat(threads.getTotalStartedThreadCount() - startedBefore)
                    .as("threads started during the burst").isLessThanOrEqualTo(MAX_NEW_THREADS);
            assertThat(threads.getPeakThreadCount() - liveBefore)
                    .as("live threads during the burst, above those before it").isLessThanOrEqualTo(MAX_NEW_THREADS);
        }
    }
}
