package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.queue.ReliableQueue;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
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
 */
public class ReliableQueueBenchmark extends WindowedBenchmark {

    private static final String QUEUE = "bench-reliable";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Param({"brickworks-ack", "brickworks-pop", "redisson-take"})
    public String client;

    private BrickworksCache cache;
    private ReliableQueue reliable;
    private RedissonClient redisson;
    private RBlockingQueue<String> blocking;

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
            reliable = cache.reliableQueue(QUEUE);
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
            default -> throw new IllegalArgumentException("unknown client: " + client);
        };
    }

    @Benchmark
    public void pushReceive() {
        awaitSlot();
        track(pushThenReceive());
    }
}
