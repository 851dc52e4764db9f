package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.ReliableQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * BullMQ's public benchmark scenarios, so that the figures can be set beside theirs (theirs run
 * Node against one Redis; these run one JVM thread of async calls against the bench's redis-server):
 * {@code add} (one job added per operation), {@code addBulk} (50 jobs added per operation, as one
 * batch of pipelined pushes) and {@code worker} (the "worker with concurrency 100": per operation a
 * job is pushed, received and acknowledged, 100 operations in flight, so the queue never runs dry
 * and each job costs its push too). All at 100 in flight. Each operation counts one call of the
 * method: for {@code addBulk}, multiply by 50 for jobs per second.
 */
public class QueueJobScenariosBenchmark extends WindowedBenchmark {

    private static final String QUEUE = "bench-jobs";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Param({"100"})
    public int concurrency;

    private BrickworksCache cache;
    private ReliableQueue queue;

    @Override
    protected int inFlight() {
        return concurrency;
    }

    @Override
    protected void openClient() {
        cache = Clients.brickworksRedis(BenchRedis.port());
        queue = cache.reliableQueue(QUEUE, QueueOptions.defaults());
    }

    @Override
    protected void closeClient() {
        cache.close();
    }

    @Benchmark
    public void add() {
        awaitSlot();
        track(queue.push(Keys.VALUE));
    }

    @Benchmark
    public void addBulk() {
        awaitSlot();
        List<CompletableFuture<Long>> pushes = new ArrayList<>(50);
        for (int i = 0; i < 50; i++) {
            pushes.add(queue.push(Keys.VALUE));
        }
        track(CompletableFuture.allOf(pushes.toArray(new CompletableFuture<?>[0])));
    }

    /** Receives and acknowledges one job; pushes one first so that the queue never runs dry. */
    @Benchmark
    public void worker() {
        awaitSlot();
        CompletionStage<?> job = queue.push(Keys.VALUE)
                .thenCompose(n -> queue.receive(WAIT))
                .thenCompose(d -> d.map(Delivery::ack).orElseThrow());
        track(job);
    }
}
