package io.brickworks.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * Queue push-then-pop pairs with 1 and 16 pairs in flight: this library against Redisson's
 * {@code RQueue}. One operation is one pair (two commands).
 */
public class QueueBenchmark extends WindowedBenchmark {

    @Param({"brickworks", "redisson"})
    public String client;

    @Param({"1", "16"})
    public int inFlight;

    private QueueClient queue;

    @Override
    protected int inFlight() {
        return inFlight;
    }

    @Override
    protected void openClient() {
        queue = QueueClient.create(client, BenchRedis.port());
    }

    @Override
    protected void closeClient() {
        queue.close();
    }

    @Benchmark
    public void pushPop() {
        awaitSlot();
        track(queue.pushThenPop(Keys.VALUE));
    }
}
