package io.brickworks.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * Redis GET and SET with the synchronous peers, Jedis (pooled) and Spring Data Redis
 * ({@code StringRedisTemplate}), from one and from two threads: their calls in flight are their threads.
 */
public class RedisKvSyncBenchmark extends SyncKvBenchmark {

    @Param({"jedis", "spring"})
    public String client;

    @Override
    protected SyncKv create() {
        return SyncKv.create(client, BenchRedis.port());
    }
}
