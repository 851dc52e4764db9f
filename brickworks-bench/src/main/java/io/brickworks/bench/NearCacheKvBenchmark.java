package io.brickworks.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * Gets (and sets) of the 10,000 pre-filled keys on Redis through this library with the near cache on:
 * every key is read once before measuring, so every measured get is a near-cache hit (the keys do not change while gets run); sets
 * go to Redis and invalidate. The peers are in {@link RedisKvBenchmark} (raw Lettuce, 1 in flight)
 * and {@link MemoryKvBenchmark} (the memory backend's get).
 */
public class NearCacheKvBenchmark extends SyncKvBenchmark {

    @Param({"brickworks-near"})
    public String client;

    /** The cache, with every key read once (so in its near cache) before measuring. */
    @Override
    protected SyncKv create() {
        SyncKv kv = new MemoryKv.BrickworksMemory(Clients.brickworksRedisNear(BenchRedis.port()));
        for (int i = 0; i < Keys.COUNT; i++) {
            kv.get(i);
        }
        return kv;
    }
}
