package io.brickworks.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.tck.RedisServer;
import io.brickworks.spring.boot.replicas.ReplicaApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * {@code Cache.putIfAbsent} is atomic: two callers started together on one key, in two replicas (two
 * contexts, two Redis clients) on one real redis-server and in one context on the memory backend:
 * in every round exactly one stores, the other gets the winner's value back, and both replicas then
 * read the winner's value. The negative control plants a putIfAbsent that writes without looking
 * and shows that the same check catches it.
 */
class PutIfAbsentTest {

    private static final int ROUNDS = 100;

    private static RedisServer redis;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(ReplicaApplication.class);

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private ApplicationContextRunner onRedis() {
        return runner.withPropertyValues("brickworks.cache.use-redis=true",
                "brickworks.cache.redis.host=" + redis.host(), "brickworks.cache.redis.port=" + redis.port());
    }

    @Test
    void twoReplicasOnRedisNeverBothStore() {
        redis.flushAll();
        onRedis().run(a -> onRedis().run(b -> {
            Cache onA = a.getBean(CacheManager.class).getCache("claims");
            Cache onB = b.getBean(CacheManager.class).getCache("claims");
            assertThat(badRounds(onA, onB, true)).as("rounds without exactly one winner").isEmpty();
        }));
    }

    @Test
    void twoCallersOnMemoryNeverBothStore() {
        runner.run(context -> {
            Cache cache = context.getBean(CacheManager.class).getCache("claims");
            assertThat(badRounds(cache, cache, true)).as("rounds without exactly one winner").isEmpty();
        });
    }

    @Test
    void negativeControlABlindPutIsCaught() {
        redis.flushAll();
        BrickworksSpringCache.blindPutIfAbsent = true;
        try {
            onRedis().run(a -> onRedis().run(b -> {
                Cache onA = a.getBean(CacheManager.class).getCache("claims");
                Cache onB = b.getBean(CacheManager.class).getCache("claims");
                assertThat(badRounds(onA, onB, false)).as("the planted bug is seen").isNotEmpty();
            }));
        } finally {
            BrickworksSpringCache.blindPutIfAbsent = false;
        }
    }

    /**
     * Runs the rounds (concurrently, or one caller after the other) and returns those in which not
     * exactly one caller stored, or a caller or a replica saw another value than the winner's.
     */
    private static List<String> badRounds(Cache a, Cache b, boolean concurrently) throws Exception {
        List<String> bad = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String key = "round-" + round;
                Cache.ValueWrapper[] results = new Cache.ValueWrapper[2];
                if (concurrently) {
                    CyclicBarrier together = new CyclicBarrier(2);
                    CompletableFuture<?> first = CompletableFuture.runAsync(() -> results[0] = claim(a, key, "a", together), pool);
                    CompletableFuture<?> second = CompletableFuture.runAsync(() -> results[1] = claim(b, key, "b", together), pool);
                    CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
                } else {
                    results[0] = a.putIfAbsent(key, "a");
                    results[1] = b.putIfAbsent(key, "b");
                }
                int winners = (results[0] == null ? 1 : 0) + (results[1] == null ? 1 : 0);
                String winner = results[0] == null ? "a" : "b";
                boolean losersSawIt = winners != 1 || (results[0] == null ? results[1] : results[0]).get().equals(winner);
                if (winners != 1 || !losersSawIt || !winner.equals(a.get(key, String.class))
                        || !winner.equals(b.get(key, String.class))) {
                    bad.add(key + ": " + winners + " winners");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return bad;
    }

    private static Cache.ValueWrapper claim(Cache cache, String key, String value, CyclicBarrier together) {
        try {
            together.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return cache.putIfAbsent(key, value);
    }
}
