package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.redis.NearCacheSwitches;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The heartbeat's cost on near-cache hits: the gets of {@link NearCacheKvBenchmark} (every measured
 * get a hit) with the default staleness bound (2 s: a heartbeat every 500 ms), with the smallest one
 * allowed (100 ms: a heartbeat every 25 ms), and with heartbeats off (the negative-control switch),
 * interleaved in one JVM (blocks of 200,000 hits each, in an order shuffled per round, on its own
 * redis-server), which holds up better than separate JMH forks on a loaded machine; ratios to
 * heartbeats off, then each cache's near-cache counters (its flushes show heartbeats answered too
 * late). {@code NearCacheHeartbeatCost [rounds]}, default 30. Not part of the JMH pass.
 */
public final class NearCacheHeartbeatCost {

    private NearCacheHeartbeatCost() {
    }

    /** A cache on {@code port} configured as {@code variant}, with every key read once. */
    static SyncKv open(String variant, int port) {
        Duration bound = variant.equals("heartbeat-100ms") ? Duration.ofMillis(100) : Duration.ofSeconds(2);
        BrickworksCache cache = BrickworksCache.builder()
                .settings(CacheSettings.builder().useRedis(true).redisHost(RedisServer.HOST).redisPort(port)
                        .nearCache(true).nearCacheMaxEntries(4L * Keys.COUNT).nearCacheStalenessBound(bound).build())
                .build();
        if (variant.equals("heartbeat-off")) {
            NearCacheSwitches.heartbeatsOff(cache);
        }
        SyncKv kv = new MemoryKv.BrickworksMemory(cache);
        for (int i = 0; i < Keys.COUNT; i++) {
            kv.get(i);
        }
        return kv;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int block = 200_000;
        List<String> variants = List.of("heartbeat-2s", "heartbeat-100ms", "heartbeat-off");
        try (RedisServer redis = RedisServer.start()) {
            try (BrickworksCache writer = Clients.brickworksRedis(redis.port())) {
                for (int i = 0; i < Keys.COUNT; i++) {
                    writer.setKey(Keys.PLAIN[i], Keys.VALUE, io.brickworks.cache.SetOptions.options().expire(Keys.TTL)).join();
                }
            }
            Map<String, SyncKv> kvs = new LinkedHashMap<>();
            for (String v : variants) {
                kvs.put(v, open(v, redis.port()));
            }
            Keys.Cursor cursor = new Keys.Cursor();
            long sink = 0;
            for (int w = 0; w < 10; w++) {
                for (SyncKv kv : kvs.values()) {
                    for (int i = 0; i < block; i++) {
                        sink += kv.get(cursor.next()) == null ? 1 : 0;
                    }
                }
            }
            Map<String, List<Double>> ratios = new LinkedHashMap<>();
            List<String> order = new ArrayList<>(variants);
            Random random = new Random(7);
            for (int r = 0; r < rounds; r++) {
                Collections.shuffle(order, random);
                Map<String, Long> nanos = new LinkedHashMap<>();
                for (String v : order) {
                    SyncKv kv = kvs.get(v);
                    long start = System.nanoTime();
                    for (int i = 0; i < block; i++) {
                        sink += kv.get(cursor.next()) == null ? 1 : 0;
                    }
                    nanos.put(v, System.nanoTime() - start);
                }
                for (String v : variants) {
                    ratios.computeIfAbsent(v, k -> new ArrayList<>())
                            .add((double) nanos.get("heartbeat-off") / nanos.get(v));
                }
            }
            if (sink != 0) {
                throw new IllegalStateException(sink + " gets missed: the keys were not all held");
            }
            for (String v : variants) {
                List<Double> list = ratios.get(v);
                double logSum = 0;
                for (double x : list) {
                    logSum += Math.log(x);
                }
                Collections.sort(list);
                System.out.printf("%-16s hit throughput / heartbeat-off: geometric mean %.3f, median %.3f over %d rounds%n",
                        v, Math.exp(logSum / list.size()), list.get(list.size() / 2), list.size());
            }
            for (Map.Entry<String, SyncKv> e : kvs.entrySet()) {
                System.out.printf("%-16s %s%n", e.getKey(),
                        ((MemoryKv.BrickworksMemory) e.getValue()).cache().nearCacheStats().orElseThrow());
                e.getValue().close();
            }
        }
    }
}
