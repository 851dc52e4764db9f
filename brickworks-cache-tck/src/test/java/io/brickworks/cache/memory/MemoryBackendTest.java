package io.brickworks.cache.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.SetOptions;
import io.brickworks.cache.internal.DefaultBrickworksCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only the memory backend promises: bounded, reclaimed without help, thread-safe, time injected. */
class MemoryBackendTest {

    private final List<BrickworksCache> caches = new ArrayList<>();

    /** A settable ticker, starting far from zero. */
    private static final class FakeTicker implements io.brickworks.cache.Ticker {
        private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }

    private BrickworksCache open(CacheSettings.Builder settings) {
        BrickworksCache c = BrickworksCache.builder().settings(settings.build()).build();
        caches.add(c);
        return c;
    }

    private static MemoryBackend backendOf(BrickworksCache c) {
        return (MemoryBackend) ((DefaultBrickworksCache) c).backend();
    }

    private static <T> T get(java.util.concurrent.CompletableFuture<T> f) {
        return f.join();
    }

    @AfterEach
    void close() {
        caches.forEach(BrickworksCache::close);
    }

    // ------------------------------------------------------------------ bounded

    @Test
    void maximumEntriesCapsGrowth() {
        BrickworksCache c = open(CacheSettings.builder().memoryMaximumEntries(1_000));
        for (int i = 0; i < 20_000; i++) {
            get(c.setKey("k" + i, "v" + i));
        }
        MemoryBackend backend = backendOf(c);
        backend.cleanUp();
        assertThat(backend.estimatedSize()).isBetween(900L, 1_000L);
    }

    @Test
    void maximumEntriesCountsQueuesAndSetsToo() {
        BrickworksCache c = open(CacheSettings.builder().memoryMaximumEntries(100));
        for (int i = 0; i < 1_000; i++) {
            get(c.pushToQueue("q" + i, "item"));
            get(c.addToSet("s" + i, List.of("m")));
        }
        MemoryBackend backend = backendOf(c);
        backend.cleanUp();
        assertThat(backend.estimatedSize()).isBetween(90L, 100L);
    }

    @Test
    void onlyTheLockNamespaceIsNeverEvicted() {
        // a tenant or a key named like the lock namespace is an ordinary, bounded entry
        BrickworksCache c = open(CacheSettings.builder().memoryMaximumEntries(100));
        BrickworksCache oddTenant = c.forTenant("__locks__");
        for (int i = 0; i < 1_000; i++) {
            get(oddTenant.setKey("k" + i, "v"));
            get(c.setKey("__locks__" + i, "v"));
        }
        assertThat(get(c.attemptDistributedLock("held"))).isTrue();
        MemoryBackend backend = backendOf(c);
        backend.cleanUp();
        assertThat(backend.estimatedSize()).isBetween(90L, 101L);
        assertThat(get(c.tryLock("held", java.time.Duration.ofMinutes(1)))).as("the lock is still held").isEmpty();
    }

    @Test
    void maximumEntriesFromTheEnvironment() {
        CacheSettings s = CacheSettings.fromEnvironment(Map.of("MEMORY_CACHE_MAX_ENTRIES", "50"));
        BrickworksCache c = open(s.toBuilder());
        for (int i = 0; i < 500; i++) {
            get(c.setKey("k" + i, "v"));
        }
        backendOf(c).cleanUp();
        assertThat(backendOf(c).estimatedSize()).isBetween(45L, 50L);
    }

    // ------------------------------------------------------------------ reclaimed

    @Test
    void expiredEntriesAreReclaimedByLaterWritesWithoutAManualCall() {
        FakeTicker ticker = new FakeTicker();
        BrickworksCache c = open(CacheSettings.builder().ticker(ticker));
        SetOptions shortLived = SetOptions.options().expire(Duration.ofMillis(200)).indices("idx");
        for (int i = 0; i < 2_000; i++) {
            get(c.setKey("k" + i, "v", shortLived));
        }
        get(c.addToSet("s", List.of("a"), "default", Duration.ofMillis(200)));
        MemoryBackend backend = backendOf(c);
        assertThat(backend.estimatedSize()).isEqualTo(2_002L);
        ticker.advance(Duration.ofMillis(200));
        // no cleanUp() and no reads of them: the writes of other keys reclaim the expired entries
        // (every 64th write examines 128 entries: 4,000 writes examine more than the 6,002 there are)
        for (int i = 0; i < 4_000; i++) {
            get(c.setKey("other" + i, "v"));
        }
        assertThat(backend.estimatedSize()).isEqualTo(4_000L);
    }

