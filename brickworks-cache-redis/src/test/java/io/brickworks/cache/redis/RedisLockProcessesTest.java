package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.lock.LockOptions;
import io.brickworks.cache.lock.LockResult;
import io.brickworks.cache.tck.ChildJvm;
import io.brickworks.cache.tck.RedisServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locks across separate JVM processes ({@link LockWorker}) on one redis-server that this class
 * starts and owns (it restarts it, so it is not the shared one): thousands of contended
 * acquisitions with zero overlaps and strictly increasing fencing tokens, a holder killed with
 * SIGKILL, a holder paused (SIGSTOP) past its TTL, and a Redis restart during {@code withLock}.
 */
class RedisLockProcessesTest {

    private static final Duration LONG = Duration.ofSeconds(30);
    private static RedisServer redis;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private BrickworksCache cache;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void open() {
        redis.flushAll();
        cache = BrickworksCache.builder().settings(settings()).build();
    }

    @AfterEach
    void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        cache.close();
    }

    private static CacheSettings settings() {
        return CacheSettings.builder().useRedis(true).redisHost(redis.host()).redisPort(redis.port()).build();
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    /** Starts a {@link LockWorker} in its own JVM with the test class path; its output goes to {@code out}. */
    private Process spawn(Path out, String... args) throws IOException {
        Process p = ChildJvm.start(out, List.of(), LockWorker.class, args);
        processes.add(p);
        return p;
    }

    private static String output(Path out) {
        return ChildJvm.output(out);
    }

    /** Waits for a line starting with {@code prefix} in the worker's output and returns the rest of it. */
    private static String awaitLine(Path out, String prefix) {
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (String line : output(out).split("\n")) {
                if (line.startsWith(prefix)) {
                    found[0] = line.substring(prefix.length()).trim();
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s", signal).isZero();
    }

    @Test
    void severalProcessesNeverHoldTheLockAtOnce() throws Exception {
        int workers = 4;
        int iterations = 600;
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Path out = dir.resolve("contend-" + i + ".log");
            outputs.add(out);
            spawn(out, "contend", String.valueOf(redis.port()), "payments", String.valueOf(iterations), "5000");
        }
        for (int i = 0; i < workers; i++) {
            Process p = processes.get(i);
            assertThat(p.waitFor(8, TimeUnit.MINUTES)).as("worker %d finished", i).isTrue();
            assertThat(p.exitValue()).as("worker %d exit code; output:%n%s", i, output(outputs.get(i))).isZero();
            assertThat(output(outputs.get(i))).contains("DONE " + iterations).doesNotContain("OVERLAP");
            System.out.printf("worker %d: %s", i, output(outputs.get(i)));
        }
        String log = redis.cli("LRANGE", "brickworks:public:fencing:tokens", "0", "-1");
        String[] entries = log.strip().split("\n");
        assertThat(entries).hasSize(workers * iterations);
        long previous = 0;
        Set<String> holders = new HashSet<>();
        for (String entry : entries) {
            String[] parts = entry.strip().split(" ");
            long token = Long.parseLong(parts[0]);
            assertThat(token).as("tokens in the order the holders wrote them").isGreaterThan(previous);
            previous = token;
            holders.add(parts[1]);
        }
        assertThat(holders).as("every process held the lock").hasSize(workers);
    }

    /**
     * Negative control for {@link #severalProcessesNeverHoldTheLockAtOnce}: the same workers with the
     * lock planted away are caught by the same overlap check.
     */
    @Test
    void negativeControlWithoutTheLockTheSameWorkersReportAnOverlap() throws Exception {
        int workers = 3;
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Path out = dir.resolve("unlocked-" + i + ".log");
            outputs.add(out);
            spawn(out, "contend-unlocked", String.valueOf(redis.port()), "payments", "1000", "5000");
        }
        int overlaps = 0;
        for (int i = 0; i < workers; i++) {
            Process p = processes.get(i);
            assertThat(p.waitFor(8, TimeUnit.MINUTES)).as("worker %d finished", i).isTrue();
            if (p.exitValue() == 3) {
                assertThat(output(outputs.get(i))).contains("OVERLAP");
                overlaps++;
            }
        }
        assertThat(overlaps).as("workers that saw another holder inside the critical section").isPositive();
    }

    @Test
    void aHolderKilledWithSigkillIsTakenOverWithinItsTtl() throws Exception {
        Duration ttl = Duration.ofSeconds(2);
        Path out = dir.resolve("hold.log");
        Process holder = spawn(out, "hold", String.valueOf(redis.port()), "payments", String.valueOf(ttl.toMillis()));
        long holderToken = Long.parseLong(awaitLine(out, "HELD "));
        assertThat(get(cache.tryLock("payments", LONG))).as("the holder renews its lock").isEmpty();

        holder.destroyForcibly();
        assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long killed = System.nanoTime();
        Duration margin = Duration.ofMillis(2000);
        Optional<LockHandle> taken = get(cache.lock("payments", LONG, ttl.plus(margin)));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);

        assertThat(taken).as("taken over within the TTL (%s) plus %s", ttl, margin).isPresent();
        assertThat(taken.get().fencingToken()).isGreaterThan(holderToken);
        System.out.printf("takeover after SIGKILL: %d ms (ttl %d ms)%n", tookMillis, ttl.toMillis());
    }

    @Test
    void aHolderPausedPastItsTtlLosesTheLockAndLeavesTheNewHoldersLock() throws Exception {
        Path out = dir.resolve("paused.log");
        Process holder = spawn(out, "hold", String.valueOf(redis.port()), "payments", "1000");
        long holderToken = Long.parseLong(awaitLine(out, "HELD "));

        signal(holder, "STOP");
        LockHandle taken;
        try {
            Optional<LockHandle> t = get(cache.lock("payments", LONG, Duration.ofSeconds(20)));
            assertThat(t).as("the paused holder's TTL ran out").isPresent();
            taken = t.get();
        } finally {
            signal(holder, "CONT");
        }
        assertThat(taken.fencingToken()).isGreaterThan(holderToken);

        assertThat(awaitLine(out, "RESULT ")).isEqualTo("LOST");
        assertThat(output(out)).contains("LOST\n");
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(get(taken.isHeld())).as("the old holder's release left the new holder's lock").isTrue();
        assertThat(redis.cli("PTTL", "brickworks:public:__locks__:payments")).satisfies(ttl ->
                assertThat(Long.parseLong(ttl)).isGreaterThan(LONG.toMillis() - 10_000));
    }

    @Test
    void aRedisRestartDuringWithLockTellsTheCallerTheLockWasLost() throws Exception {
        CompletableFuture<String> work = new CompletableFuture<>();
        CountDownLatch lost = new CountDownLatch(1);
        AtomicBoolean started = new AtomicBoolean();
        CompletableFuture<LockResult<String>> result = cache.withLock("payments",
                LockOptions.of(Duration.ofSeconds(1)).withOnLost(h -> lost.countDown()), lock -> {
                    started.set(true);
                    return work;
                });
        await().atMost(Duration.ofSeconds(10)).untilTrue(started);

        redis.restart();
        assertThat(lost.await(30, TimeUnit.SECONDS)).as("the onLost callback was called").isTrue();
        work.complete("stopped");
        LockResult<String> done = get(result);
        assertThat(done.status()).isEqualTo(LockResult.Status.LOST);
        assertThat(done.value()).isEqualTo("stopped");
    }

    @Test
    void fencingTokensKeepIncreasingAcrossARestartWithoutPersistence() throws Exception {
        long before;
        try (LockHandle lock = get(cache.tryLock("payments", LONG)).orElseThrow()) {
            before = lock.fencingToken();
        }
        redis.restart();
        assertThat(redis.cli("EXISTS", "brickworks:public:__locks__:payments:fence")).as("the counter is gone")
                .isEqualTo("0");
        LockHandle after = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> get(cache.tryLock("payments", LONG)), Optional::isPresent).get();
        assertThat(after.fencingToken()).isGreaterThan(before);
    }
}
