package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.micrometer.BrickworksCacheMetrics;
import io.brickworks.cache.redis.BenchBackends;
import io.brickworks.cache.tck.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

/**
 * How each client is built for a benchmark: the way its documentation shows, with default settings,
 * against the run's redis-server on loopback.
 */
final class Clients {

    private Clients() {
    }

    /** This library on Redis, default settings except the address. */
    static BrickworksCache brickworksRedis(int port) {
        return BrickworksCache.builder()
                .settings(CacheSettings.builder().useRedis(true).redisHost(RedisServer.HOST).redisPort(port).build())
                .build();
    }

    /**
     * This library on Redis with the fencing scheme before issue 23 (no token floor), through the
     * package-private switch of the fencing tests' negative control: the lock benchmark's baseline.
     */
    static BrickworksCache brickworksRedisWithoutTokenFloor(int port) {
        CacheSettings settings = CacheSettings.builder().useRedis(true).redisHost(RedisServer.HOST).redisPort(port).build();
        return BrickworksCache.builder().settings(settings).backend(BenchBackends.withoutTokenFloor(settings)).build();
    }

    /** A replica of the server on {@code port}, started and in sync; the caller closes it. */
    static RedisServer replicaOf(int port) {
        RedisServer replica = RedisServer.start("--replicaof", RedisServer.HOST, String.valueOf(port));
        Awaitility.await("replica of " + port + " in sync").atMost(Duration.ofSeconds(60)).until(replica::linkUp);
        return replica;
    }

    /**
     * {@code cache} with its meters bound to a {@link SimpleMeterRegistry} (Micrometer's in-memory
     * registry: every event updates a real counter), for the cost of bound meters.
     */
    static BrickworksCache metered(BrickworksCache cache) {
        new BrickworksCacheMetrics(cache).bindTo(new SimpleMeterRegistry());
        return cache;
    }

    /** This library on Redis with the near cache on (room for every benchmark key), otherwise as {@link #brickworksRedis}. */
    static BrickworksCache brickworksRedisNear(int port) {
        return BrickworksCache.builder()
                .settings(CacheSettings.builder().useRedis(true).redisHost(RedisServer.HOST).redisPort(port)
                        .nearCache(true).nearCacheMaxEntries(4L * Keys.COUNT).build())
                .build();
    }

    /** This library on its embedded memory backend, default settings. */
    static BrickworksCache brickworksMemory() {
        return BrickworksCache.builder().settings(CacheSettings.builder().build()).build();
    }

    /** Redisson with one single-server configuration and the string codec. */
    static RedissonClient redisson(int port) {
        Config config = new Config();
        config.setCodec(StringCodec.INSTANCE);
        config.useSingleServer().setAddress("redis://" + RedisServer.HOST + ":" + port);
        return Redisson.create(config);
    }

    /** A Jedis pool big enough for the benchmark's threads. */
    static JedisPool jedisPool(int port) {
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(8);
        return new JedisPool(config, RedisServer.HOST, port);
    }

    /** Spring Data Redis's Lettuce connection factory (one shared native connection, its default). */
    static LettuceConnectionFactory springFactory(int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(RedisServer.HOST, port));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
