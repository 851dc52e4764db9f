package io.brickworks.cache.function.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.function.CachedFunction;
import io.brickworks.cache.function.ResultType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The memory backend's hit path: results of immutable types are decoded once per write and shared;
 * results of other types are decoded for each caller, so one caller's changes never reach another.
 */
class InProcessHitTest {

    private final BrickworksCache cache = BrickworksCache.builder().settings(CacheSettings.builder().build()).build();

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void immutableResultsAreDecodedOncePerWrite() {
        AtomicInteger runs = new AtomicInteger();
        CachedFunction.Async1<String, String> f = cache.functions().function("greeting", String.class)
                .async(name -> {
                    runs.incrementAndGet();
                    return CompletableFuture.completedFuture(new String("hello " + name));
                });
        String first = f.apply("ann").join();
        String second = f.apply("ann").join();
        String third = f.apply("ann").join();
        assertThat(first).isEqualTo("hello ann");
        assertThat(third).isSameAs(second);
        assertThat(runs).hasValue(1);
        assertThat(f.stats().hits()).isEqualTo(2);

        // a new write is decoded anew
        f.invalidate(io.brickworks.cache.function.Arguments.of("ann")).join();
        String recomputed = f.apply("ann").join();
        assertThat(f.apply("ann").join()).isEqualTo("hello ann").isNotSameAs(second).isSameAs(f.apply("ann").join());
        assertThat(recomputed).isEqualTo("hello ann");
        assertThat(runs).hasValue(2);
    }

    @Test
    void mutableResultsAreDecodedForEachCaller() {
        CachedFunction.Async1<String, List<String>> f = cache.functions()
                .function("letters", new ResultType<List<String>>() { })
                .async(word -> CompletableFuture.completedFuture(new ArrayList<>(List.of(word.split("")))));
        f.apply("abc").join();
        List<String> mine = f.apply("abc").join();
        List<String> yours = f.apply("abc").join();
        assertThat(mine).isEqualTo(yours).isNotSameAs(yours);
        try {
            mine.clear();
        } catch (UnsupportedOperationException immutable) {
            // an immutable list is fine too: either way the next caller sees the stored value
        }
        assertThat(f.apply("abc").join()).containsExactly("a", "b", "c");
    }

    @Test
    void sharedTypesAreTheImmutableOnes() {
        assertThat(codec(String.class).sharesResults()).isTrue();
        assertThat(codec(Integer.class).sharesResults()).isTrue();
        assertThat(codec(int.class).sharesResults()).isTrue();
        assertThat(codec(BigDecimal.class).sharesResults()).isTrue();
        assertThat(codec(java.time.Instant.class).sharesResults()).isTrue();
        assertThat(codec(java.time.DayOfWeek.class).sharesResults()).as("an enum").isTrue();
        assertThat(codec(List.class).sharesResults()).isFalse();
        assertThat(codec(StringBuilder.class).sharesResults()).isFalse();
        assertThat(codec(int[].class).sharesResults()).isFalse();
        assertThat(new ResultCodec<>(DefaultCachedFunctionBuilder.DEFAULT_MAPPER, new ResultType<List<String>>() { }, null, Integer.MAX_VALUE)
                .sharesResults()).isFalse();
    }

    private static <R> ResultCodec<R> codec(Class<R> type) {
        return new ResultCodec<>(DefaultCachedFunctionBuilder.DEFAULT_MAPPER, ResultType.of(type), null, Integer.MAX_VALUE);
    }
}
