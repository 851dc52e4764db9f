package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.function.CachedFunction;
import io.brickworks.cache.tck.FunctionCacheContract;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The function cache contract on the shared redis-server (every instance of a test has its own
 * connections, as replicas would), plus what a plain Redis client sees.
 */
class RedisFunctionCacheTest extends FunctionCacheContract {

    @Override
    protected CacheSettings.Builder settings() {
        return SharedRedis.settings();
    }

    @Override
    protected void clearStore() {
        SharedRedis.flush();
    }

    @Override
    protected OptionalLong storedKeyCount() {
        return OptionalLong.of(SharedRedis.keyCount());
    }

    @Test
    void asyncFunctionsNeverRunOnALettuceThread() {
        AtomicReference<String> ranOn = new AtomicReference<>();
        CachedFunction.Async1<Integer, Integer> f = cache.functions().function("thread", Integer.class)
                .async(x -> {
                    ranOn.set(Thread.currentThread().getName());
                    return CompletableFuture.completedFuture(x);
                });
        assertThat(await(f.apply(1))).isEqualTo(1);
        assertThat(ranOn.get()).isNotNull().doesNotContainIgnoringCase("lettuce").doesNotContainIgnoringCase("eventloop");
    }

    @Test
    void aPlainClientSeesTheOriginalsKeysAndJsonValuesAndCanTamper() {
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async2<Integer, Integer, Integer> add = cache.functions().function("add", Integer.class)
                .expire(Duration.ofSeconds(60))
                .async((a, b) -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(a + b);
                });
        await(add.apply(1, 2));
        String key = fullKey(MASTER, NS, "add-" + SHA_1_2);
        assertThat(SharedRedis.server().cli("TYPE", key)).isEqualTo("string");
        assertThat(SharedRedis.server().cli("GET", key)).matches("\\{\"ms\":\\d+,\"v\":3\\}");
        assertThat(Long.parseLong(SharedRedis.server().cli("PTTL", key))).isBetween(1L, 60_000L);
        assertThat(SharedRedis.server().cli("SMEMBERS", indexKey(MASTER, NS, "add"))).isEqualTo(key);

        SharedRedis.server().cli("SET", key, "\u00ac\u00ed not json");
        assertThat(await(add.apply(1, 2))).isEqualTo(3);
        assertThat(calls).hasValue(2);
        assertThat(SharedRedis.server().cli("GET", key)).matches("\\{\"ms\":\\d+,\"v\":3\\}");
    }
}
