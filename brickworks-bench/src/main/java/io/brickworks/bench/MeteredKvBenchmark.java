package io.brickworks.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * The cost of bound meters on the memory get path: this library's memory backend without a metrics
 * binder and with {@code brickworks-micrometer} bound to a {@code SimpleMeterRegistry}. Run with
 * {@code bench/run --include 'MeteredKvBenchmark.get1Thread|MeteredRedisKvBenchmark.get'}.
 */
public class MeteredKvBenchmark extends SyncKvBenchmark {

    @Param({"brickworks", "brickworks-metered"})
    public String client;

    @Override
    protected SyncKv create() {
        return MemoryKv.create(client);
    }
}
