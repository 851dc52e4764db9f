package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.function.CachedFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The function cache's hit path against a plain {@code getKey} of the same backend, one call at a
 * time: an async function of one string argument returning a 100-byte string, every one of the
 * 10,000 arguments cached before measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class FunctionCacheBenchmark {

    /** {@code redis-near}: Redis with the near cache on. */
    @Param({"memory", "redis", "redis-near"})
    public String backend;

    private BrickworksCache cache;
    private CachedFunction.Async1<String, String> function;
    private final AtomicLong computed = new AtomicLong();
    private long computedWhenFilled;

    @Setup(Level.Trial)
    public void open() {
        if (backend.equals("redis")) {
            cache = Clients.brickworksRedis(BenchRedis.port());
        } else if (backend.equals("redis-near")) {
            cache = Clients.brickworksRedisNear(BenchRedis.port());
        } else {
            cache = Clients.brickworksMemory();
            for (String key : Keys.PLAIN) {
                cache.setKey(key, Keys.VALUE).join();
            }
        }
        function = cache.functions().function("bench.value", String.class)
                .async(argument -> {
                    computed.incrementAndGet();
                    return CompletableFuture.completedFuture(Keys.VALUE);
                });
        List<CompletableFuture<String>> fills = new ArrayList<>(Keys.COUNT);
        for (String key : Keys.PLAIN) {
            fills.add(function.apply(key));
        }
        fills.forEach(CompletableFuture::join);
        computedWhenFilled = computed.get();
    }

    /**
     * Every measured call must have been a hit: the function runs only while filling (on Redis, not
     * even then when an earlier trial on the same server stored the results).
     */
    @TearDown(Level.Iteration)
    public void checkOnlyHits() {
        long misses = computed.get() - computedWhenFilled;
        if (misses != 0) {
            throw new IllegalStateException("the function ran " + misses + " times after filling: not every "
                    + "measured call was a hit");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        cache.close();
    }

    @Benchmark
    public String cachedHit(Keys.Cursor cursor) {
        return function.apply(Keys.PLAIN[cursor.next()]).join();
    }

    @Benchmark
    public String plainGet(Keys.Cursor cursor) {
        return cache.getKey(Keys.PLAIN[cursor.next()]).join();
    }
}
