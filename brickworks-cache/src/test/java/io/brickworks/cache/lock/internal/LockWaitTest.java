package io.brickworks.cache.lock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.memory.MemoryBackendFactory;
import io.brickworks.cache.spi.CacheBackend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Waiting for a lock neither spins nor floods the store: exponential backoff with jitter, capped. */
class LockWaitTest {

    @Test
    void backoffGrowsExponentiallyWithJitterUpToItsCap() {
        Duration ttl = Duration.ofSeconds(30);
        for (int attempt = 0; attempt < 30; attempt++) {
            long full = Math.min(LockService.MAX_BACKOFF_MILLIS, LockService.FIRST_BACKOFF_MILLIS << Math.min(attempt, 20));
            long nanos = LockService.backoffNanos(attempt, ttl);
            assertThat(nanos).as("attempt %d", attempt)
                    .isBetween(TimeUnit.MILLISECONDS.toNanos(full) / 2, TimeUnit.MILLISECONDS.toNanos(full));
        }
    }

    @Test
    void backoffIsCappedAtAQuarterOfAShortTtl() {
        long nanos = LockService.backoffNanos(25, Duration.ofMillis(200));
        assertThat(nanos).isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void backoffIsJittered() {
        long first = LockService.backoffNanos(8, Duration.ofSeconds(30));
        boolean differs = false;
        for (int i = 0; i < 50 && !differs; i++) {
            differs = LockService.backoffNanos(8, Duration.ofSeconds(30)) != first;
        }
        assertThat(differs).as("waiting replicas do not retry in lockstep").isTrue();
    }

    @Test
    void aWaitOfOneSecondMakesAFewAttemptsNotThousands() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CacheBackend memory = new MemoryBackendFactory().create(CacheSettings.builder().build());
        CacheBackend counting = (CacheBackend) Proxy.newProxyInstance(CacheBackend.class.getClassLoader(),
                new Class<?>[] {CacheBackend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("acquireWithFence")) {
                        attempts.incrementAndGet();
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (BrickworksCache cache = BrickworksCache.builder().settings(CacheSettings.builder().build())
                .backend(counting).build()) {
            LockHandle holder = cache.tryLock("job", Duration.ofSeconds(30)).get(10, TimeUnit.SECONDS).orElseThrow();
            attempts.set(0);
            Optional<LockHandle> waited = cache.lock("job", Duration.ofSeconds(30), Duration.ofSeconds(1))
                    .get(10, TimeUnit.SECONDS);
            assertThat(waited).isEmpty();
            // 5, 10, 20, ... ms with jitter in [d/2, d] cover one second in about 8 to 10 attempts, plus
            // the last one at the deadline; a slow machine only makes fewer.
            assertThat(attempts.get()).isBetween(2, 14);
            holder.close();
        }
    }
}
