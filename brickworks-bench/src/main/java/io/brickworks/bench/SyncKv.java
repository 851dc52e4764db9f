package io.brickworks.bench;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.params.SetParams;

/**
 * The adapter of the synchronous key-value cases, whose concurrency is their threads: the synchronous
 * Redis peers here, the in-process caches in {@link MemoryKv}.
 */
public interface SyncKv extends AutoCloseable {

    Object get(int i);

    void set(int i, String value);

    @Override
    void close();

    /** The Redis adapter for {@code name}, connected to the server on {@code port}. */
    static SyncKv create(String name, int port) {
        switch (name) {
            case "jedis":
                return new JedisKv(Clients.jedisPool(port));
            case "spring":
                return new SpringKv(Clients.springFactory(port));
            default:
                throw new IllegalArgumentException("unknown client: " + name);
        }
    }

    /** Jedis: a connection borrowed from the pool for each call. */
    final class JedisKv implements SyncKv {
        private final JedisPool pool;
        private final SetParams expiry = SetParams.setParams().px(Keys.TTL.toMillis());

        JedisKv(JedisPool pool) {
            this.pool = pool;
        }

        @Override
        public Object get(int i) {
            try (Jedis jedis = pool.getResource()) {
                return jedis.get(Keys.FULL[i]);
            }
        }

        @Override
        public void set(int i, String value) {
            try (Jedis jedis = pool.getResource()) {
                jedis.set(Keys.FULL[i], value, expiry);
            }
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** Spring Data Redis: {@code StringRedisTemplate} over Lettuce. */
    final class SpringKv implements SyncKv {
        private final LettuceConnectionFactory factory;
        private final StringRedisTemplate template;

        SpringKv(LettuceConnectionFactory factory) {
            this.factory = factory;
            this.template = new StringRedisTemplate(factory);
        }

        @Override
        public Object get(int i) {
            return template.opsForValue().get(Keys.FULL[i]);
        }

        @Override
        public void set(int i, String value) {
            template.opsForValue().set(Keys.FULL[i], value, Keys.TTL);
        }

        @Override
        public void close() {
            factory.destroy();
        }
    }
}
