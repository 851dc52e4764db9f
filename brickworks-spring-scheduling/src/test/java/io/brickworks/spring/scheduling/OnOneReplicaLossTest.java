package io.brickworks.spring.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A running {@link OnOneReplica} method whose renewals fail, because this test pauses (SIGSTOP) its own
 * redis-server for longer than the TTL, is told that its lock is lost; another owner then gets the lock.
 */
class OnOneReplicaLossTest {

    private RedisServer redis;
    private BrickworksCache cache;
    private AnnotationConfigApplicationContext context;
    private final ExecutorService caller = Executors.newSingleThreadExecutor();
    private final Running running = new Running();

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        cache = BrickworksCache.builder().settings(CacheSettings.builder().useRedis(true).redisHost(redis.host())
                .redisPort(redis.port()).commandTimeout(Duration.ofSeconds(1)).build()).build();
        context = new AnnotationConfigApplicationContext();
        context.registerBean(BrickworksCache.class, () -> cache);
        context.registerBean(Running.class, () -> running);
        context.registerBean(Job.class);
        context.register(Config.class);
        context.refresh();
    }

    @AfterEach
    void stop() throws Exception {
        signal("CONT");
        caller.shutdownNow();
        context.close();
        cache.close();
        redis.close();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableOnOneReplica
    static class Config {
    }

    /** The lock the job runs with, seen by the test (a bean of its own: the job's fields are behind its proxy). */
    static class Running extends AtomicReference<ReplicaLock> {
    }

    static class Job {
        private final Running running;

        Job(Running running) {
            this.running = running;
        }

        /** Works until its lock is lost (at most 60 s); returns whether it saw the loss. */
        @OnOneReplica(name = "payments", ttl = "1s")
        public Boolean workUntilLost() {
            ReplicaLock lock = ReplicaLock.current();
            running.set(lock);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!lock.isLost() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return lock.isLost();
        }
    }

    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(redis.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aMethodWhoseRenewalFailsIsToldItsLockIsLost() throws Exception {
        Job job = context.getBean(Job.class);
        CompletableFuture<Boolean> result = CompletableFuture.supplyAsync(job::workUntilLost, caller);
        await().atMost(Duration.ofSeconds(20)).until(() -> running.get() != null);
        ReplicaLock lock = running.get();
        assertThat(lock.isLost()).isFalse();

        signal("STOP");
        Thread.sleep(2_500);
        signal("CONT");

        assertThat(result.get(30, TimeUnit.SECONDS)).as("the method saw ReplicaLock.isLost()").isTrue();
        assertThat(lock.isLost()).isTrue();
        assertThat(cache.masterTenant().tryLock("payments", Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS))
                .as("the lock expired and another owner takes it").isPresent();
    }
}