    // ------------------------------------------------------------------ injected ticker

    @Test
    void injectedTickerMakesKeyExpiryExact() {
        FakeTicker ticker = new FakeTicker();
        BrickworksCache c = open(CacheSettings.builder().ticker(ticker));
        get(c.setKey("k", "v", SetOptions.options().expire(Duration.ofSeconds(10))));
        ticker.advance(Duration.ofMillis(9_999));
        assertThat(get(c.getKey("k"))).isEqualTo("v");
        assertThat(get(backendOf(c).ttlMillis("brickworks:public:default:k"))).isEqualTo(1L);
        ticker.advance(Duration.ofMillis(1));
        assertThat(get(c.getKey("k"))).isNull();
        assertThat(get(c.deleteKey("k"))).isFalse();
        assertThat(get(c.setKey("k", "again", SetOptions.options().ifAbsent()))).isTrue();
    }

    @Test
    void injectedTickerDrivesRefreshSetsIndicesAndLocks() {
        FakeTicker ticker = new FakeTicker();
        BrickworksCache c = open(CacheSettings.builder().ticker(ticker));
        get(c.setKey("k", "v", SetOptions.options().expire(Duration.ofSeconds(60)).indices("idx")));
        get(c.refreshKey("k", "default", Duration.ofSeconds(40)));
        get(c.setKey("other", "v", SetOptions.options().expire(Duration.ofSeconds(5)).indices("idx")));
        get(c.setKey("refreshed", "v", SetOptions.options().expire(Duration.ofSeconds(1))));
        get(c.refreshKey("refreshed", "default", Duration.ofSeconds(30)));
        get(c.addToSet("s", List.of("a"), "default", Duration.ofSeconds(30)));
        get(c.addToSet("s", List.of("b"), "default", Duration.ofSeconds(2)));
        assertThat(get(c.attemptDistributedLock("lock", Duration.ofSeconds(10)))).isTrue();

        ticker.advance(Duration.ofSeconds(5));
        assertThat(get(c.listKeysByIndex("idx"))).containsExactly("k");
        assertThat(get(backendOf(c).setMembers("brickworks:public:default:__index__.idx")))
                .containsExactly("brickworks:public:default:k");
        assertThat(get(c.getSetMembers("s"))).containsExactlyInAnyOrder("a", "b");
        assertThat(get(c.attemptDistributedLock("lock"))).isFalse();

        ticker.advance(Duration.ofSeconds(5));
        assertThat(get(c.attemptDistributedLock("lock"))).isTrue();

        ticker.advance(Duration.ofSeconds(19));
        assertThat(get(c.getKey("refreshed"))).isEqualTo("v");
        assertThat(get(c.getSetMembers("s"))).containsExactlyInAnyOrder("a", "b");

        ticker.advance(Duration.ofSeconds(1));
        assertThat(get(c.getKey("refreshed"))).isNull();
        assertThat(get(c.getSetMembers("s"))).isEmpty();
        assertThat(get(c.getKey("k"))).isEqualTo("v");
        assertThat(get(c.listKeysByIndex("idx"))).containsExactly("k");

        ticker.advance(Duration.ofSeconds(10));
        assertThat(get(c.getKey("k"))).isNull();
        assertThat(get(c.listKeysByIndex("idx"))).isEmpty();
    }

    @Test
    void injectedTickerLetsCleanUpReclaimExactly() {
        FakeTicker ticker = new FakeTicker();
        BrickworksCache c = open(CacheSettings.builder().ticker(ticker));
        for (int i = 0; i < 100; i++) {
            get(c.setKey("short" + i, "v", SetOptions.options().expire(Duration.ofSeconds(1))));
            get(c.setKey("long" + i, "v", SetOptions.options().expire(Duration.ofSeconds(100))));
        }
        MemoryBackend backend = backendOf(c);
        backend.cleanUp();
        assertThat(backend.estimatedSize()).isEqualTo(200L);
        ticker.advance(Duration.ofSeconds(2));
        backend.cleanUp();
        assertThat(backend.estimatedSize()).isEqualTo(100L);
    }

    // ------------------------------------------------------------------ closed

