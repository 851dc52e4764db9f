package io.brickworks.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Acquire-and-release cycles of a free lock, one thread: this library against Redisson RLock and
 * RFencedLock and ShedLock. {@code brickworks-handle-unfloored} draws fencing tokens without the
 * floor at the server's clock (the scheme before issue 23, a benchmark-only baseline);
 * {@code brickworks-synced} is a synced-replica {@code withLock} on a primary with one replica,
 * beside {@code brickworks-withlock}, the same without the option.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class LockBenchmark {

    @Param({"brickworks", "brickworks-handle", "brickworks-handle-unfloored", "brickworks-withlock", "brickworks-synced",
            "redisson", "redisson-fenced", "shedlock", "shedlock-safe"})
    public String client;

    private LockClient locks;

    @Setup(Level.Trial)
    public void open() {
        locks = LockClient.create(client, BenchRedis.port());
    }

    @TearDown(Level.Trial)
    public void close() {
        locks.close();
    }

    @Benchmark
    public void acquireRelease() {
        locks.acquireAndRelease("bench-lock");
    }
}
