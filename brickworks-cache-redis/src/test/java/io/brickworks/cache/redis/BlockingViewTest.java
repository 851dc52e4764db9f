package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BlockingBrickworksCache;
import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.function.CachedFunction;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.spi.CacheBackendException;
import io.brickworks.cache.tck.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the contract suite (run through the blocking view by the *Blocking*Test classes) cannot show:
 * the blocking view's behaviour when Redis does not answer, when the waiting thread is interrupted,
 * and with a checked exception from lock work.
 */
class BlockingViewTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static RedisServer redis;
    private BrickworksCache cache;
    private BrickworksCache other;

    @BeforeAll
    static void startServer() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopServer() {
        redis.close();
    }

    @BeforeEach
    void open() {
        redis.flushAll();
        CacheSettings settings = CacheSettings.builder().useRedis(true).redisHost(redis.host()).redisPort(redis.port())
                .commandTimeout(TIMEOUT).build();
        cache = BrickworksCache.builder().settings(settings).build();
        other = BrickworksCache.builder().settings(settings).build();
    }

    @AfterEach
    void close() {
        cache.close();
        other.close();
    }

    @Test
    void aServerThatDoesNotAnswerFailsWithTheLibrarysExceptionNotAWrapper() {
        assertThat(redis.cli("CLIENT", "PAUSE", "3000", "ALL")).isEqualTo("OK");
        assertThatThrownBy(() -> cache.blocking().getKey("k"))
                .isInstanceOf(CacheBackendException.class)
                .isNotInstanceOf(CompletionException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> cache.blocking().setKey("k", "v"));
        assertThat(cache.blocking().getKey("k")).isEqualTo("v");
    }

    @Test
    void anInterruptedWaitIsCancelledAndTheInterruptIsKept() throws Exception {
        LockHandle holder = other.blocking().tryLock("job", Duration.ofMinutes(1)).orElseThrow();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> interruptKept = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                cache.blocking().lock("job", Duration.ofMinutes(1), Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                thrown.set(e);
                interruptKept.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> waiter.getState() == Thread.State.TIMED_WAITING || waiter.getState() == Thread.State.WAITING);
        waiter.interrupt();
        waiter.join(Duration.ofSeconds(10).toMillis());
        assertThat(thrown.get()).isInstanceOf(CacheBackendException.class)
                .hasCauseInstanceOf(InterruptedException.class).hasMessageContaining("interrupted");
        assertThat(interruptKept.get()).isTrue();

        holder.close();
        // the cancelled wait takes no lock afterwards: a third owner gets it and keeps it
        BlockingBrickworksCache third = other.forTenant("public").blocking();
        Optional<LockHandle> taken = third.lock("job", Duration.ofMinutes(1), Duration.ofSeconds(10));
        assertThat(taken).isPresent();
        assertThat(taken.get().isHeld().join()).isTrue();
        taken.get().close();
    }

    @Test
    void aCheckedExceptionFromLockWorkIsTheCauseOfACompletionException() {
        IOException failure = new IOException("disk full");
        assertThatThrownBy(() -> cache.blocking().withLock("job", Duration.ofSeconds(30), () -> {
            throw failure;
        })).isInstanceOf(CompletionException.class).hasCause(failure);
        assertThat(cache.blocking().attemptDistributedLock("job")).as("the lock was released").isTrue();
    }

    @Test
    void anUncheckedExceptionFromLockWorkIsThrownAsItIs() {
        IllegalStateException failure = new IllegalStateException("job failed");
        assertThatThrownBy(() -> cache.blocking().withLock("job", Duration.ofSeconds(30), (Runnable) () -> {
            throw failure;
        })).isSameAs(failure);
    }

    @Test
    void lockHandlesAndFunctionClearsHaveBlockingForms() {
        BlockingBrickworksCache view = cache.blocking();
        LockHandle handle = view.tryLock("job", Duration.ofSeconds(30)).orElseThrow();
        assertThat(view.isHeld(handle)).isTrue();
        assertThat(view.extend(handle, Duration.ofMinutes(1))).isTrue();
        assertThat(view.release(handle)).isTrue();
        assertThat(view.isHeld(handle)).isFalse();
        assertThat(view.release(handle)).as("released once only").isFalse();
        assertThatThrownBy(() -> view.isHeld(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("handle");

        CachedFunction.Sync1<Integer, Integer> twice = cache.functions().function("twice", Integer.class).sync(x -> 2 * x);
        assertThat(twice.apply(1)).isEqualTo(2);
        assertThat(twice.apply(2)).isEqualTo(4);
        assertThat(view.cacheClear("twice")).isEqualTo(2);
        assertThatThrownBy(() -> view.cacheClear("a:b")).isInstanceOf(IllegalArgumentException.class);
    }
}
