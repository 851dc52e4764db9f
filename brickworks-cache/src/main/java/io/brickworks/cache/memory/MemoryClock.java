package io.brickworks.cache.memory;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory backends' clock and housekeeping: one daemon thread per JVM, running while at least one
 * memory backend on the system ticker is open. Every {@link #TICK_NANOS} it publishes
 * {@link System#nanoTime()} in a volatile field, so that a read checks an entry's deadline with a
 * field read instead of a clock read (about 29 ns on the 2-core machine of the benchmarks, more than
 * a whole Caffeine lookup); every {@link #SWEEP_NANOS} it lets each backend reclaim some expired
 * entries.
 *
 * <p>The published time lags the real one by up to a tick while this thread is scheduled. A reader
 * therefore treats the published time as exact only when the deadline is more than
 * {@link #SLACK_NANOS} away and reads the real clock otherwise (see {@link MemoryBackend}); expiry
 * stays exact unless this thread is kept off a core for longer than the slack.
 */
final class MemoryClock {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryClock.class);

    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A deadline closer than this to the published time is checked against the real clock. */
    static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static volatile long now = System.nanoTime();

    private static final Object LOCK = new Object();
    /** The open backends; guarded by LOCK. */
    private static final List<WeakReference<MemoryBackend>> BACKENDS = new ArrayList<>();
    /** The running thread, or null; guarded by LOCK. */
    private static Thread thread;

    private MemoryClock() {
    }

    /** {@link System#nanoTime()} as of the last tick: never ahead of the real clock. */
    static long now() {
        return now;
    }

    /** Starts ticking (if not yet) for {@code backend}, until it {@link #unregister unregisters} or is collected. */
    static void register(MemoryBackend backend) {
        synchronized (LOCK) {
            BACKENDS.add(new WeakReference<>(backend));
            if (thread == null) {
                now = System.nanoTime();
                thread = new Thread(MemoryClock::run, "brickworks-memory-clock");
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    static void unregister(MemoryBackend backend) {
        synchronized (LOCK) {
            BACKENDS.removeIf(ref -> ref.get() == null || ref.get() == backend);
        }
    }

    /** Whether {@code backend} is registered. For tests. */
    static boolean isRegistered(MemoryBackend backend) {
        synchronized (LOCK) {
            return BACKENDS.stream().anyMatch(ref -> ref.get() == backend);
        }
    }

    /** How many registered backends are still reachable. For tests. */
    static int registered() {
        synchronized (LOCK) {
            return (int) BACKENDS.stream().filter(ref -> ref.get() != null).count();
        }
    }

    private static void run() {
        long lastSweep = System.nanoTime();
        while (true) {
            long t = System.nanoTime();
            now = t;
            if (t - lastSweep >= SWEEP_NANOS) {
                lastSweep = t;
                List<MemoryBackend> open = new ArrayList<>();
                synchronized (LOCK) {
                    BACKENDS.removeIf(ref -> ref.get() == null);
                    if (BACKENDS.isEmpty()) {
                        thread = null;
                        return;
                    }
                    for (WeakReference<MemoryBackend> ref : BACKENDS) {
                        MemoryBackend b = ref.get();
                        if (b != null) {
                            open.add(b);
                        }
                    }
                }
                for (MemoryBackend b : open) {
                    try {
                        b.sweepSome();
                    } catch (RuntimeException e) {
                        LOG.warn("Reclaiming expired entries of a memory backend failed; retrying on the next sweep", e);
                    }
                }
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
    }
}
