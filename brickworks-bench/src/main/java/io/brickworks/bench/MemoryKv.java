package io.brickworks.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.brickworks.cache.BrickworksCache;
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
            case "caffeine":
                kv = new CaffeineKv(Caffeine.newBuilder().maximumSize(100_000).build());
                break;
            case "caffeine-expiring":
                kv = new CaffeineKv(Caffeine.newBuilder().maximumSize(100_000)
                        .expireAfter(Expiry.<String, String>writing((key, value) -> Keys.TTL))
                        .scheduler(Scheduler.systemScheduler()).build());
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

    /** This library's memory backend, through its public API (futures are complete on return). */
    static final class BrickworksMemory implements SyncKv {
        private final BrickworksCache cache;

        BrickworksMemory(BrickworksCache cache) {
            this.cache = cache;
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
