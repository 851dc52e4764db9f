package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import org.openjdk.jmh.annotations.Param;

/**
 * This library's GET and SET (100-byte values, 10,000 keys) on one redis-server against a Redis
 * Cluster of three primaries (each with a replica), all on the same machine, with a bounded window
 * of {@code inFlight} asynchronous calls from one thread: how throughput changes with shards.
 */
public class TopologyKvBenchmark extends KvBenchmark {

    @Param({"single", "cluster"})
    public String topology;

    @Param({"16", "128"})
    public int inFlight;

    @Override
    protected int inFlight() {
        return inFlight;
    }

    @Override
    protected AsyncKv openKv() {
        return switch (topology) {
            case "single" -> AsyncKv.create("brickworks", BenchRedis.port());
            case "cluster" -> new AsyncKv.BrickworksKv(
                    BrickworksCache.builder().settings(BenchCluster.settings().build()).build());
            default -> throw new IllegalArgumentException("unknown topology: " + topology);
        };
    }
}
