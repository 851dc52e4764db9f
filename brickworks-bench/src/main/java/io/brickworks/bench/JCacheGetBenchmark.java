package io.brickworks.bench;

import java.net.URI;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.redisson.config.Config;
import org.redisson.jcache.configuration.RedissonConfiguration;

/**
 * JCache {@code get} hits of the 10,000 keys through three providers: this library's on Redis with the
 * near cache (every key read once before measuring, so every measured get is a near-cache hit),
 * Caffeine's in one JVM, and Redisson's on the same Redis. Store-by-value everywhere (JCache's default).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JCacheGetBenchmark {

    @Param({"brickworks-near", "caffeine", "redisson"})
    public String provider;

    private CacheManager manager;
    private Cache<String, String> cache;

    @Setup(Level.Trial)
    public void open() {
        MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class);
        int port = BenchRedis.port();
        switch (provider) {
            case "brickworks-near" -> {
                Properties p = new Properties();
                p.setProperty("USE_REDIS", "1");
                p.setProperty("REDIS_HOST", "127.0.0.1");
                p.setProperty("REDIS_PORT", Integer.toString(port));
                p.setProperty("NEAR_CACHE", "1");
                p.setProperty("NEAR_CACHE_MAX_ENTRIES", Integer.toString(4 * Keys.COUNT));
                CachingProvider cp = Caching.getCachingProvider("io.brickworks.cache.jcache.BrickworksCachingProvider");
                manager = cp.getCacheManager(URI.create("urn:bench:jcache"), getClass().getClassLoader(), p);
                cache = manager.createCache("bench", config);
            }
            case "caffeine" -> {
                CachingProvider cp = Caching.getCachingProvider(
                        "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider");
                manager = cp.getCacheManager();
                cache = manager.createCache("bench", config);
            }
            case "redisson" -> {
                Config c = new Config();
                c.useSingleServer().setAddress("redis://127.0.0.1:" + port);
                CachingProvider cp = Caching.getCachingProvider("org.redisson.jcache.JCachingProvider");
                try {
                    java.nio.file.Path yaml = java.nio.file.Files.createTempFile("redisson-jcache", ".yaml");
                    java.nio.file.Files.writeString(yaml, "singleServerConfig:\n  address: \"redis://127.0.0.1:"
                            + port + "\"\n");
                    manager = cp.getCacheManager(yaml.toUri(), getClass().getClassLoader());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                cache = manager.createCache("bench", RedissonConfiguration.fromConfig(c, config));
            }
            default -> throw new IllegalArgumentException("provider " + provider);
        }
        for (int i = 0; i < Keys.COUNT; i++) {
            cache.put(Keys.PLAIN[i], Keys.VALUE);
        }
        for (int i = 0; i < Keys.COUNT; i++) {
            cache.get(Keys.PLAIN[i]);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        manager.destroyCache("bench");
        manager.close();
    }

    @Benchmark
    @Threads(1)
    public Object get1Thread(Keys.Cursor cursor) {
        return cache.get(Keys.PLAIN[cursor.next()]);
    }
}
