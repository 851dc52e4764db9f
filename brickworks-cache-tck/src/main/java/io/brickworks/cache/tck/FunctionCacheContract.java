package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.TenantScope;
import io.brickworks.cache.Tenants;
import io.brickworks.cache.function.Arguments;
import io.brickworks.cache.function.Cached;
import io.brickworks.cache.function.CachedFunction;
import io.brickworks.cache.function.CachedResults;
import io.brickworks.cache.function.FunctionCache;
import io.brickworks.cache.function.FunctionCacheStats;
import io.brickworks.cache.function.ResultType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The function cache: every function-cache case of the original's suite (hits, misses, argument
 * forms including keyword-style arguments, clear per tenant, tenant isolation, unserializable
 * arguments), the original's key schema, typed and generic results, strict decoding of tampered
 * entries, exceptions and nulls, expiry, single flight in one process and across instances on one
 * store (with the computing instance closed mid-computation), the bounded wait, early refresh,
 * counters, and the {@link Cached} proxy.
 */
public abstract class FunctionCacheContract extends CacheContract {

    /** The SHA-256 of Python's {@code json.dumps({"args": [1, 2], "kwargs": {}}, sort_keys=True)}. */
    protected static final String SHA_1_2 = "06a9772a8215289fdc4ff84d46b1ce1f48b364a05bd9b18f1596351c63b3f5ac";

    /** The SHA-256 of Python's {@code json.dumps({"args": [1], "kwargs": {}}, sort_keys=True)}. */
    protected static final String SHA_1 = "2da0b9c5f1a93f3096b5e6b58e16d62dca4a20600a461c3ac81d67c914731ab7";

    protected static final String NS = "FUNC_CACHE";

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    public record Item(String name, int quantity) {
    }

    public record ItemV2(String name, int quantity, String sku) {
    }

    /** Counts its calls; adds two numbers. */
    protected static final class Adder {
        final AtomicInteger calls = new AtomicInteger();

        CompletableFuture<Integer> add(Integer a, Integer b) {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(a + b);
        }
    }

    private CachedFunction.Async2<Integer, Integer, Integer> adder(BrickworksCache on, Adder adder) {
        return on.functions().function("add", Integer.class).expire(Duration.ofSeconds(10)).async(adder::add);
    }

    // ------------------------------------------------------------------ the original's cases

    @Test
    void hitsAndMisses() {
        Adder adder = new Adder();
        CachedFunction.Async2<Integer, Integer, Integer> add = adder(cache, adder);

        assertThat(await(add.apply(1, 2))).isEqualTo(3);
        assertThat(adder.calls).hasValue(1);
        assertThat(await(add.apply(1, 2))).isEqualTo(3);
        assertThat(adder.calls).as("same arguments: a hit").hasValue(1);
        assertThat(await(add.apply(2, 3))).isEqualTo(5);
        assertThat(adder.calls).as("other arguments: a miss").hasValue(2);
        assertThat(await(add.apply(2, 1))).isEqualTo(3);
        assertThat(adder.calls).as("argument order matters").hasValue(3);

        FunctionCacheStats stats = add.stats();
        assertThat(stats.hits()).isEqualTo(1);
        assertThat(stats.misses()).isEqualTo(3);
        assertThat(stats.computations()).isEqualTo(3);
        assertThat(stats.calls()).isEqualTo(4);
    }

