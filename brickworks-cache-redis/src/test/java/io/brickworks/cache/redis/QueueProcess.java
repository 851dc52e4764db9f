package io.brickworks.cache.redis;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.queue.PushOptions;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.QueueWorker;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.cache.queue.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A replica in its own JVM, started by {@link RedisQueueProcessesTest} with {@code java -cp}; it
 * talks to the test through stdout lines.
 *
 * <ul>
 * <li>{@code produce <port> <queue> <count> <jobs>}: pushes {@code job-00000} ... with
 *     {@code pushToQueue} (plain {@code RPUSH}, as the Python original would), in batches of 500,
 *     and then {@code prio-00000} ... with {@code ReliableQueue.push}, each with its name as job id
 *     and priority {@code i % 4}, each twice (the second push must be a duplicate); prints
 *     {@code DUPLICATES <n>} and {@code PUSHED <count>}.</li>
 * <li>{@code consume <port> <queue> <visibilityMs>}: runs a {@link QueueWorker} with 4 in flight
 *     under a queue-wide concurrency limit of {@value #LIMIT}, job ids held 10 minutes after their ack;
 *     the handler works 3 ms and prints {@code DONE <item> <id> <attempt>} before returning (so
 *     before the acknowledgement). Prints {@code READY} and runs until killed.</li>
 * </ul>
 */
public final class QueueProcess {

    /** The concurrency limit of the queue over all consumers. */
    static final int LIMIT = 6;

    private QueueProcess() {
    }

    public static void main(String[] args) throws Exception {
        CacheSettings settings = CacheSettings.builder().useRedis(true).redisHost("127.0.0.1")
                .redisPort(Integer.parseInt(args[1])).commandTimeout(Duration.ofSeconds(2)).build();
        try (BrickworksCache cache = BrickworksCache.builder().settings(settings).build()) {
            switch (args[0]) {
                case "produce" -> produce(cache, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
                case "consume" -> consume(cache, args[2], Duration.ofMillis(Long.parseLong(args[3])));
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        }
    }

    private static void produce(BrickworksCache cache, String queue, int count, int jobs) throws Exception {
        for (int start = 0; start < count; start += 500) {
            List<CompletableFuture<Long>> pushes = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + 500); i++) {
                pushes.add(cache.pushToQueue(queue, String.format("job-%05d", i)));
            }
            for (CompletableFuture<Long> p : pushes) {
                p.get(30, TimeUnit.SECONDS);
            }
        }
        ReliableQueue reliable = cache.reliableQueue(queue);
        int duplicates = 0;
        for (int i = 0; i < jobs; i++) {
            String job = String.format("prio-%05d", i);
            PushOptions options = PushOptions.defaults().withJobId(job).withPriority(i % 4);
            reliable.push(job, options).get(30, TimeUnit.SECONDS);
            if (reliable.push(job, options).get(30, TimeUnit.SECONDS).duplicate()) {
                duplicates++;
            }
        }
        System.out.println("DUPLICATES " + duplicates);
        System.out.println("PUSHED " + count);
    }

    private static void consume(BrickworksCache cache, String queue, Duration visibility) throws Exception {
        ReliableQueue jobs = cache.reliableQueue(queue,
                QueueOptions.defaults().withVisibilityTimeout(visibility).withMaxAttempts(100)
                        .withConcurrencyLimit(LIMIT).withDeduplicationWindow(Duration.ofMinutes(10)));
        QueueWorker worker = jobs.consume(d -> {
            Thread.sleep(3);
            System.out.println("DONE " + d.item() + " " + d.id() + " " + d.attempt());
        }, WorkerOptions.defaults().withConcurrency(4).withRetryBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)));
        System.out.println("READY");
        new CountDownLatch(1).await();
        worker.close();
    }
}
