package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.function.CachedFunction;
import io.brickworks.cache.tck.ExecutorContract;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Where application code runs, on the shared redis-server; and where a large cached value is decoded. */
class RedisExecutorTest extends ExecutorContract {

    @Override
    protected CacheSettings.Builder settings() {
        return SharedRedis.settings();
    }

    @Override
    protected void clearStore() {
        SharedRedis.flush();
    }

    /** A result whose constructor, which the JSON decoder calls, records the thread it runs on. */
    public record Big(String text) {
        static final List<String> DECODED_ON = new CopyOnWriteArrayList<>();

        public Big {
            DECODED_ON.add(Thread.currentThread().getName());
        }
    }

    @Test
    void aLargeCachedValueIsDecodedOffTheRedisIoThreads() {
        String text = "x".repeat(64 * 1024);
        CachedFunction.Async1<String, Big> computing = cache.functions().function("big", Big.class)
                .async(x -> CompletableFuture.completedFuture(new Big(text)));
        await(computing.apply("a"));
        CachedFunction.Async1<String, Big> reading = newCache().functions().function("big", Big.class)
                .async(x -> CompletableFuture.failedFuture(new AssertionError("a hit must not compute")));
        Big.DECODED_ON.clear();

        assertThat(await(reading.apply("a")).text()).isEqualTo(text);
        assertThat(Big.DECODED_ON).isNotEmpty().allSatisfy(thread -> assertThat(thread)
                .doesNotContainIgnoringCase("lettuce").doesNotContainIgnoringCase("eventloop"));
    }
}