    @Test
    void keywordStyleArguments() {
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.AsyncN<String> concat = cache.functions().function("concat", String.class)
                .expire(Duration.ofSeconds(10))
                .asyncArgs(args -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(args.get(0) + "-" + args.get("b", 0));
                });
        assertThat(await(concat.call(Arguments.of(1).with("b", 2)))).isEqualTo("1-2");
        assertThat(await(concat.call(Arguments.of(1).with("b", 2)))).isEqualTo("1-2");
        assertThat(await(concat.call(Arguments.of(1).with("b", 3)))).isEqualTo("1-3");
        assertThat(calls).as("only two distinct calls").hasValue(2);
        assertThat(await(concat.call(1))).isEqualTo("1-0");
        assertThat(calls).as("positional only is another key").hasValue(3);
    }

    @Test
    void unserializableArgumentsAreRejectedAndNothingIsCached() {
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async1<Object, String> f = cache.functions().function("describe", String.class)
                .async(x -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(String.valueOf(x));
                });
        RuntimeException thrown = assertNothingWritten(() -> f.apply(new Object()),
                indexKey(MASTER, NS, "describe"));
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'describe'").hasMessageContaining("argument 1");
        Runnable lambda = () -> { };
        assertThatThrownBy(() -> f.apply(lambda)).isInstanceOf(IllegalArgumentException.class);
        assertThat(calls).as("the function never ran").hasValue(0);
        assertThat(await(cache.listKeysByIndex("describe", NS))).isEmpty();
    }

    @Test
    void unserializableResultsFailTheCallAndNothingIsCached() {
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async1<Integer, Object> f = cache.functions().function("opaque", Object.class)
                .async(x -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(new Object());
                });
        assertThatThrownBy(() -> await(f.apply(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'opaque'");
        assertThat(stored(fullKey(MASTER, NS, "opaque-" + SHA_1))).isFalse();
        assertThatThrownBy(() -> await(f.apply(1))).isInstanceOf(IllegalStateException.class);
        assertThat(calls).hasValue(2);
    }

    @Test
    void keysAndIndexAsTheOriginal() {
        CachedFunction.Async2<Integer, Integer, Integer> add = adder(cache, new Adder());
        await(add.apply(1, 2));

        String key = fullKey(MASTER, NS, "add-" + SHA_1_2);
        assertThat(stored(key)).isTrue();
        assertThat(ttlMillis(key)).isBetween(1L, 10_000L);
        assertThat(await(backend().setMembers(indexKey(MASTER, NS, "add")))).containsExactly(key);
        assertThat(await(cache.listKeysByIndex("add", NS))).containsExactly("add-" + SHA_1_2);
        assertThat(ttlMillis(fullKey(MASTER, NS, "add-" + SHA_1_2 + ".computing")))
                .as("the lease is released").isEqualTo(-2L);
    }

    @Test
    void tenantIsolation() {
        BrickworksCache tenanted = newCache(b -> b.multiTenancyEnabled(true));
        Adder adder = new Adder();
        CachedFunction.Async2<Integer, Integer, Integer> add = adder(tenanted, adder);

        assertThat(inTenant(MASTER, () -> add.apply(1, 2))).isEqualTo(3);
        assertThat(inTenant(MASTER, () -> add.apply(1, 2))).isEqualTo(3);
        assertThat(adder.calls).hasValue(1);
        assertThat(inTenant("test_schema", () -> add.apply(1, 2))).isEqualTo(3);
        assertThat(adder.calls).as("another tenant misses").hasValue(2);
        assertThat(inTenant("test_schema", () -> add.apply(1, 2))).isEqualTo(3);
        assertThat(adder.calls).hasValue(2);
        assertThat(inTenant(MASTER, () -> add.apply(1, 2))).isEqualTo(3);
        assertThat(adder.calls).as("the master tenant still hits").hasValue(2);

        assertThat(stored(fullKey("test_schema", NS, "add-" + SHA_1_2))).isTrue();
        assertThat(stored(fullKey(MASTER, NS, "add-" + SHA_1_2))).isTrue();

        // A view carries its tenant as a value.
        CachedFunction.Async2<Integer, Integer, Integer> acme = adder(tenanted.forTenant("acme"), adder);
        assertThat(await(acme.apply(1, 2))).isEqualTo(3);
        assertThat(adder.calls).hasValue(3);
        assertThat(inTenant("acme", () -> add.apply(1, 2))).isEqualTo(3);
        assertThat(adder.calls).as("the bound tenant and the view share entries").hasValue(3);
    }

    @Test
    void cacheClear() {
        Adder adder = new Adder();
        CachedFunction.Async2<Integer, Integer, Integer> add = adder(cache, adder);
        await(add.apply(1, 2));
        await(add.apply(2, 3));
        await(add.apply(1, 2));
        assertThat(adder.calls).hasValue(2);

        assertThat(await(add.cacheClear())).isEqualTo(2);
        assertThat(await(add.apply(1, 2))).isEqualTo(3);
        assertThat(adder.calls).as("cleared: computed again").hasValue(3);
        assertThat(await(cache.functions().cacheClear("add"))).as("clear by name").isEqualTo(1);
        await(add.apply(1, 2));
        assertThat(adder.calls).hasValue(4);
    }

    @Test
    void cacheClearIsPerTenant() {
        BrickworksCache tenanted = newCache(b -> b.multiTenancyEnabled(true));
        Adder adder = new Adder();
        CachedFunction.Async2<Integer, Integer, Integer> add = adder(tenanted, adder);

        inTenant(MASTER, () -> add.apply(1, 2));
        inTenant("test_schema", () -> add.apply(1, 2));
        assertThat(adder.calls).hasValue(2);
        assertThat(inTenant("test_schema", () -> add.cacheClear())).isEqualTo(1);
        inTenant("test_schema", () -> add.apply(1, 2));
        assertThat(adder.calls).as("cleared in the tenant").hasValue(3);
        inTenant("test_schema", () -> add.apply(1, 2));
        assertThat(adder.calls).hasValue(3);
        inTenant(MASTER, () -> add.apply(1, 2));
        assertThat(adder.calls).as("the master tenant was not cleared").hasValue(3);

        inTenant(MASTER, () -> add.cacheClear());
        inTenant(MASTER, () -> add.apply(1, 2));
        assertThat(adder.calls).hasValue(4);
        inTenant("test_schema", () -> add.apply(1, 2));
        assertThat(adder.calls).as("the tenant was not cleared by the master").hasValue(4);
    }

    @Test
    void masterTenantFunctionsAreSharedByAllTenants() {
        BrickworksCache tenanted = newCache(b -> b.multiTenancyEnabled(true));
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async1<String, String> rates = tenanted.functions().function("rates", String.class)
                .masterTenant()
                .async(currency -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(currency + "=1.1");
                });
        assertThat(inTenant("acme", () -> rates.apply("EUR"))).isEqualTo("EUR=1.1");
        assertThat(inTenant("globex", () -> rates.apply("EUR"))).isEqualTo("EUR=1.1");
        assertThat(await(rates.apply("EUR"))).as("no tenant bound is fine for the master tenant").isEqualTo("EUR=1.1");
        assertThat(calls).hasValue(1);
        assertThat(await(tenanted.masterTenant().listKeysByIndex("rates", NS))).hasSize(1);
        assertThat(await(tenanted.forTenant("acme").listKeysByIndex("rates", NS))).isEmpty();
        assertThat(inTenant("acme", () -> rates.cacheClear())).as("clears the master tenant").isEqualTo(1);
    }

    @Test
    void noTenantWithMultiTenancyOnFailsAndWritesNothing() {
        BrickworksCache tenanted = newCache(b -> b.multiTenancyEnabled(true));
        Adder adder = new Adder();
        CachedFunction.Async2<Integer, Integer, Integer> add = adder(tenanted, adder);
        RuntimeException thrown = assertNothingWritten(() -> add.apply(1, 2), fullKey(MASTER, NS, "add-" + SHA_1_2));
        assertThat(thrown).isInstanceOf(IllegalStateException.class);
        assertThat(adder.calls).hasValue(0);
    }

    // ------------------------------------------------------------------ argument and result forms

    @Test
    void everyArgumentForm() {
        AtomicInteger calls = new AtomicInteger();
        FunctionCache functions = cache.functions();
        CachedFunction.Async1<Integer, Integer> a1 = functions.function("a1", Integer.class)
                .async(a -> counted(calls, a));
        CachedFunction.Async3<Integer, Integer, Integer, Integer> a3 = functions.function("a3", Integer.class)
                .async((a, b, c) -> counted(calls, a + b + c));
        CachedFunction.AsyncN<Integer> an = functions.function("an", Integer.class)
                .asyncArgs(args -> counted(calls, args.positional().size()));
        CachedFunction.Sync1<Integer, Integer> s1 = functions.function("s1", Integer.class).sync(a -> {
            calls.incrementAndGet();
            return a;
        });
        CachedFunction.Sync2<Integer, Integer, Integer> s2 = functions.function("s2", Integer.class).sync((a, b) -> {
            calls.incrementAndGet();
            return a * b;
        });
        CachedFunction.Sync3<Integer, Integer, Integer, Integer> s3 = functions.function("s3", Integer.class)
                .sync((a, b, c) -> {
                    calls.incrementAndGet();
                    return a * b * c;
                });
        CachedFunction.SyncN<Integer> sn = functions.function("sn", Integer.class).syncArgs(args -> {
            calls.incrementAndGet();
            return args.named().size();
        });
        for (int round = 0; round < 2; round++) {
            assertThat(await(a1.apply(7))).isEqualTo(7);
            assertThat(await(a3.apply(1, 2, 3))).isEqualTo(6);
            assertThat(await(an.call())).isZero();
            assertThat(await(an.call(1, "two", null))).isEqualTo(3);
            assertThat(s1.apply(5)).isEqualTo(5);
            assertThat(s2.apply(2, 3)).isEqualTo(6);
            assertThat(s3.apply(2, 3, 4)).isEqualTo(24);
            assertThat(sn.call(Arguments.none().with("x", 1).with("y", List.of(1, 2)))).isEqualTo(2);
        }
        assertThat(calls).as("each distinct call computed once").hasValue(8);
        assertThat(stored(fullKey(MASTER, NS, "a1-e937fa913636d978e27d7e8c628e4af2a9e35162b3d4e4446f8411c039a606c3")))
                .as("the same key as Python's f(7)").isTrue();
    }

    private static CompletableFuture<Integer> counted(AtomicInteger calls, int value) {
        calls.incrementAndGet();
        return CompletableFuture.completedFuture(value);
    }

    enum Size { SMALL, LARGE }

    @Test
    void structuredArgumentsMakeStableKeys() {
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async2<Item, Map<String, Object>, Integer> f = cache.functions()
                .function("structured", Integer.class)
                .async((item, options) -> counted(calls, item.quantity()));
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        options.put("z", Size.LARGE);
        options.put("a", Optional.of(List.of(1.5, 2)));
        Map<String, Object> reordered = new java.util.LinkedHashMap<>();
        reordered.put("a", Optional.of(List.of(1.5, 2)));
        reordered.put("z", Size.LARGE);
        await(f.apply(new Item("x", 3), options));
        await(f.apply(new Item("x", 3), reordered));
        assertThat(calls).as("map order does not change the key").hasValue(1);
        await(f.apply(new Item("x", 4), reordered));
        assertThat(calls).hasValue(2);
    }

    @Test
    void genericResultsRoundTripWithTheirTypes() {
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async1<String, List<Item>> items = cache.functions()
                .function("items", new ResultType<List<Item>>() { })
                .async(prefix -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(List.of(new Item(prefix + "1", 1), new Item(prefix + "2", 2)));
                });
        CachedFunction.Sync1<String, Map<String, List<Item>>> byName = cache.functions()
                .function("byName", new ResultType<Map<String, List<Item>>>() { })
                .sync(prefix -> {
                    calls.incrementAndGet();
                    return Map.of(prefix, List.of(new Item(prefix, 9)));
                });
        await(items.apply("a"));
        List<Item> cached = await(items.apply("a"));
        assertThat(cached).containsExactly(new Item("a1", 1), new Item("a2", 2));
        assertThat(cached.get(0)).isInstanceOf(Item.class);
        byName.apply("k");
        Map<String, List<Item>> map = byName.apply("k");
        assertThat(map).isEqualTo(Map.of("k", List.of(new Item("k", 9))));
        assertThat(map.get("k").get(0)).isInstanceOf(Item.class);
        assertThat(calls).hasValue(2);

        // Another instance (another replica) decodes the same entry with the same types.
        CachedFunction.Async1<String, List<Item>> other = newCache().functions()
                .function("items", new ResultType<List<Item>>() { })
                .async(prefix -> CompletableFuture.failedFuture(new AssertionError("must be a hit")));
        assertThat(await(other.apply("a"))).containsExactly(new Item("a1", 1), new Item("a2", 2));
    }

    @Test
    void exceptionsAreNotCached() {
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async1<Integer, Integer> flaky = cache.functions().function("flaky", Integer.class)
                .async(x -> calls.incrementAndGet() == 1
                        ? CompletableFuture.failedFuture(new IllegalStateException("down"))
                        : CompletableFuture.completedFuture(x));
        assertThatThrownBy(() -> await(flaky.apply(1))).isInstanceOf(IllegalStateException.class).hasMessage("down");
        assertThat(stored(fullKey(MASTER, NS, "flaky-" + SHA_1))).isFalse();
        assertThat(await(flaky.apply(1))).isEqualTo(1);
        assertThat(await(flaky.apply(1))).isEqualTo(1);
        assertThat(calls).hasValue(2);
        assertThat(flaky.stats().failures()).isEqualTo(1);

        CachedFunction.Sync1<Integer, Integer> throwing = cache.functions().function("throwing", Integer.class)
                .sync(x -> {
                    throw new IllegalArgumentException("bad " + x);
                });
        assertThatThrownBy(() -> throwing.apply(1)).isInstanceOf(IllegalArgumentException.class).hasMessage("bad 1");
        assertThat(ttlMillis(fullKey(MASTER, NS, "throwing-" + SHA_1 + ".computing"))).as("lease released").isEqualTo(-2L);
    }

    @Test
    void nullResultsAreCachedOnlyWhenAskedTo() {
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async1<Integer, String> plain = cache.functions().function("nulls", String.class)
                .async(x -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                });
        assertThat(await(plain.apply(1))).isNull();
        assertThat(await(plain.apply(1))).isNull();
        assertThat(calls).as("null is not cached by default").hasValue(2);

        CachedFunction.Async1<Integer, String> caching = cache.functions().function("nulls2", String.class)
                .cacheNulls(true)
                .async(x -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                });
        assertThat(await(caching.apply(1))).isNull();
        assertThat(await(caching.apply(1))).isNull();
        assertThat(calls).as("cached null").hasValue(3);
        assertThat(caching.stats().hits()).isEqualTo(1);
    }

    @Test
    void loadingFunctionsTakeTheirLoaderPerCallAndShareTheKeySchema() {
        CachedFunction.Loading<Item> items = cache.functions().function("loading", Item.class)
                .expire(Duration.ofSeconds(10)).loading();
        assertThat(await(items.getIfPresent(Arguments.of(1)))).isNull();

        assertThat(await(items.get(Arguments.of(1), () -> CompletableFuture.completedFuture(new Item("a", 1)))))
                .isEqualTo(new Item("a", 1));
        assertThat(ttlMillis(fullKey(MASTER, NS, "loading-" + SHA_1))).as("the key of any function of (1)").isPositive();
        AtomicBoolean otherLoader = new AtomicBoolean();
        assertThat(await(items.get(Arguments.of(1), () -> {
            otherLoader.set(true);
            return CompletableFuture.completedFuture(new Item("b", 2));
        }))).isEqualTo(new Item("a", 1));
        assertThat(otherLoader).as("a hit invokes no loader").isFalse();

        Thread caller = Thread.currentThread();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        assertThat(items.load(Arguments.of(2), () -> {
            ranOn.set(Thread.currentThread());
            return new Item("c", 3);
        })).isEqualTo(new Item("c", 3));
        assertThat(ranOn).as("load runs its loader on the calling thread").hasValue(caller);

        assertThat(await(items.put(Arguments.of(3), new Item("d", 4)))).isTrue();
        assertThat(await(items.getIfPresent(Arguments.of(3)))).isEqualTo(new Item("d", 4));
        assertThat(await(items.put(Arguments.of(4), null))).as("null is not stored without cacheNulls").isFalse();
        assertThat(await(items.cacheClear())).as("puts are indexed like computed entries").isEqualTo(3L);
        assertThat(await(items.getIfPresent(Arguments.of(3)))).isNull();
        assertThatThrownBy(() -> items.get(Arguments.of(1), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loader");
    }

    @Test
    void aBulkLookupAnswersWhatIsCachedInOneReadAndComputesNothing() {
        CachedFunction.Loading<Item> items = cache.functions().function("bulk", Item.class)
                .expire(Duration.ofSeconds(10)).loading();
        await(items.put(Arguments.of(1), new Item("a", 1)));
        await(items.put(Arguments.of(3), new Item("c", 3)));
        CachedResults<Item> found = await(items.getAllIfPresent(List.of(Arguments.of(1), Arguments.of(2), Arguments.of(3))));
        assertThat(found.values()).containsExactly(Map.entry(Arguments.of(1), new Item("a", 1)),
                Map.entry(Arguments.of(3), new Item("c", 3)));
        assertThat(found.hasFailures()).isFalse();
        assertThat(await(items.getIfPresent(Arguments.of(2)))).as("nothing computed or stored").isNull();

        // a stored value that does not decode reads as missing and is deleted, as getIfPresent does
        String garbage = fullKey(MASTER, NS, "bulk-" + SHA_1);
        assertThat(stored(garbage)).isTrue();
        await(backend().set(garbage, new byte[] {1, 2, 3}, 10_000, false, List.of()));
        assertThat(await(items.getAllIfPresent(List.of(Arguments.of(1)))).values()).isEmpty();
        assertThat(stored(garbage)).isFalse();

        assertThatThrownBy(() -> items.getAllIfPresent(Arrays.asList(Arguments.of(1), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("arguments[1]");
    }

    @Test
    void entriesExpire() {
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async1<Integer, Integer> f = cache.functions().function("short", Integer.class)
                .expire(Duration.ofMillis(300))
                .async(x -> counted(calls, calls.get() + 1));
        assertThat(await(f.apply(1))).isEqualTo(1);
        assertThat(await(f.apply(1))).isEqualTo(1);
        eventually().until(() -> await(f.apply(1)) == 2);
        assertThat(calls).hasValue(2);
    }

    @Test
    void invalidateOneCall() {
        Adder adder = new Adder();
        CachedFunction.Async2<Integer, Integer, Integer> add = adder(cache, adder);
        await(add.apply(1, 2));
        await(add.apply(2, 3));
        assertThat(await(add.invalidate(Arguments.of(1, 2)))).isTrue();
        assertThat(await(add.invalidate(Arguments.of(1, 2)))).isFalse();
        await(add.apply(1, 2));
        await(add.apply(2, 3));
        assertThat(adder.calls).hasValue(3);
    }

    // ------------------------------------------------------------------ decoding

    @Test
    void undecodableValuesAreDeletedAndRecomputed() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async1<Integer, Item> f = cache.functions().function("item", Item.class)
                .async(x -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(new Item("fresh", x));
                });
        String key = fullKey(MASTER, NS, "item-" + SHA_1);
        Gadget.DESERIALIZED.set(false);
        List<byte[]> tampered = List.of(
                "garbage".getBytes(StandardCharsets.UTF_8),
                javaSerialized(new Gadget()),
                ("{\"ms\":1,\"ser\":\"" + Base64.getEncoder().encodeToString(javaSerialized(new Gadget())) + "\"}")
                        .getBytes(StandardCharsets.UTF_8),
                "{\"ms\":1,\"v\":{\"name\":\"old\"}}".getBytes(StandardCharsets.UTF_8));
        int expectedCalls = 0;
        for (byte[] bytes : tampered) {
            await(backend().set(key, bytes, 60_000, false, List.of()));
            assertThat(await(f.apply(1))).isEqualTo(new Item("fresh", 1));
            assertThat(calls).hasValue(++expectedCalls);
            assertThat(await(f.apply(1))).as("the fresh value was stored").isEqualTo(new Item("fresh", 1));
            assertThat(calls).hasValue(expectedCalls);
        }
        assertThat(Gadget.DESERIALIZED).as("nothing was deserialized natively").isFalse();
        assertThat(f.stats().decodeFailures()).isEqualTo(tampered.size());
    }

    @Test
    void aChangedResultTypeIsRecomputed() {
        CachedFunction.Async1<Integer, Item> v1 = cache.functions().function("shape", Item.class)
                .async(x -> CompletableFuture.completedFuture(new Item("v1", x)));
        await(v1.apply(1));
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async1<Integer, ItemV2> v2 = newCache().functions().function("shape", ItemV2.class)
                .async(x -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(new ItemV2("v2", x, "sku"));
                });
        assertThat(await(v2.apply(1))).isEqualTo(new ItemV2("v2", 1, "sku"));
        assertThat(await(v2.apply(1))).isEqualTo(new ItemV2("v2", 1, "sku"));
        assertThat(calls).hasValue(1);
        assertThat(v2.stats().decodeFailures()).isEqualTo(1);
    }

    /** Records whether Java deserialization ever instantiated one. */
    public static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean DESERIALIZED = new AtomicBoolean();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            DESERIALIZED.set(true);
        }
    }

    public record Point(int x, int y) implements Serializable {
    }

    protected static byte[] javaSerialized(Object o) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
            oos.writeObject(o);
        }
        return out.toByteArray();
    }

    @Test
    void javaSerializationOnlyWhenOptedInAndOnlyForAllowedClasses() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async1<Integer, ArrayList<Point>> points = cache.functions()
                .function("points", new ResultType<ArrayList<Point>>() { })
                .javaSerialization(ArrayList.class, Point.class)
                .async(n -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(new ArrayList<>(List.of(new Point(n, n))));
                });
        assertThat(await(points.apply(1))).containsExactly(new Point(1, 1));
        assertThat(await(points.apply(1))).containsExactly(new Point(1, 1));
        assertThat(calls).hasValue(1);

        Gadget.DESERIALIZED.set(false);
        String key = fullKey(MASTER, NS, "points-" + SHA_1);
        byte[] gadget = ("{\"ms\":1,\"ser\":\"" + Base64.getEncoder().encodeToString(
                javaSerialized(new ArrayList<>(List.of(new Gadget())))) + "\"}").getBytes(StandardCharsets.UTF_8);
        await(backend().set(key, gadget, 60_000, false, List.of()));
        assertThat(await(points.apply(1))).containsExactly(new Point(1, 1));
        assertThat(calls).hasValue(2);
        assertThat(Gadget.DESERIALIZED).as("a class outside the allowlist is never instantiated").isFalse();
    }

    // ------------------------------------------------------------------ single flight

    @Test
    void stampedeInOneProcessComputesOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Integer> gate = new CompletableFuture<>();
        CachedFunction.Async1<Integer, Integer> slow = cache.functions().function("slow", Integer.class)
                .async(x -> {
                    calls.incrementAndGet();
                    return gate.thenApply(v -> v + x);
                });
        List<CompletableFuture<Integer>> results = callConcurrently(100, i -> slow.apply(1));
        gate.complete(41);
        for (CompletableFuture<Integer> r : results) {
            assertThat(await(r)).isEqualTo(42);
        }
        assertThat(calls).as("100 concurrent calls, one computation").hasValue(1);
        assertThat(slow.stats().computations()).isEqualTo(1);
        assertThat(slow.stats().misses()).isEqualTo(100);
    }

    @Test
    void stampedeOfSynchronousCallersComputesOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CachedFunction.Sync1<Integer, Integer> slow = cache.functions().function("slowSync", Integer.class)
                .sync(x -> {
                    calls.incrementAndGet();
                    awaitLatch(release);
                    return x + 1;
                });
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(CompletableFuture.supplyAsync(() -> slow.apply(1), pool));
        }
        eventually().until(() -> calls.get() == 1);
        release.countDown();
        for (CompletableFuture<Integer> r : results) {
            assertThat(await(r)).isEqualTo(2);
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void stampedeAcrossInstancesComputesOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Integer> gate = new CompletableFuture<>();
        List<CachedFunction.Async1<Integer, Integer>> replicas = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            BrickworksCache replica = newCache();
            replicas.add(replica.functions().function("report", Integer.class)
                    .async(x -> {
                        calls.incrementAndGet();
                        return gate.thenApply(v -> v + x);
                    }));
        }
        List<CompletableFuture<Integer>> results = callConcurrently(30, i -> replicas.get(i % 3).apply(1));
        gate.complete(41);
        for (CompletableFuture<Integer> r : results) {
            assertThat(await(r)).isEqualTo(42);
        }
        assertThat(calls).as("30 calls on 3 instances, one computation").hasValue(1);
    }

    @Test
    void theComputingInstanceClosedMidComputationIsTakenOver() {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Integer> never = new CompletableFuture<>();
        BrickworksCache dying = newCache();
        CachedFunction.Async1<Integer, Integer> first = dying.functions().function("takeover", Integer.class)
                .computeLease(Duration.ofMillis(500))
                .async(x -> {
                    calls.incrementAndGet();
                    return never;
                });
        CompletableFuture<Integer> doomed = first.apply(1);
        eventually().until(() -> calls.get() == 1);

        List<CompletableFuture<Integer>> survivors = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            CachedFunction.Async1<Integer, Integer> f = newCache().functions().function("takeover", Integer.class)
                    .computeLease(Duration.ofMillis(500))
                    .async(x -> {
                        calls.incrementAndGet();
                        return CompletableFuture.completedFuture(x + 41);
                    });
            survivors.add(f.apply(1));
        }
        dying.close();
        for (CompletableFuture<Integer> r : survivors) {
            assertThat(await(r)).isEqualTo(42);
        }
        assertThat(calls).as("the dead instance's computation and one takeover").hasValue(2);
        never.complete(0);
        assertThatThrownBy(() -> await(doomed)).as("the closed instance cannot store").isInstanceOf(RuntimeException.class);
    }

    @Test
    void aCallerWaitsAtMostMaxWaitThenComputesItself() {
        String lease = fullKey(MASTER, NS, "stuck-" + SHA_1 + ".computing");
        await(backend().set(lease, "someone-else".getBytes(StandardCharsets.UTF_8), 60_000, true, List.of()));
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async1<Integer, Integer> f = cache.functions().function("stuck", Integer.class)
                .maxWait(Duration.ofMillis(200))
                .async(x -> counted(calls, x));
        assertThat(await(f.apply(1))).isEqualTo(1);
        assertThat(calls).hasValue(1);
        assertThat(f.stats().waitTimeouts()).isEqualTo(1);
        assertThat(await(f.apply(1))).as("and stored it").isEqualTo(1);
        assertThat(calls).hasValue(1);
    }

    @Test
    void anExpiredLeaseIsTakenOver() {
        String lease = fullKey(MASTER, NS, "orphan-" + SHA_1 + ".computing");
        await(backend().set(lease, "dead-replica".getBytes(StandardCharsets.UTF_8), 300, true, List.of()));
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async1<Integer, Integer> f = cache.functions().function("orphan", Integer.class)
                .async(x -> counted(calls, x));
        assertThat(await(f.apply(1))).isEqualTo(1);
        assertThat(calls).hasValue(1);
        assertThat(f.stats().waitTimeouts()).as("taken over, not timed out").isZero();
    }

    // ------------------------------------------------------------------ early refresh

    @Test
    void earlyRefreshRecomputesInTheBackgroundWhileCallersGetTheCachedValue() {
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async1<Integer, Integer> f = cache.functions().function("hot", Integer.class)
                .expire(Duration.ofSeconds(30))
                .earlyRefresh(1e12)
                .async(x -> counted(calls, calls.get() + 1));
        assertThat(await(f.apply(1))).isEqualTo(1);
        assertThat(await(f.apply(1))).as("a hit returns the cached value").isEqualTo(1);
        eventually().until(() -> await(f.apply(1)) >= 2);
        assertThat(f.stats().earlyRefreshes()).isPositive();
        assertThat(f.stats().misses()).as("only the first call missed").isEqualTo(1);
    }

    @Test
    void earlyRefreshOfASynchronousFunction() {
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Sync1<Integer, Integer> f = cache.functions().function("hotSync", Integer.class)
                .expire(Duration.ofSeconds(30))
                .earlyRefresh(1e12)
                .sync(x -> calls.incrementAndGet());
        assertThat(f.apply(1)).isEqualTo(1);
        assertThat(f.apply(1)).as("a hit returns the cached value").isEqualTo(1);
        eventually().until(() -> f.apply(1) >= 2);
        assertThat(f.stats().misses()).isEqualTo(1);
    }

    @Test
    void withoutEarlyRefreshHitsNeverRecompute() {
        AtomicInteger calls = new AtomicInteger();
        CachedFunction.Async1<Integer, Integer> f = cache.functions().function("cold", Integer.class)
                .expire(Duration.ofSeconds(30))
                .async(x -> counted(calls, x));
        for (int i = 0; i < 20; i++) {
            await(f.apply(1));
        }
        assertThat(calls).hasValue(1);
        assertThat(f.stats().earlyRefreshes()).isZero();
        assertThat(f.stats().hits()).isEqualTo(19);
    }

    // ------------------------------------------------------------------ threads and tenants

    @Test
    void theFunctionSeesTheCallersTenantAndSyncFunctionsRunOnTheCallersThread() {
        BrickworksCache tenanted = newCache(b -> b.multiTenancyEnabled(true));
        AtomicReference<Optional<String>> seenTenant = new AtomicReference<>();
        CachedFunction.Async1<Integer, Integer> async = tenanted.functions().function("tenantSeen", Integer.class)
                .async(x -> {
                    seenTenant.set(Tenants.current());
                    return CompletableFuture.completedFuture(x);
                });
        inTenant("acme", () -> async.apply(1));
        assertThat(seenTenant.get()).contains("acme");

        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CachedFunction.Sync1<Integer, Integer> sync = tenanted.functions().function("threadSeen", Integer.class)
                .sync(x -> {
                    ranOn.set(Thread.currentThread());
                    seenTenant.set(Tenants.current());
                    return x;
                });
        try (TenantScope ignored = Tenants.bind("globex")) {
            assertThat(sync.apply(1)).isEqualTo(1);
        }
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
        assertThat(seenTenant.get()).contains("globex");
    }

    @Test
    void anExecutorRunsTheFunction() {
        AtomicReference<String> ranOn = new AtomicReference<>();
        ExecutorService named = Executors.newSingleThreadExecutor(r -> new Thread(r, "function-executor"));
        try {
            CachedFunction.Async1<Integer, Integer> f = cache.functions().function("onExecutor", Integer.class)
                    .executor(named)
                    .async(x -> {
                        ranOn.set(Thread.currentThread().getName());
                        return CompletableFuture.completedFuture(x);
                    });
            assertThat(await(f.apply(1))).isEqualTo(1);
            assertThat(ranOn.get()).isEqualTo("function-executor");
        } finally {
            named.shutdownNow();
        }
    }

    public record Priced(String itemName, int unitPrice) {
    }

    @Test
    void aCustomJsonMapperEncodesTheResults() {
        com.fasterxml.jackson.databind.ObjectMapper snake = new com.fasterxml.jackson.databind.ObjectMapper()
                .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
        CachedFunction.Async1<Integer, Priced> f = cache.functions().function("snake", Priced.class)
                .jsonMapper(snake)
                .async(x -> CompletableFuture.completedFuture(new Priced("n", x)));
        await(f.apply(1));
        assertThat(await(f.apply(1))).isEqualTo(new Priced("n", 1));
        String stored = new String(await(backend().get(fullKey(MASTER, NS, "snake-" + SHA_1))), StandardCharsets.UTF_8);
        assertThat(stored).contains("\"item_name\":\"n\"").contains("\"unit_price\":1");
        assertThat(f.stats().hits()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ the @Cached proxy

    public interface Catalog {
        @Cached(name = "catalog.items", expire = 60)
        CompletableFuture<List<Item>> items(String category, int limit);

        @Cached(name = "catalog.count", expire = 1, expireUnit = TimeUnit.MINUTES)
        int count(String category);

        @Cached(name = "catalog.maybe", cacheNulls = true)
        String maybe(String key) throws IOException;

        String uncached(String x);
    }

    static final class CountingCatalog implements Catalog {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public CompletableFuture<List<Item>> items(String category, int limit) {
            calls.incrementAndGet();
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < limit; i++) {
                items.add(new Item(category + i, i));
            }
            return CompletableFuture.completedFuture(items);
        }

        @Override
        public int count(String category) {
            calls.incrementAndGet();
            return category.length();
        }

        @Override
        public String maybe(String key) throws IOException {
            calls.incrementAndGet();
            if (key.equals("io")) {
                throw new IOException("disk");
            }
            return null;
        }

        @Override
        public String uncached(String x) {
            calls.incrementAndGet();
            return x;
        }
    }

    @Test
    void cachedAnnotationThroughAProxy() {
        CountingCatalog target = new CountingCatalog();
        Catalog catalog = cache.functions().cached(Catalog.class, target);

        assertThat(await(catalog.items("tools", 2))).containsExactly(new Item("tools0", 0), new Item("tools1", 1));
        assertThat(await(catalog.items("tools", 2)).get(1)).isInstanceOf(Item.class);
        assertThat(catalog.count("abc")).isEqualTo(3);
        assertThat(catalog.count("abc")).isEqualTo(3);
        assertThat(target.calls).hasValue(2);

        assertThat(catalog.uncached("x")).isEqualTo("x");
        assertThat(catalog.uncached("x")).isEqualTo("x");
        assertThat(target.calls).as("unannotated methods pass through").hasValue(4);

        assertThatThrownBy(() -> catalog.maybe("io")).isInstanceOf(IOException.class).hasMessage("disk");
        try {
            assertThat(catalog.maybe("none")).isNull();
            assertThat(catalog.maybe("none")).isNull();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(target.calls).as("the null was cached").hasValue(6);

        assertThat(ttlMillis(fullKey(MASTER, NS, "catalog.count-" + SHA_ABC))).isBetween(1L, 60_000L);
        Map<String, CachedFunction> functions = cache.functions().cachedFunctions(catalog);
        assertThat(functions).containsOnlyKeys("catalog.items", "catalog.count", "catalog.maybe");
        assertThat(functions.get("catalog.count").stats().hits()).isEqualTo(1);
        assertThat(await(functions.get("catalog.items").cacheClear())).isEqualTo(1);
        await(catalog.items("tools", 2));
        assertThat(target.calls).hasValue(7);
        assertThat(catalog.toString()).contains("Cached(");
        assertThat(catalog).isEqualTo(catalog).isNotEqualTo(target);
    }

    /** The SHA-256 of Python's {@code json.dumps({"args": ["abc"], "kwargs": {}}, sort_keys=True)}. */
    protected static final String SHA_ABC = "a70855bf40bc8317c522e9cafef3025bab6e8c7f31e08616287f5b92ae0e3318";

    interface NotCacheable {
        @Cached(name = "void")
        void run();
    }

    interface Duplicate {
        @Cached(name = "same")
        String a();

        @Cached(name = "same")
        String b();
    }

    interface BadName {
        @Cached(name = "a:b")
        String a();
    }

    @Test
    void badProxiesAreRejectedWhenMade() {
        FunctionCache functions = cache.functions();
        assertThatThrownBy(() -> functions.cached(NotCacheable.class, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("void");
        assertThatThrownBy(() -> functions.cached(Duplicate.class, new Duplicate() {
            public String a() {
                return "a";
            }

            public String b() {
                return "b";
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'same'");
        assertThatThrownBy(() -> functions.cached(BadName.class, () -> "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a:b");
        assertThatThrownBy(() -> functions.cachedFunctions(new Object())).isInstanceOf(IllegalArgumentException.class);
    }

    interface Hidden {
        @Cached(name = "hidden")
        String a();
    }

    @Test
    void aNonPublicInterfaceIsRejectedWhenTheProxyIsMade() {
        assertThatThrownBy(() -> cache.functions().cached(Hidden.class, () -> "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Hidden.class.getName()).hasMessageContaining("make the interface public");
    }

    @Test
    void aNameRegisteredAgainWithOtherOptionsIsRejected() {
        FunctionCache functions = cache.functions();
        functions.function("rates", Integer.class).expire(Duration.ofMinutes(1)).sync((Integer x) -> x);
        functions.function("rates", Integer.class).expire(Duration.ofMinutes(1)).sync((Integer x) -> x + 0);
        assertThatThrownBy(() -> functions.function("rates", Integer.class).expire(Duration.ofMinutes(2))
                .sync((Integer x) -> x))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'rates'")
                .hasMessageContaining("PT1M").hasMessageContaining("PT2M");
        assertThatThrownBy(() -> cache.forTenant("acme").functions().function("rates", String.class)
                .expire(Duration.ofMinutes(1)).sync((Integer x) -> "x"))
                .as("views share the registrations of their cache")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String");
        assertThat(newCache().functions().function("rates", Integer.class).sync((Integer x) -> x))
                .as("another cache instance has its own registrations").isNotNull();
    }

    // ------------------------------------------------------------------ bad input and lifecycle

    @Test
    void badOptionsAreRejectedAtOnce() {
        FunctionCache functions = cache.functions();
        assertThatThrownBy(() -> functions.function("a:b", Integer.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name").hasMessageContaining("a:b");
        assertThatThrownBy(() -> functions.function("", Integer.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> functions.function("f", (Class<Integer>) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resultType");
        assertThatThrownBy(() -> functions.function("f", Integer.class).expire(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expire");
        assertThatThrownBy(() -> functions.function("f", Integer.class).earlyRefresh(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("earlyRefresh");
        assertThatThrownBy(() -> functions.function("f", Integer.class).computeLease(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("computeLease");
        assertThatThrownBy(() -> functions.function("f", Integer.class).maxWait(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
        assertThatThrownBy(() -> functions.function("f", Integer.class).javaSerialization())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowed");
        assertThatThrownBy(() -> functions.function("f", Integer.class).async(
                (java.util.function.Function<Integer, CompletableFuture<Integer>>) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("function");
        assertThatThrownBy(() -> functions.cacheClear("a:b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callsAfterCloseFail() {
        BrickworksCache other = newCache();
        Adder adder = new Adder();
        CachedFunction.Async2<Integer, Integer, Integer> add = adder(other, adder);
        other.close();
        assertThatThrownBy(() -> add.apply(1, 2)).isInstanceOf(IllegalStateException.class);
        assertThat(adder.calls).hasValue(0);
    }

    // ------------------------------------------------------------------ helpers

    private static <T> T inTenant(String tenant, Supplier<? extends java.util.concurrent.CompletionStage<T>> call) {
        try (TenantScope ignored = Tenants.bind(tenant)) {
            return await(call.get());
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    /**
     * Makes {@code n} calls from several threads released together, and returns their futures once
     * every call has been made (none can have completed if the function's result is gated).
     */
    private <T> List<CompletableFuture<T>> callConcurrently(int n,
            java.util.function.IntFunction<CompletableFuture<T>> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<CompletableFuture<T>>> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            made.add(CompletableFuture.supplyAsync(() -> {
                awaitLatch(start);
                return call.apply(index);
            }, pool));
        }
        start.countDown();
        List<CompletableFuture<T>> results = new ArrayList<>();
        for (CompletableFuture<CompletableFuture<T>> m : made) {
            results.add(m.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        }
        return results;
    }
}
