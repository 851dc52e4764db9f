package io.brickworks.cache.tck;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.lock.LockHandle;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;

/**
 * Draws fencing tokens through a cache, for the tests that apply a fault between two holders of a
 * lock (a restart, a failover, a promotion by hand) and check that the token after the fault is
 * above every token before it.
 */
public final class FencingProbe {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final long CALL_SECONDS = 10;

    private FencingProbe() {
    }

    /**
     * Takes and releases the lock {@code name} {@code times} times in a row and returns the highest
     * token handed out.
     */
    public static long draw(BrickworksCache cache, String name, int times) throws Exception {
        long highest = 0;
        for (int i = 0; i < times; i++) {
            LockHandle handle = cache.tryLock(name, TTL).get(CALL_SECONDS, TimeUnit.SECONDS)
                    .orElseThrow(() -> new IllegalStateException("lock '" + name + "' is held by someone else"));
            highest = Math.max(highest, handle.fencingToken());
            handle.release().get(CALL_SECONDS, TimeUnit.SECONDS);
        }
        return highest;
    }

    /**
     * The token of the first holder after a fault: retries (the cache may still be reconnecting or
     * following a failover) until one acquisition succeeds, releases it and returns its token.
     */
    public static long next(BrickworksCache cache, String name) {
        AtomicLong token = new AtomicLong();
        Awaitility.await("an acquisition of '" + name + "' after the fault").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> {
                    Optional<LockHandle> held = cache.tryLock(name, TTL).get(CALL_SECONDS, TimeUnit.SECONDS);
                    if (held.isEmpty()) {
                        return false;
                    }
                    token.set(held.get().fencingToken());
                    held.get().release().get(CALL_SECONDS, TimeUnit.SECONDS);
                    return true;
                });
        return token.get();
    }
}
