package io.brickworks.cache.redis;

import static io.brickworks.cache.SetOptions.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Continuations on Lettuce's I/O threads, many callers on one connection, and closing from a continuation. */
class RedisThreadingTest {

    @BeforeEach
    void flush() {
        SharedRedis.flush();
    }

    /** Continuations run on whichever thread completes the previous call, often a Lettuce I/O thread. */
    @Test
    void callsChainedInContinuationsComplete() throws Exception {
        try (BrickworksCache cache = SharedRedis.openCache()) {
            String value = cache.setKey("a", "1")
                    .thenCompose(ok -> cache.getKey("a"))
                    .thenCompose(v -> cache.setKey("b", v + "2", options().indices("chain")))
                    .thenCompose(ok -> cache.listKeysByIndex("chain"))
                    .thenCompose(keys -> cache.getKey(keys.get(0)))
                    .get(10, TimeUnit.SECONDS);
            assertThat(value).isEqualTo("12");
        }
    }

    @Test
    void manyThreadsShareTheOneConnectionAndEveryAnswerMatchesItsCall() throws Exception {
        try (BrickworksCache cache = SharedRedis.openCache()) {
            List<CompletableFuture<Boolean>> checks = new ArrayList<>();
            IntStream.range(0, 8).parallel().forEach(t -> {
                for (int i = 0; i < 500; i++) {
                    String key = "t" + t + "-" + i;
                    CompletableFuture<Boolean> check = cache.setKey(key, key)
                            .thenCompose(ok -> cache.getKey(key))
                            .thenApply(key::equals);
                    synchronized (checks) {
                        checks.add(check);
                    }
                }
            });
            CompletableFuture.allOf(checks.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            assertThat(checks).hasSize(4000).allSatisfy(c -> assertThat(c.join()).isTrue());
            assertThat(SharedRedis.keyCount()).isEqualTo(4000);
        }
    }

    @Test
    void closingFromAContinuationDoesNotDeadlockAndReleasesTheThreads() throws Exception {
        BrickworksCache cache = SharedRedis.openCache();
        cache.setKey("k", "v").thenRun(cache::close).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> cache.getKey("k")).isInstanceOf(IllegalStateException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> SharedRedis.server().cli("CLIENT", "LIST")
                .lines().noneMatch(line -> line.contains("name=brickworks-cache")));
    }
}
