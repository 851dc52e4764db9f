package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.CompletionStage;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The adapter of the asynchronous Redis key-value cases: get and set of key {@code i} of
 * {@link Keys}, each with the same expiry.
 */
public interface AsyncKv extends AutoCloseable {

    /** The clients of this case, as named in {@code @Param}. */
    String[] NAMES = {"brickworks", "lettuce", "redisson"};

    CompletionStage<?> get(int i);

    CompletionStage<?> set(int i, String value);

    @Override
    void close();

    /** The adapter for {@code name}, connected to the server on {@code port}. */
    static AsyncKv create(String name, int port) {
        switch (name) {
            case "brickworks":
                return new BrickworksKv(Clients.brickworksRedis(port));
            case "brickworks-metered":
                return new BrickworksKv(Clients.metered(Clients.brickworksRedis(port)));
            case "lettuce":
                return new LettuceKv(RedisClient.create(BenchRedis.uri(port)));
            case "redisson":
                return new RedissonKv(Clients.redisson(port));
            default:
                throw new IllegalArgumentException("unknown client: " + name);
        }
    }

    /** This library: plain keys, which it scopes itself. */
    final class BrickworksKv implements AsyncKv {
        private final BrickworksCache cache;

        BrickworksKv(BrickworksCache cache) {
            this.cache = cache;
        }

        @Override
        public CompletionStage<?> get(int i) {
            return cache.getKey(Keys.PLAIN[i]);
        }

        @Override
        public CompletionStage<?> set(int i, String value) {
            return cache.setKey(Keys.PLAIN[i], value);
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    /** Raw Lettuce: one connection, string codec, its default auto-flush. */
    final class LettuceKv implements AsyncKv {
        private final RedisClient client;
        private final StatefulRedisConnection<String, String> connection;
        private final RedisAsyncCommands<String, String> commands;
        private final SetArgs expiry = SetArgs.Builder.px(Keys.TTL.toMillis());

        LettuceKv(RedisClient client) {
            this.client = client;
            this.connection = client.connect();
            this.commands = connection.async();
        }

        @Override
        public CompletionStage<?> get(int i) {
            return commands.get(Keys.FULL[i]);
        }

        @Override
        public CompletionStage<?> set(int i, String value) {
            return commands.set(Keys.FULL[i], value, expiry);
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }

    /** Redisson: an {@code RBucket} per call with the string codec, as its documentation shows. */
    final class RedissonKv implements AsyncKv {
        private final RedissonClient redisson;

        RedissonKv(RedissonClient redisson) {
            this.redisson = redisson;
        }

        @Override
        public CompletionStage<?> get(int i) {
            return redisson.<String>getBucket(Keys.FULL[i], StringCodec.INSTANCE).getAsync();
        }

        @Override
        public CompletionStage<?> set(int i, String value) {
            return redisson.<String>getBucket(Keys.FULL[i], StringCodec.INSTANCE).setAsync(value, Keys.TTL);
        }

        @Override
        public void close() {
            redisson.shutdown();
        }
    }
}
