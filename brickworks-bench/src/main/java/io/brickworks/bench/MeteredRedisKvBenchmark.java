package io.brickworks.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * The cost of bound meters on the Redis get path (GET at 1 and 16 in flight): this library without
 * a metrics binder and with {@code brickworks-micrometer} bound to a {@code SimpleMeterRegistry}
 * (a read counter and the command timer, per call).
 */
public class MeteredRedisKvBenchmark extends KvBenchmark {

    @Param({"brickworks", "brickworks-metered"})
    public String client;

    @Param({"1", "16"})
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
