package io.brickworks.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * Redis GET and SET (100-byte values, 10,000 keys) from one thread with a bounded window of
 * {@code inFlight} asynchronous calls: this library against raw Lettuce and Redisson.
 */
public class RedisKvBenchmark extends KvBenchmark {

    @Param({"brickworks", "lettuce", "redisson"})
    public String client;

    @Param({"1", "16", "128"})
    public int inFlight;

    @Override
    protected int inFlight() {
        return inFlight;
    }

    @Override
    protected AsyncKv openKv() {
        return AsyncKv.create(client, BenchRedis.port());
    }
}
