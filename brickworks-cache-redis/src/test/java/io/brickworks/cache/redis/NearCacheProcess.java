package io.brickworks.cache.redis;

import io.brickworks.cache.BlockingBrickworksCache;
import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A replica in its own JVM, started by {@link NearCacheProcessesTest} with {@code java -cp}.
 *
 * <ul>
 * <li>{@code write <port> <seconds> <log>}: sets random keys {@code k0..k99} to increasing numbers
 *     (one write in flight, near cache off) for the given time; logs {@code key value
 *     completedMicros} per write, then prints {@code WROTE <count>}.</li>
 * <li>{@code read <port> <log>}: prints {@code READY}, then reads random keys through its near cache
 *     until a line arrives on stdin, logging {@code key startedMicros value} per read; then, after one
 *     second of quiet, compares every held entry with Redis (a plain Lettuce connection) and prints
 *     {@code HELD <entries> STALE <differing>}.</li>
 * </ul>
 * Times are wall-clock microseconds ({@link Instant#now()}), comparable across processes on one host.
 */
public final class NearCacheProcess {

    static final int KEYS = 100;

    private NearCacheProcess() {
    }

    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        CacheSettings.Builder settings = CacheSettings.builder().useRedis(true).redisHost("127.0.0.1").redisPort(port)
                .commandTimeout(Duration.ofSeconds(5));
        if (args[0].equals("write")) {
            try (BrickworksCache cache = BrickworksCache.builder().settings(settings.build()).build()) {
                write(cache.blocking(), Long.parseLong(args[2]), Path.of(args[3]));
            }
        } else {
            try (BrickworksCache cache = BrickworksCache.builder().settings(settings.nearCache(true).build()).build()) {
                read(cache, port, Path.of(args[2]));
            }
        }
    }

    private static void write(BlockingBrickworksCache cache, long seconds, Path log) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long value = 0;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.US_ASCII))) {
            while (System.nanoTime() < end) {
                int key = ThreadLocalRandom.current().nextInt(KEYS);
                value++;
                try {
                    cache.setKey("k" + key, Long.toString(value));
                } catch (RuntimeException redisDown) {
                    // a fault injected by the test: only completed writes are logged
                    Thread.sleep(20);
                    continue;
                }
                out.println(key + " " + value + " " + micros());
            }
        }
        System.out.println("WROTE " + value);
    }

    private static void read(BrickworksCache cache, int port, Path log) throws Exception {
        BlockingBrickworksCache blocking = cache.blocking();
        AtomicBoolean stop = new AtomicBoolean();
        Thread stopper = new Thread(() -> {
            try {
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
            } catch (Exception e) {
                // the parent is gone: stop too
            }
            stop.set(true);
        }, "stop-on-stdin");
        stopper.setDaemon(true);
        stopper.start();
        System.out.println("READY");
        System.out.flush();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.US_ASCII))) {
            while (!stop.get()) {
                int key = ThreadLocalRandom.current().nextInt(KEYS);
                long started = micros();
                String value;
                try {
                    value = blocking.getKey("k" + key);
                } catch (RuntimeException redisDown) {
                    // a fault injected by the test: reads go on once Redis is back
                    Thread.sleep(20);
                    continue;
                }
                out.println(key + " " + started + " " + (value == null ? "-1" : value));
                LockSupport.parkNanos(20_000);
            }
        }
        Thread.sleep(1000);
        NearCache near = NearCacheTest.nearCacheOf(cache);
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        int stale = 0;
        Map<String, byte[]> held = near.snapshot();
        try (StatefulRedisConnection<String, String> plain = client.connect()) {
            for (Map.Entry<String, byte[]> e : held.entrySet()) {
                if (!new String(e.getValue(), StandardCharsets.UTF_8).equals(plain.sync().get(e.getKey()))) {
                    stale++;
                }
            }
        } finally {
            client.shutdown();
        }
        System.out.println("HELD " + held.size() + " STALE " + stale);
    }
}