    @Test
    void closedBackendRejectsCalls() {
        MemoryBackend backend = new MemoryBackend(CacheSettings.builder().build());
        backend.set("k", new byte[] {1}, 1_000, false, List.of()).join();
        backend.close();
        backend.close();
        assertThatThrownBy(() -> backend.get("k")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(backend.describe()).contains("memory");
    }

    // ------------------------------------------------------------------ thread-safety

    @Test
    void manyThreadsKeepEveryInvariant() throws Exception {
        BrickworksCache c = open(CacheSettings.builder());
        MemoryBackend backend = backendOf(c);
        int threads = 8;
        int ops = 10_000;
        Set<String> pushed = ConcurrentHashMap.newKeySet();
        Set<String> popped = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicatePops = new AtomicInteger();
        AtomicLong newSetMembers = new AtomicLong();
        AtomicInteger lockHolders = new AtomicInteger();
        AtomicInteger maxLockHolders = new AtomicInteger();
        AtomicInteger locksTaken = new AtomicInteger();
        AtomicLong incrementsMade = new AtomicLong();
        List<Map<String, String>> lastValues = new ArrayList<>();
        List<Map<String, Boolean>> indexedAlive = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Map<String, String> values = new HashMap<>();
                Map<String, Boolean> indexed = new HashMap<>();
                lastValues.add(values);
                indexedAlive.add(indexed);
                done.add(pool.submit(() -> {
                    start.await();
                    Random random = new Random(thread);
                    for (int i = 0; i < ops; i++) {
                        String id = thread + "-" + i;
                        switch (random.nextInt(8)) {
                            case 0 -> {
                                String key = "t" + thread + "-k" + random.nextInt(100);
                                get(c.setKey(key, id));
                                values.put(key, id);
                                assertThat(get(c.getKey(key))).isEqualTo(id);
                            }
                            case 1 -> {
                                get(c.pushToQueue("shared-queue", id));
                                pushed.add(id);
                            }
                            case 2 -> {
                                String item = get(c.popFromQueue("shared-queue"));
                                if (item != null && !popped.add(item)) {
                                    duplicatePops.incrementAndGet();
                                }
                            }
                            case 3 -> newSetMembers.addAndGet(get(c.addToSet("shared-set", List.of(id, "common"))));
                            case 4 -> {
                                String key = "t" + thread + "-ix" + random.nextInt(50);
                                get(c.setKey(key, id, SetOptions.options().indices("shared-index")));
                                indexed.put(key, true);
                            }
                            case 5 -> {
                                String key = "t" + thread + "-ix" + random.nextInt(50);
                                get(c.deleteKey(key));
                                indexed.put(key, false);
                            }
                            case 6 -> {
                                if (get(c.attemptDistributedLock("shared-lock"))) {
                                    int holders = lockHolders.incrementAndGet();
                                    maxLockHolders.accumulateAndGet(holders, Math::max);
                                    locksTaken.incrementAndGet();
                                    lockHolders.decrementAndGet();
                                    assertThat(get(c.releaseDistributedLock("shared-lock"))).isTrue();
                                }
                            }
                            default -> {
                                get(backend.increment("brickworks:public:default:counter"));
                                incrementsMade.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        // queue: every pushed item was popped exactly once, now or by draining
        for (String item = get(c.popFromQueue("shared-queue")); item != null; item = get(c.popFromQueue("shared-queue"))) {
            if (!popped.add(item)) {
                duplicatePops.incrementAndGet();
            }
        }
        assertThat(duplicatePops).hasValue(0);
        assertThat(popped).isEqualTo(pushed);

        // set: new-member counts add up to its size ("common" counted once)
        Set<String> members = get(c.getSetMembers("shared-set"));
        assertThat((long) members.size()).isEqualTo(newSetMembers.get());

        // keys: each holds the last value its thread wrote
        for (Map<String, String> values : lastValues) {
            for (Map.Entry<String, String> e : values.entrySet()) {
                assertThat(get(c.getKey(e.getKey()))).isEqualTo(e.getValue());
            }
        }

        // index: lists exactly the keys whose last operation was an indexed write
        Set<String> expectedIndexed = new HashSet<>();
        indexedAlive.forEach(m -> m.forEach((k, alive) -> {
            if (alive) {
                expectedIndexed.add(k);
            }
        }));
        assertThat(get(c.listKeysByIndex("shared-index"))).containsExactlyInAnyOrderElementsOf(expectedIndexed);

        // lock: never two holders at once, and it was taken
        assertThat(maxLockHolders).hasValue(1);
        assertThat(locksTaken.get()).isPositive();

        // counter: no increment lost
        long increments = get(backend.increment("brickworks:public:default:counter")) - 1;
        assertThat(increments).isEqualTo(incrementsMade.get()).isPositive();
        assertThat(get(backend.ttlMillis("brickworks:public:default:counter"))).isEqualTo(-1L);
    }

    // ------------------------------------------------------------------ one key name under several namespaces and tenants

    @Test
    void oneKeyUnderManyNamespacesAndTenantsStaysApart() {
        FakeTicker ticker = new FakeTicker();
        BrickworksCache c = open(CacheSettings.builder().ticker(ticker));
        SetOptions shortLived = SetOptions.options().namespace("b").expire(Duration.ofSeconds(1));
        get(c.setKey("k", "default-value"));
        get(c.setKey("k", "a-value", SetOptions.options().namespace("a")));
        get(c.setKey("k", "b-value", shortLived));
        get(c.forTenant("t1").setKey("k", "t1-value"));
        get(c.pushToQueue("k", "queued", "q"));
        MemoryBackend backend = backendOf(c);
        backend.cleanUp();
        assertThat(backend.estimatedSize()).isEqualTo(5L);

        assertThat(get(c.getKey("k"))).isEqualTo("default-value");
        assertThat(get(c.getKey("k", "a"))).isEqualTo("a-value");
        assertThat(get(c.getKey("k", "b"))).isEqualTo("b-value");
        assertThat(get(c.forTenant("t1").getKey("k"))).isEqualTo("t1-value");
        assertThat(get(c.getKey("k", "q"))).as("a queue is not a plain value").isNull();

        assertThat(get(c.deleteKey("k", "a"))).isTrue();
        assertThat(get(c.getKey("k", "a"))).isNull();
        assertThat(get(c.getKey("k"))).isEqualTo("default-value");

        // only the expired entry of the key name is reclaimed
        ticker.advance(Duration.ofSeconds(2));
        backend.cleanUp();
        assertThat(backend.estimatedSize()).isEqualTo(3L);
        assertThat(get(c.getKey("k", "b"))).isNull();
        assertThat(get(c.forTenant("t1").getKey("k"))).isEqualTo("t1-value");
        assertThat(get(c.popFromQueue("k", "q"))).isEqualTo("queued");
    }

    @Test
    void textAndBytesAreOneValue() {
        BrickworksCache c = open(CacheSettings.builder());
        MemoryBackend backend = backendOf(c);
        get(c.setKey("text", "h\u00e9llo"));
        assertThat(get(c.getKeyBytes("text"))).isEqualTo("h\u00e9llo".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(get(backend.get("brickworks:public:default:text")))
                .isEqualTo("h\u00e9llo".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        get(c.setKey("bytes", "w\u00f6rld".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(get(c.getKey("bytes"))).isEqualTo("w\u00f6rld");
        // compare-and-delete compares the bytes of a value written as text
        assertThat(get(backend.compareAndDelete("brickworks:public:default:text",
                "h\u00e9llo".getBytes(java.nio.charset.StandardCharsets.UTF_8)))).isTrue();
        assertThat(get(c.getKey("text"))).isNull();
    }

    @Test
    void aReadFutureIsSharedAndCannotBeChanged() {
        BrickworksCache c = open(CacheSettings.builder());
        get(c.setKey("k", "v"));
        java.util.concurrent.CompletableFuture<String> first = c.getKey("k");
        java.util.concurrent.CompletableFuture<String> second = c.getKey("k");
        assertThat(first.isDone()).isTrue();
        // what a caller may do to its future leaves every other reader's answer as it is
        assertThat(first.complete("changed")).isFalse();
        assertThat(first.completeExceptionally(new RuntimeException())).isFalse();
        assertThat(first.cancel(true)).isFalse();
        assertThatThrownBy(() -> first.obtrudeValue("changed")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> first.obtrudeException(new RuntimeException()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(second.join()).isEqualTo("v");
        assertThat(get(c.getKey("k"))).isEqualTo("v");
        assertThat(first.thenApply(String::length).join()).isEqualTo(1);
        java.util.concurrent.CompletableFuture<String> missing = c.getKey("missing");
        assertThatThrownBy(() -> missing.obtrudeValue("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(get(c.getKey("missing"))).isNull();
    }

    @Test
    void systemTickerExpiryIsExactNearTheDeadline() {
        // on the system ticker, the first read after the deadline misses
        BrickworksCache c = open(CacheSettings.builder());
        get(c.setKey("k", "v", SetOptions.options().expire(Duration.ofMillis(30))));
        long written = System.nanoTime();
        String seen = get(c.getKey("k"));
        if (System.nanoTime() - written < Duration.ofMillis(30).toNanos()) {
            assertThat(seen).isEqualTo("v");
        }
        long pastDeadline = written + Duration.ofMillis(30).toNanos();
        while (System.nanoTime() - pastDeadline <= 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
        assertThat(get(c.getKey("k"))).isNull();
        assertThat(get(c.getKeyBytes("k"))).isNull();
    }
}
