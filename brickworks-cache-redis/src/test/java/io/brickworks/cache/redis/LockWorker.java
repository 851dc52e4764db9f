package io.brickworks.cache.redis;

import static io.brickworks.cache.SetOptions.options;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.lock.LockOptions;
import io.brickworks.cache.lock.LockResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A replica in its own JVM, started by {@link RedisLockProcessesTest} with {@code java -cp}. It
 * talks to the test through stdout lines and its exit code.
 *
 * <ul>
 * <li>{@code contend <port> <lock> <iterations> <ttlMs>}: takes the lock {@code iterations} times
 *     (waiting for it), and inside each holding sets the marker {@code occupancy:holder} if absent
 *     (finding it present means two holders at once: prints {@code OVERLAP} and exits 3), appends
 *     {@code <token> <pid>} to the queue {@code fencing:tokens}, deletes the marker and releases.
 *     Prints {@code DONE <n> in <ms> ms}.</li>
 * <li>{@code contend-unlocked <port> <lock> <iterations> <ttlMs>}: the negative control, the same
 *     loop with the lock planted away (no lock is taken) and 5 ms spent holding the marker.</li>
 * <li>{@code hold <port> <lock> <ttlMs>}: runs {@code withLock} with work that ends only when the
 *     lock is lost; prints {@code HELD <token>} once it holds the lock, {@code LOST} when told of the
 *     loss, then {@code RESULT <status>} and exits.</li>
 * </ul>
 */
public final class LockWorker {

    private LockWorker() {
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        CacheSettings settings = CacheSettings.builder().useRedis(true).redisHost("127.0.0.1")
                .redisPort(Integer.parseInt(args[1])).build();
        try (BrickworksCache cache = BrickworksCache.builder().settings(settings).build()) {
            switch (args[0]) {
                case "contend" -> System.exit(contend(cache, args[2], Integer.parseInt(args[3]),
                        Duration.ofMillis(Long.parseLong(args[4])), true));
                case "contend-unlocked" -> System.exit(contend(cache, args[2], Integer.parseInt(args[3]),
                        Duration.ofMillis(Long.parseLong(args[4])), false));
                case "hold" -> hold(cache, args[2], Duration.ofMillis(Long.parseLong(args[3])));
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        }
    }

    private static int contend(BrickworksCache cache, String name, int iterations, Duration ttl, boolean locked)
            throws Exception {
        String pid = String.valueOf(ProcessHandle.current().pid());
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            Optional<LockHandle> taken = locked ? cache.lock(name, ttl, Duration.ofSeconds(60)).get(90, TimeUnit.SECONDS)
                    : Optional.empty();
            if (locked && taken.isEmpty()) {
                say("TIMEOUT " + i);
                return 4;
            }
            long token = taken.map(LockHandle::fencingToken).orElse((long) i);
            try {
                if (!cache.setKey("holder", pid, options().namespace("occupancy").ifAbsent()).get(30, TimeUnit.SECONDS)) {
                    say("OVERLAP " + token + " found " + cache.getKey("holder", "occupancy").get(30, TimeUnit.SECONDS));
                    return 3;
                }
                if (!locked) {
                    Thread.sleep(5);
                }
                cache.pushToQueue("tokens", token + " " + pid, "fencing").get(30, TimeUnit.SECONDS);
                cache.deleteKey("holder", "occupancy").get(30, TimeUnit.SECONDS);
            } finally {
                if (taken.isPresent()) {
                    taken.get().close();
                }
            }
        }
        say("DONE " + iterations + " in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        return 0;
    }

    private static void hold(BrickworksCache cache, String name, Duration ttl) throws Exception {
        CompletableFuture<String> work = new CompletableFuture<>();
        LockOptions options = LockOptions.of(ttl).withOnLost(handle -> {
            say("LOST");
            work.complete("stopped");
        });
        LockResult<String> result = cache.withLock(name, options, lock -> {
            say("HELD " + lock.fencingToken());
            return work;
        }).get(10, TimeUnit.MINUTES);
        say("RESULT " + result.status());
    }
}
