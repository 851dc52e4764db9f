package io.brickworks.bench;

import io.brickworks.cache.tck.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one redis-server of a benchmark run. {@link BenchMain} starts it, fills it and hands its port
 * to the forked benchmark JVMs in the system property {@value #PORT_PROPERTY}; a benchmark run
 * without that property (straight from the JMH command line) starts and fills its own server, which
 * a shutdown hook kills.
 */
public final class BenchRedis {

    /** The system property that carries the port of the run's redis-server. */
    public static final String PORT_PROPERTY = "bench.redis.port";

    private static RedisServer own;

    private BenchRedis() {
    }

    /** The port of the run's server, starting one on first use when no port was handed in. */
    public static synchronized int port() {
        String given = System.getProperty(PORT_PROPERTY);
        if (given != null) {
            return Integer.parseInt(given);
        }
        if (own == null) {
            RedisServer server = RedisServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "bench-redis-stop"));
            fill(server.port());
            own = server;
        }
        return own.port();
    }

    /** A Lettuce URI of the server on {@code port}. */
    public static RedisURI uri(int port) {
        return RedisURI.create(RedisServer.HOST, port);
    }

    /** Writes the {@value Keys#COUNT} keys with their 100-byte values and this library's default expiry. */
    public static void fill(int port) {
        RedisClient client = RedisClient.create(uri(port));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> async = connection.async();
            SetArgs args = SetArgs.Builder.px(Keys.TTL.toMillis());
            List<RedisFuture<String>> replies = new ArrayList<>(Keys.COUNT);
            for (String key : Keys.FULL) {
                replies.add(async.set(key, Keys.VALUE, args));
            }
            for (RedisFuture<String> reply : replies) {
                if (!"OK".equals(reply.get(30, TimeUnit.SECONDS))) {
                    throw new IllegalStateException("SET answered " + reply.get());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot fill the redis-server on port " + port, e);
        } finally {
            client.shutdown();
        }
    }
}
