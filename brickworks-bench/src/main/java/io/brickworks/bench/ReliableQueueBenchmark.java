package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.queue.PushOptions;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.ReliableQueue;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.redisson.api.RBlockingQueue;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The cost of reliability: one operation is a push followed by a receive of one item, 16 in flight.
 * {@code brickworks-ack}: {@code pushToQueue}, then {@code reliableQueue.receive} and {@code ack}
 * (three round trips, each receive and ack one script); {@code brickworks-pop}: {@code pushToQueue}
 * then the plain {@code popFromQueue} ({@code LPOP}, at most once); {@code redisson-take}: Redisson's
 * {@code RBlockingQueue} {@code offer} then {@code take} ({@code BLPOP}, at most once).
 *
 * <p>The cost of each job feature against {@code brickworks-ack}: {@code brickworks-ack-dedup} pushes
 * with a fresh job id ({@code push(item, withJobId)}, one script) before the receive and ack;
 * {@code brickworks-ack-priority} pushes with priority 2; {@code brickworks-ack-limits} receives with
 * a concurrency limit (1024, never reached) and a rate limit (10 million per second, never reached),
 * so both are checked and counted on every receive. Redisson's open-source {@code RBlockingQueue} has
 * none of these; its {@code RPriorityBlockingQueue} has priorities but refuses the asynchronous
 * offer ({@code UnsupportedOperationException: use offer method}), so it has no row here.
 */
public class ReliableQueueBenchmark extends WindowedBenchmark {

    private static final String QUEUE = "bench-reliable";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Param({"brickworks-ack", "brickworks-pop", "redisson-take", "brickworks-ack-dedup", "brickworks-ack-priority",
        "brickworks-ack-limits"})
    public String client;

    private BrickworksCache cache;
    private ReliableQueue reliable;
    private RedissonClient redisson;
    private RBlockingQueue<String> blocking;
    private final AtomicLong jobIds = new AtomicLong();

    @Override
    protected int inFlight() {
        return 16;
    }

    @Override
    protected void openClient() {
        if (client.startsWith("redisson")) {
            redisson = Clients.redisson(BenchRedis.port());
            blocking = redisson.getBlockingQueue(Keys.SCOPE + QUEUE, StringCodec.INSTANCE);
        } else {
            cache = Clients.brickworksRedis(BenchRedis.port());
            reliable = cache.reliableQueue(QUEUE, client.equals("brickworks-ack-limits")
                    ? QueueOptions.defaults().withConcurrencyLimit(1024).withRateLimit(10_000_000)
                    : QueueOptions.defaults());
        }
    }

    @Override
    protected void closeClient() {
        if (redisson != null) {
            redisson.shutdown();
        } else {
            cache.close();
        }
    }

    private CompletionStage<?> pushThenReceive() {
        return switch (client) {
            case "brickworks-ack" -> cache.pushToQueue(QUEUE, Keys.VALUE)
                    .thenCompose(n -> reliable.receive(WAIT))
                    .thenCompose(d -> d.map(Delivery::ack).orElseThrow());
            case "brickworks-pop" -> cache.pushToQueue(QUEUE, Keys.VALUE).thenCompose(n -> cache.popFromQueue(QUEUE));
            case "redisson-take" -> blocking.offerAsync(Keys.VALUE).thenCompose(added -> blocking.takeAsync());
            case "brickworks-ack-limits" -> cache.pushToQueue(QUEUE, Keys.VALUE)
                    .thenCompose(n -> reliable.receive(WAIT))
                    .thenCompose(d -> d.map(Delivery::ack).orElseThrow());
            case "brickworks-ack-dedup", "brickworks-ack-priority" -> reliable.push(Keys.VALUE,
                            client.endsWith("dedup") ? PushOptions.defaults().withJobId("job-" + jobIds.incrementAndGet())
                                    : PushOptions.defaults().withPriority(2))
                    .thenCompose(n -> reliable.receive(WAIT))
                    .thenCompose(d -> d.map(Delivery::ack).orElseThrow());
            default -> throw new IllegalArgumentException("unknown client: " + client);
        };
    }

    @Benchmark
    public void pushReceive() {
        awaitSlot();
        track(pushThenReceive());
    }
}
