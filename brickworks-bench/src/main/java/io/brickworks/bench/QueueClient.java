package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import java.util.concurrent.CompletionStage;
import org.redisson.api.RQueue;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** The adapter of the queue case: push one item to a FIFO queue, then pop one. */
public interface QueueClient extends AutoCloseable {

    /** The name of the queue (this library scopes it; Redisson gets the full key). */
    String QUEUE = "bench-queue";

    /** Pushes {@code item}, and once that is done pops the oldest item; completes with it. */
    CompletionStage<?> pushThenPop(String item);

    @Override
    void close();

    /** The adapter for {@code name}, connected to the server on {@code port}. */
    static QueueClient create(String name, int port) {
        switch (name) {
            case "brickworks":
                return new BrickworksQueue(Clients.brickworksRedis(port));
            case "redisson":
                return new RedissonQueue(Clients.redisson(port));
            default:
                throw new IllegalArgumentException("unknown client: " + name);
        }
    }

    /** This library's pushToQueue and popFromQueue (RPUSH, LPOP). */
    final class BrickworksQueue implements QueueClient {
        private final BrickworksCache cache;

        BrickworksQueue(BrickworksCache cache) {
            this.cache = cache;
        }

        @Override
        public CompletionStage<?> pushThenPop(String item) {
            return cache.pushToQueue(QUEUE, item).thenCompose(length -> cache.popFromQueue(QUEUE));
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    /** Redisson's {@code RQueue}: offer and poll, string codec. */
    final class RedissonQueue implements QueueClient {
        private final RedissonClient redisson;
        private final RQueue<String> queue;

        RedissonQueue(RedissonClient redisson) {
            this.redisson = redisson;
            this.queue = redisson.getQueue(Keys.SCOPE + QUEUE, StringCodec.INSTANCE);
        }

        @Override
        public CompletionStage<?> pushThenPop(String item) {
            return queue.offerAsync(item).thenCompose(added -> queue.pollAsync());
        }

        @Override
        public void close() {
            redisson.shutdown();
        }
    }
}
