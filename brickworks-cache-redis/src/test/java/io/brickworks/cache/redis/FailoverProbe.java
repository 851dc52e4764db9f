package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.SetOptions;
import io.brickworks.cache.spi.CacheBackendException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;

/**
 * Writes keys through a cache while a primary is down and checks what became of each: every write
 * must either succeed (and then be readable afterwards) or fail with a
 * {@link CacheBackendException}; none may hang or vanish.
 */
final class FailoverProbe implements AutoCloseable {

    /** How long a write may take at most: the command timeout plus slack for a loaded machine. */
    private static final Duration OUTCOME_WITHIN = Duration.ofSeconds(20);

    private final BrickworksCache cache;
    private final List<Write> writes = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread writer;

    private record Write(String key, String value, CompletableFuture<Boolean> outcome) {
    }

    /** What became of the writes. */
    record Outcome(int succeeded, int failed, List<String> failures) {
    }

    /** Starts writing {@code batch} keys every 50 ms until {@link #stop()}. */
    FailoverProbe(BrickworksCache cache, int batch) {
        this.cache = cache;
        this.writer = new Thread(() -> {
            int n = 0;
            while (running.get()) {
                for (int i = 0; i < batch; i++, n++) {
                    String key = "during-" + n;
                    String value = "v" + n;
                    CompletableFuture<Boolean> f = cache.setKey(key, value);
                    synchronized (writes) {
                        writes.add(new Write(key, value, f));
                    }
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "failover-probe");
        writer.start();
    }

    /**
     * Stops writing, waits for every write's outcome and checks each: a success is readable now
     * with its value, a failure is a {@code CacheBackendException}.
     */
    Outcome stop() throws InterruptedException {
        running.set(false);
        writer.join();
        List<Write> all;
        synchronized (writes) {
            all = List.copyOf(writes);
        }
        int ok = 0;
        List<String> failures = new ArrayList<>();
        List<Write> succeeded = new ArrayList<>();
        for (Write w : all) {
            try {
                assertThat(w.outcome().get(OUTCOME_WITHIN.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                ok++;
                succeeded.add(w);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof CacheBackendException)) {
                    fail("a write failed with something other than CacheBackendException", e.getCause());
                }
                failures.add(e.getCause().getMessage());
            } catch (TimeoutException e) {
                fail("a write had no outcome within " + OUTCOME_WITHIN + ": it was lost");
            }
        }
        for (Write w : succeeded) {
            assertThat(readEventually(w.key())).as("value of %s, whose write succeeded", w.key()).isEqualTo(w.value());
        }
        return new Outcome(ok, failures.size(), failures);
    }

    /** Number of keys {@link #writeBefore} writes. */
    static final int BEFORE = 100;

    /** Writes {@value #BEFORE} keys {@code before-<i>} = {@code v<i>} with index {@code all}, before a failover. */
    static void writeBefore(BrickworksCache cache) throws Exception {
        for (int i = 0; i < BEFORE; i++) {
            assertThat(cache.setKey("before-" + i, "v" + i, SetOptions.options().indices("all"))
                    .get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** {@link #stop()}, then prints what became of the writes (failure messages with digits masked). */
    Outcome stopAndReport(String what) throws InterruptedException {
        Outcome outcome = stop();
        System.out.printf("%s: %d writes succeeded, %d failed%n", what, outcome.succeeded(), outcome.failed());
        outcome.failures().stream().map(m -> m.replaceAll("[0-9]+", "N")).distinct().limit(5)
                .forEach(m -> System.out.println("  failure: " + m));
        return outcome;
    }

    /**
     * After a failover: every key of {@link #writeBefore} is still there and indexed, some writes got
     * through during it, and writes succeed again afterwards.
     */
    static void assertNothingLostAndWritesResume(BrickworksCache cache, Outcome outcome) throws Exception {
        for (int i = 0; i < BEFORE; i++) {
            assertThat(readEventually(cache, "before-" + i)).isEqualTo("v" + i);
        }
        assertThat(outcome.succeeded()).as("writes that succeeded during the failover").isPositive();
        assertThat(cache.listKeysByIndex("all").get(10, TimeUnit.SECONDS)).hasSize(BEFORE);
        Awaitility.await("writes succeed after the failover").atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> cache.setKey("after", "v").get(10, TimeUnit.SECONDS));
    }

    /** The value of {@code key}, retrying reads that fail while the client catches up with the topology. */
    String readEventually(String key) {
        return readEventually(cache, key);
    }

    private static String readEventually(BrickworksCache cache, String key) {
        String[] value = new String[1];
        Awaitility.await("read of " + key).atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .ignoreException(ExecutionException.class)
                .until(() -> {
                    value[0] = cache.getKey(key).get(10, TimeUnit.SECONDS);
                    return true;
                });
        return value[0];
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        writer.join();
    }
}
