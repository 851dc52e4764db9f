package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * This library's GET and SET (100-byte values, 10,000 keys) on one redis-server against a Redis
 * Cluster of three primaries (each with a replica), all on the same machine, with a bounded window
 * of {@code inFlight} asynchronous calls from one thread: how throughput changes with shards.
 */
public class TopologyKvBenchmark extends WindowedBenchmark {

    @Param({"single", "cluster"})
    public String topology;

    @Param({"16", "128"})
    public int inFlight;

    private AsyncKv kv;

    @Override
    protected int inFlight() {
        return inFlight;
    }

    @Override
    protected void openClient() {
        kv = switch (topology) {
            case "single" -> AsyncKv.create("brickworks", BenchRedis.port());
            case "cluster" -> new AsyncKv.BrickworksKv(
                    BrickworksCache.builder().settings(BenchCluster.settings().build()).build());
            default -> throw new IllegalArgumentException("unknown topology: " + topology);
        };
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
