package io.brickworks.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.memory.MemoryBackendFactory;
import io.brickworks.cache.spi.CacheBackend;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The in-process key-value clients, pre-filled with the {@value Keys#COUNT} keys. */
public final class MemoryKv {

    private MemoryKv() {
    }

    /** The adapter for {@code name}, filled. */
    public static SyncKv create(String name) {
        SyncKv kv;
        switch (name) {
            case "brickworks":
                kv = new BrickworksMemory(Clients.brickworksMemory());
                break;
            case "brickworks-metered":
                kv = new BrickworksMemory(Clients.metered(Clients.brickworksMemory()));
                break;
            case "caffeine":
                kv = new CaffeineKv(Caffeine.newBuilder().maximumSize(100_000).build());
                break;
            case "caffeine-expiring":
                kv = new CaffeineKv(Caffeine.newBuilder().maximumSize(100_000)
                        .expireAfter(Expiry.<String, String>writing((key, value) -> Keys.TTL))
                        .scheduler(Scheduler.systemScheduler()).build());
                break;
            case "caffeine-checked":
                kv = new CheckedCaffeineKv();
                break;
            case "brickworks-spi":
                kv = new BackendKv(memoryBackend());
                break;
            case "chm":
                kv = new MapKv();
                break;
            default:
                throw new IllegalArgumentException("unknown client: " + name);
        }
        for (int i = 0; i < Keys.COUNT; i++) {
            kv.set(i, Keys.VALUE);
        }
        return kv;
    }

    /** This library through its public API, waiting for each future (complete on return on the memory backend and on a near-cache hit). */
    static final class BrickworksMemory implements SyncKv {
        private final BrickworksCache cache;

        BrickworksMemory(BrickworksCache cache) {
            this.cache = cache;
        }

        BrickworksCache cache() {
            return cache;
        }

        @Override
        public Object get(int i) {
            return cache.getKey(Keys.PLAIN[i]).join();
        }

        @Override
        public void set(int i, String value) {
            cache.setKey(Keys.PLAIN[i], value).join();
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    /** The memory backend made by its factory, as the cache makes it with default settings. */
    private static CacheBackend memoryBackend() {
        return new MemoryBackendFactory().create(CacheSettings.builder().build());
    }

    /**
     * This library's memory backend through its SPI, below the public API: full keys, bytes, no
     * argument checks or scoping. A diagnostic: the difference to {@code brickworks} is the API layer's
     * cost, the difference to Caffeine with per-entry expiry is the backend's.
     */
    static final class BackendKv implements SyncKv {
        private final CacheBackend backend;
        /** The benchmark's value, encoded once: the encoding is the API layer's cost, not the backend's. */
        private final byte[] encodedValue = Keys.VALUE.getBytes(StandardCharsets.UTF_8);

        BackendKv(CacheBackend backend) {
            this.backend = backend;
        }

        @Override
        public Object get(int i) {
            return backend.get(Keys.FULL[i]).join();
        }

        @Override
        public void set(int i, String value) {
            byte[] bytes = value.equals(Keys.VALUE) ? encodedValue : value.getBytes(StandardCharsets.UTF_8);
            backend.set(Keys.FULL[i], bytes, Keys.TTL.toMillis(), false, List.of()).join();
        }

        @Override
        public void close() {
            backend.close();
        }
    }

    /**
     * Caffeine bounded like this library's default (100,000 entries), {@code getIfPresent}/{@code put};
     * plain, or with a per-entry expiry and the system scheduler as this library's memory backend has.
     */
    static final class CaffeineKv implements SyncKv {
        private final Cache<String, String> cache;

        CaffeineKv(Cache<String, String> cache) {
            this.cache = cache;
        }

        @Override
        public Object get(int i) {
            return cache.getIfPresent(Keys.FULL[i]);
        }

        @Override
        public void set(int i, String value) {
            cache.put(Keys.FULL[i], value);
        }

        @Override
        public void close() {
            cache.invalidateAll();
        }
    }

    /**
     * Caffeine {@code getIfPresent} that then reads its value's fields, as any cache must that checks
     * an entry's own expiry or scope before answering: the floor of such a cache. A bare
     * {@code getIfPresent} whose value is never read is spared that dependent memory load, which on
     * 10,000 random keys (more than a core's L2 cache) is about a third of its time.
     */
    static final class CheckedCaffeineKv implements SyncKv {
        private static final class Checked {
            final String value;
            final long deadline;

            Checked(String value, long deadline) {
                this.value = value;
                this.deadline = deadline;
            }
        }

        private final Cache<String, Checked> cache = Caffeine.newBuilder().maximumSize(100_000).build();
        /** A far deadline, read per call so that the check is not folded away. */
        private volatile long now = System.nanoTime();

        @Override
        public Object get(int i) {
            Checked c = cache.getIfPresent(Keys.FULL[i]);
            return c == null || c.deadline - now <= 0 ? null : c.value;
        }

        @Override
        public void set(int i, String value) {
            cache.put(Keys.FULL[i], new Checked(value, System.nanoTime() + Keys.TTL.toNanos()));
        }

        @Override
        public void close() {
            cache.invalidateAll();
        }
    }

    /** A plain {@code ConcurrentHashMap}: the floor of any in-process cache. */
    static final class MapKv implements SyncKv {
        private final ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();

        @Override
        public Object get(int i) {
            return map.get(Keys.FULL[i]);
        }

        @Override
        public void set(int i, String value) {
            map.put(Keys.FULL[i], value);
        }

        @Override
        public void close() {
            map.clear();
        }
    }
}
