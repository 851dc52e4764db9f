package io.brickworks.cache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.tck.ChildJvm;
import io.brickworks.cache.tck.RedisServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entry processors are atomic across replicas: two JVM processes ({@link IncrementReplica}) on one
 * redis-server, near cache on, each increment one entry with {@code invoke} at the same time; the
 * entry ends at the sum. The negative control plants the bug (the replicas skip the entry lock) and
 * shows that the same run then loses increments.
 */
class EntryProcessorProcessesTest {

    /** Increments per replica (the 10,000); {@code -Djcache.increments=...} for a quicker local run. */
    private static final int TIMES = Integer.getInteger("jcache.increments", 10_000);

    @TempDir
    Path dir;

    private RedisServer redis;
    private CacheManager manager;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        manager = Caching.getCachingProvider().getCacheManager(URI.create("urn:brickworks:increment"),
                getClass().getClassLoader(), IncrementReplica.redisProperties(redis.port()));
    }

    @AfterEach
    void stop() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        manager.close();
        redis.close();
    }

    /** Runs two replicas of {@code times} increments each, started together; the entry's final value. */
    private long runTwoReplicas(int times, String... mode) throws Exception {
        List<Path> outs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path out = dir.resolve("replica-" + i + ".log");
            outs.add(out);
            List<String> args = new ArrayList<>(List.of(Integer.toString(redis.port()), Integer.toString(times)));
            args.addAll(List.of(mode));
            processes.add(ChildJvm.start(out, List.of(), IncrementReplica.class, args.toArray(String[]::new)));
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> outs.stream()
                .allMatch(o -> ChildJvm.output(o).contains("ready")));
        BrickworksCache library = manager.unwrap(BrickworksCache.class);
        library.blocking().pushToQueue("go", "1");
        library.blocking().pushToQueue("go", "2");
        for (int i = 0; i < 2; i++) {
            assertThat(processes.get(i).waitFor(300, TimeUnit.SECONDS)).as("replica %d ended", i).isTrue();
            assertThat(processes.get(i).exitValue()).as("replica %d: %s", i, ChildJvm.output(outs.get(i))).isZero();
        }
        Cache<String, Long> counter = IncrementReplica.counter(manager);
        return counter.get("n");
    }

    @Test
    void twoProcessesIncrementingOneEntryEndAtTheSum() throws Exception {
        assertThat(runTwoReplicas(TIMES)).isEqualTo(2L * TIMES);
    }

    @Test
    void negativeControlWithoutTheEntryLockIncrementsAreLost() throws Exception {
        assertThat(runTwoReplicas(2_000, "unlocked")).isLessThan(4_000L);
    }
}
