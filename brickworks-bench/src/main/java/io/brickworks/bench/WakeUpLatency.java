package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.redisson.api.RBlockingQueue;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The wake-up latency of a waiting receive: a receiver waits on an empty queue; the time from the
 * start of a push by another client to the completion of the receive, median and 99th percentile
 * over {@code samples} pushes (after 200 warm-up ones). Cases: this library's acknowledged
 * {@code receive} (a {@code BLMOVE} wait, then the claim script), its waiting {@code popFromQueue}
 * ({@code BLPOP}) and Redisson's {@code RBlockingQueue.take} ({@code BLPOP}). Starts its own
 * redis-server. {@code WakeUpLatency [samples]}.
 */
public final class WakeUpLatency {

    private WakeUpLatency() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            try (BrickworksCache consumer = Clients.brickworksRedis(port);
                 BrickworksCache producer = Clients.brickworksRedis(port)) {
                ReliableQueue queue = consumer.reliableQueue("wake-ack");
                report("brickworks receive (reliable)", samples, () -> queue.receive(Duration.ofSeconds(10))
                        .thenCompose(d -> d.map(Delivery::ack).orElseThrow()),
                        () -> producer.pushToQueue("wake-ack", Keys.VALUE));
                report("brickworks popFromQueue(wait)", samples,
                        () -> consumer.popFromQueue("wake-pop", Duration.ofSeconds(10)),
                        () -> producer.pushToQueue("wake-pop", Keys.VALUE));
            }
            RedissonClient consumer = Clients.redisson(port);
            RedissonClient producer = Clients.redisson(port);
            try {
                RBlockingQueue<String> in = consumer.getBlockingQueue("wake-take", StringCodec.INSTANCE);
                RBlockingQueue<String> out = producer.getBlockingQueue("wake-take", StringCodec.INSTANCE);
                report("redisson RBlockingQueue.take", samples, in::takeAsync, () -> out.offerAsync(Keys.VALUE));
            } finally {
                consumer.shutdown();
                producer.shutdown();
            }
        }
    }

    private static void report(String name, int samples, Supplier<CompletionStage<?>> receive,
                               Supplier<CompletionStage<?>> push) throws Exception {
        long[] micros = new long[samples];
        for (int i = -200; i < samples; i++) {
            CompletableFuture<?> waiting = receive.get().toCompletableFuture();
            Thread.sleep(3); // the receiver is waiting on the server by now
            long t0 = System.nanoTime();
            push.get();
            waiting.get(10, TimeUnit.SECONDS);
            long took = (System.nanoTime() - t0) / 1000;
            if (i >= 0) {
                micros[i] = took;
            }
        }
        Arrays.sort(micros);
        System.out.printf("%-34s median %6d µs   p99 %6d µs   (%d samples)%n", name, micros[samples / 2],
                micros[(int) Math.ceil(samples * 0.99) - 1], samples);
    }
}
