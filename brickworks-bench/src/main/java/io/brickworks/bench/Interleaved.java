package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.tck.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The interleaved pass ({@code bench/run --interleaved BLOCKS}) of the latency-bound cases, the
 * counterpart of {@link Rounds}: every client in one JVM, all warm, each block running 200 calls of
 * every case in an order shuffled per block, so that consecutive blocks of two clients see the same
 * machine. A ratio is the geometric mean of the per-block ratios. Its bias is the opposite of a
 * fork per case: the clients share the JIT's profiles of the code they have in common (Lettuce), and
 * their idle threads. Neither is exact; where both agree, the result holds.
 */
final class Interleaved {

    /** One measured case: a name and one call (a whole cycle: both round trips). */
    interface Call {
        void run() throws Exception;
    }

    private static final int CALLS_PER_BLOCK = 200;
    private static final int WARM_UP_BLOCKS = 5;
    /** Calls of each case before any block, so that the JIT has compiled every path (C2 after about 10,000). */
    private static final int WARM_UP_CALLS = 15_000;
    private static final String LOCK = "bench-interleaved-lock";

    private final Map<String, Call> cases = new LinkedHashMap<>();
    private final Map<String, List<Double>> micros = new LinkedHashMap<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Pairs of (ours, peer) case names, and the threshold, as in {@link Rounds}. */
    private static final List<String[]> PAIRS = List.of(
            new String[] {"lock cycle: attemptDistributedLock + release", "lock cycle: ShedLock", "> 1"},
            new String[] {"lock cycle: attemptDistributedLock + release", "lock cycle: Redisson RLock", "> 1"},
            new String[] {"lock cycle: attemptDistributedLock + release", "lock cycle: ShedLock, owner-checked release", "> 1"},
            new String[] {"lock cycle: tryLock handle (fenced) + release", "lock cycle: ShedLock", "> 1"},
            new String[] {"lock cycle: tryLock handle (fenced) + release", "lock cycle: ShedLock, owner-checked release", "> 1"},
            new String[] {"lock cycle: tryLock handle (fenced) + release", "lock cycle: Redisson RLock", "> 1"},
            new String[] {"lock cycle: attemptDistributedLock + release",
                    "lock cycle: raw Lettuce SET NX PX + owner-checked script", "(floor)"},
            new String[] {"lock cycle: tryLock handle (fenced) + release",
                    "lock cycle: tryLock handle, tokens without the floor (before issue 23)", "(cost of the floor)"},
            new String[] {"lock cycle: tryLock handle (fenced) + release", "lock cycle: Redisson RFencedLock", "> 1"},
            new String[] {"lock cycle: withLock synced to 1 replica (WAIT)",
                    "lock cycle: withLock, same primary with 1 replica", "(cost of WAIT)"},
            new String[] {"function-cache hit on Redis", "getKey on Redis", "≥ 0.90"},
            new String[] {"getKey on Redis", "raw Lettuce GET", "≥ 0.95"});

    private Interleaved() {
    }

    static void run(int blocks, int port, Path out, Map<String, String> machine) throws Exception {
        Interleaved bench = new Interleaved();
        try {
            bench.open(port);
            System.out.println("Interleaved: " + blocks + " blocks × " + bench.cases.size() + " cases × "
                    + CALLS_PER_BLOCK + " calls, one JVM, order shuffled per block");
            bench.measure(blocks);
        } finally {
            bench.close();
        }
        String table = bench.table();
        System.out.println();
        System.out.print(table);
        Files.writeString(out.resolve("interleaved.md"), bench.markdown(blocks, table, machine));
        System.out.println("Wrote " + out.resolve("interleaved.md"));
    }

