package io.brickworks.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * Redis GET and SET (100-byte values, 10,000 keys) from one thread with a bounded window of
 * {@code inFlight} asynchronous calls: this library against raw Lettuce and Redisson.
 */
public class RedisKvBenchmark extends WindowedBenchmark {

    @Param({"brickworks", "lettuce", "redisson"})
    public String client;

    @Param({"1", "16", "128"})
    public int inFlight;

    private AsyncKv kv;

    @Override
    protected int inFlight() {
        return inFlight;
    }

    @Override
    protected void openClient() {
        kv = AsyncKv.create(client, BenchRedis.port());
    }

    @Override
    protected void closeClient() {
        kv.close();
    }

    @Benchmark
    public void get(Keys.Cursor cursor) {
        awaitSlot();
        track(kv.get(cursor.next()));
    }

    @Benchmark
    public void set(Keys.Cursor cursor) {
        awaitSlot();
        track(kv.set(cursor.next(), Keys.VALUE));
    }
}