    private void open(int port) {
        BrickworksCache cache = Clients.brickworksRedis(port);
        resources.add(cache);
        LockClient handle = LockClient.create("brickworks-handle", port);
        resources.add(handle::close);
        LockClient shedlock = LockClient.create("shedlock", port);
        resources.add(shedlock::close);
        LockClient shedlockSafe = LockClient.create("shedlock-safe", port);
        resources.add(shedlockSafe::close);
        LockClient redisson = LockClient.create("redisson", port);
        resources.add(redisson::close);
        LockClient unfloored = LockClient.create("brickworks-handle-unfloored", port);
        resources.add(unfloored::close);
        LockClient redissonFenced = LockClient.create("redisson-fenced", port);
        resources.add(redissonFenced::close);
        // the synced-replica pair on a primary of its own, so that its replica's stream costs the other cases nothing
        RedisServer replicated = RedisServer.start();
        LockClient withLock = LockClient.create("brickworks-withlock", replicated.port());
        resources.add(withLock::close);
        LockClient synced = LockClient.create("brickworks-synced", replicated.port());
        resources.add(synced::close);
        resources.add(replicated);
        RedisClient client = RedisClient.create(BenchRedis.uri(port));
        resources.add(client::shutdown);
        StatefulRedisConnection<String, String> connection = client.connect();
        RedisAsyncCommands<String, String> lettuce = connection.async();
        String release = connection.sync().scriptLoad(
                "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0");
        FunctionCacheBenchmark functions = new FunctionCacheBenchmark();
        functions.backend = "redis";
        functions.open();
        resources.add(functions::close);
        Keys.Cursor cursor = new Keys.Cursor();

        cases.put("lock cycle: attemptDistributedLock + release", () -> {
            require(cache.attemptDistributedLock(LOCK, LockClient.LEASE).join());
            require(cache.releaseDistributedLock(LOCK).join());
        });
        cases.put("lock cycle: tryLock handle (fenced) + release", () -> handle.acquireAndRelease(LOCK));
        cases.put("lock cycle: tryLock handle, tokens without the floor (before issue 23)",
                () -> unfloored.acquireAndRelease(LOCK + "-unfloored"));
        cases.put("lock cycle: Redisson RFencedLock", () -> redissonFenced.acquireAndRelease(LOCK + "-fenced"));
        cases.put("lock cycle: withLock, same primary with 1 replica", () -> withLock.acquireAndRelease(LOCK));
        cases.put("lock cycle: withLock synced to 1 replica (WAIT)", () -> synced.acquireAndRelease(LOCK + "-synced"));
        cases.put("lock cycle: ShedLock", () -> shedlock.acquireAndRelease(LOCK));
        cases.put("lock cycle: ShedLock, owner-checked release", () -> shedlockSafe.acquireAndRelease(LOCK + "-safe"));
        cases.put("lock cycle: Redisson RLock", () -> redisson.acquireAndRelease(LOCK));
        cases.put("lock cycle: raw Lettuce SET NX PX + owner-checked script", () -> {
            String key = LOCK + "-raw";
            require("OK".equals(lettuce.set(key, "owner", SetArgs.Builder.nx().px(LockClient.LEASE.toMillis())).get()));
            require(lettuce.<Boolean>evalsha(release, ScriptOutputType.BOOLEAN, new String[] {key}, "owner").get());
        });
        cases.put("function-cache hit on Redis", () -> {
            functions.cachedHit(cursor);
            functions.cachedHit(cursor);
        });
        cases.put("getKey on Redis", () -> {
            cache.getKey(Keys.PLAIN[cursor.next()]).join();
            cache.getKey(Keys.PLAIN[cursor.next()]).join();
        });
        cases.put("raw Lettuce GET", () -> {
            lettuce.get(Keys.FULL[cursor.next()]).get();
            lettuce.get(Keys.FULL[cursor.next()]).get();
        });
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("a lock that should have been free was not taken or not released");
        }
    }

    private void measure(int blocks) throws Exception {
        for (Call call : cases.values()) {
            for (int i = 0; i < WARM_UP_CALLS; i++) {
                call.run();
            }
        }
        List<String> order = new ArrayList<>(cases.keySet());
        for (int block = 0; block < WARM_UP_BLOCKS + blocks; block++) {
            Collections.shuffle(order, new Random(block));
            for (String name : order) {
                Call call = cases.get(name);
                long start = System.nanoTime();
                for (int i = 0; i < CALLS_PER_BLOCK; i++) {
                    call.run();
                }
                double us = (System.nanoTime() - start) / 1e3 / CALLS_PER_BLOCK;
                if (block >= WARM_UP_BLOCKS) {
                    micros.computeIfAbsent(name, k -> new ArrayList<>()).add(us);
                }
            }
            if ((block + 1) % 10 == 0) {
                System.out.println("  block " + (block + 1) + " of " + (WARM_UP_BLOCKS + blocks));
            }
        }
    }

    private void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
        }
    }


    private String table() {
        StringBuilder t = new StringBuilder();
        t.append("| Case | Median µs per call (both round trips) | Interquartile range |\n|---|---:|---|\n");
        micros.forEach((name, list) -> t.append(String.format("| %s | %.1f | %.1f – %.1f |%n", name,
                Stats.median(list), Stats.quantile(list, 4, 1), Stats.quantile(list, 4, 3))));
        t.append("\n| Comparison | Ratio of calls/s (geometric mean over blocks) | Blocks ahead | Target |\n"
                + "|---|---:|---:|---|\n");
        for (String[] p : PAIRS) {
            List<Double> ours = micros.get(p[0]);
            List<Double> theirs = micros.get(p[1]);
            double logSum = 0;
            int ahead = 0;
            for (int i = 0; i < ours.size(); i++) {
                double ratio = theirs.get(i) / ours.get(i); // time ratio inverted: calls per second
                logSum += Math.log(ratio);
                ahead += ratio > 1 ? 1 : 0;
            }
            t.append(String.format("| %s vs %s | %.2f | %d of %d | %s |%n", p[0], p[1], Math.exp(logSum / ours.size()),
                    ahead, ours.size(), p[2]));
        }
        return t.toString();
    }

    private String markdown(int blocks, String table, Map<String, String> machine) throws IOException {
        StringBuilder md = new StringBuilder("# Interleaved: the latency-bound cases in one JVM\n\n");
        md.append("Generated by `bench/run --interleaved ").append(blocks).append("`. Every client lives in one JVM, "
                + "warmed up together (").append(WARM_UP_CALLS).append(" calls of each case, then ")
                .append(WARM_UP_BLOCKS).append(" blocks not counted); each block runs ")
                .append(CALLS_PER_BLOCK).append(" calls of every case, in an order shuffled per block. A call is a "
                        + "whole cycle: acquire and release, or two gets. The ratio is calls per second, Brickworks ÷ "
                        + "the compared case, as a geometric mean of the per-block ratios.\n\n"
                        + "This is the counterpart of the paired rounds (`rounds.md`, a JMH fork per case): here the "
                        + "clients share the JIT's profiles of the code they have in common (Lettuce) and their idle "
                        + "threads, there each runs alone but minutes apart, in a fresh JVM. Neither is exact; where "
                        + "both agree, the result holds.\n\n");
        md.append(table).append("\n## Machine\n\n");
        machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        return md.toString();
    }
}
