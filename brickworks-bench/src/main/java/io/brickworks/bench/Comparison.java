package io.brickworks.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of the result table: a case of this library and what it is compared with (a peer's
 * result, or the limit that redis-benchmark measured), or nothing for a case without a peer.
 *
 * @param caseName the case, e.g. {@code Redis GET, 16 in flight}
 * @param ours the result id of this library's case
 * @param peer the peer as shown, or null
 * @param peerId the result id of the peer, or null
 */
record Comparison(String caseName, String ours, String peer, String peerId) {

    /** The id of a JMH result: {@code Class.method} and its parameters, {@code key=value}, sorted by key. */
    static String id(String benchmark, String... params) {
        return params.length == 0 ? benchmark : benchmark + " " + String.join(" ", params);
    }

    /** The id of a redis-benchmark result. */
    static String limitId(String command, int pipeline) {
        return "redis-benchmark " + command + " P" + pipeline;
    }

    /** The id of a {@code BulkReadBenchmark} result. */
    static String bulk(String client, String topology, int inFlight) {
        return id("BulkReadBenchmark.readPage", "client=" + client, "inFlight=" + inFlight, "topology=" + topology);
    }

    /** Every row of the table, in the order shown. */
    static List<Comparison> all() {
        List<Comparison> rows = new ArrayList<>();
        for (String op : List.of("get", "set")) {
            String command = op.toUpperCase();
            for (int w : List.of(1, 16, 128)) {
                String caseName = "Redis " + command + ", " + w + " in flight";
                String ours = id("RedisKvBenchmark." + op, "client=brickworks", "inFlight=" + w);
                rows.add(new Comparison(caseName, ours, "Lettuce async, " + w + " in flight",
                        id("RedisKvBenchmark." + op, "client=lettuce", "inFlight=" + w)));
                rows.add(new Comparison(caseName, ours, "Redisson RBucket async, " + w + " in flight",
                        id("RedisKvBenchmark." + op, "client=redisson", "inFlight=" + w)));
                String threads = w == 1 ? "1Thread" : "2Threads";
                String shown = w == 1 ? "1 thread" : "2 threads";
                rows.add(new Comparison(caseName, ours, "Jedis pooled, " + shown,
                        id("RedisKvSyncBenchmark." + op + threads, "client=jedis")));
                rows.add(new Comparison(caseName, ours, "Spring StringRedisTemplate, " + shown,
                        id("RedisKvSyncBenchmark." + op + threads, "client=spring")));
                if (w > 1) {
                    for (int pipeline : List.of(1, 16)) {
                        rows.add(new Comparison(caseName, ours,
                                "limit: redis-benchmark " + Limit.CLIENTS + " clients, pipeline " + pipeline,
                                limitId(command, pipeline)));
                    }
                }
            }
        }
        for (String op : List.of("get", "set")) {
            for (String threads : List.of("1Thread", "2Threads")) {
                String shown = threads.equals("1Thread") ? "1 thread" : "2 threads";
                String caseName = "Memory " + op + ", " + shown;
                String method = "MemoryKvBenchmark." + op + threads;
                String ours = id(method, "client=brickworks");
                String call = op.equals("get") ? "getIfPresent" : "put";
                rows.add(new Comparison(caseName, ours, "Caffeine " + call, id(method, "client=caffeine")));
                if (op.equals("get")) {
                    rows.add(new Comparison(caseName, ours, "Caffeine getIfPresent, then a field of the value read",
                            id(method, "client=caffeine-checked")));
                }
                rows.add(new Comparison(caseName, ours, "Caffeine " + call + ", per-entry expiry",
                        id(method, "client=caffeine-expiring")));
                rows.add(new Comparison(caseName, ours, "ConcurrentHashMap", id(method, "client=chm")));
                rows.add(new Comparison(caseName, ours, "(diagnostic) its own backend below the API",
                        id(method, "client=brickworks-spi")));
            }
        }
        String lock = "LockBenchmark.acquireRelease";
        for (String ours : List.of("brickworks", "brickworks-handle")) {
            String caseName = ours.equals("brickworks") ? "Lock acquire + release (attempt/releaseDistributedLock)"
                    : "Lock acquire + release (tryLock handle, fenced)";
            rows.add(new Comparison(caseName, id(lock, "client=" + ours), "Redisson RLock", id(lock, "client=redisson")));
            rows.add(new Comparison(caseName, id(lock, "client=" + ours), "ShedLock Redis (Spring), default release (DEL)",
                    id(lock, "client=shedlock")));
            rows.add(new Comparison(caseName, id(lock, "client=" + ours),
                    "ShedLock Redis (Spring), owner-checked release (safeUpdate)", id(lock, "client=shedlock-safe")));
        }
        for (int w : List.of(1, 16)) {
            String queue = "QueueBenchmark.pushPop";
            rows.add(new Comparison("Queue push + pop, " + w + " in flight",
                    id(queue, "client=brickworks", "inFlight=" + w), "Redisson RQueue",
                    id(queue, "client=redisson", "inFlight=" + w)));
        }
        for (String backend : List.of("memory", "redis")) {
            String fn = "FunctionCacheBenchmark";
            rows.add(new Comparison("Function cache hit, " + backend, id(fn + ".cachedHit", "backend=" + backend),
                    "plain getKey on " + backend, id(fn + ".plainGet", "backend=" + backend)));
        }
        String near = id("NearCacheKvBenchmark.get1Thread", "client=brickworks-near");
        rows.add(new Comparison("Near-cache hit (Redis, near cache on), 1 thread", near, "Lettuce async GET, 1 in flight",
                id("RedisKvBenchmark.get", "client=lettuce", "inFlight=1")));
        rows.add(new Comparison("Near-cache hit (Redis, near cache on), 1 thread", near, "its memory backend's getKey, 1 thread",
                id("MemoryKvBenchmark.get1Thread", "client=brickworks")));
        rows.add(new Comparison("Function cache hit, redis with the near cache",
                id("FunctionCacheBenchmark.cachedHit", "backend=redis-near"), "function cache hit on memory",
                id("FunctionCacheBenchmark.cachedHit", "backend=memory")));
        // issue 28: the three-primary cluster against the peers' cluster clients, and bulk reads
        for (String op : List.of("get", "set")) {
            for (int w : List.of(16, 128)) {
                String caseName = "Cluster " + op.toUpperCase() + ", " + w + " in flight";
                String ours = id("ClusterKvBenchmark." + op, "client=brickworks", "inFlight=" + w);
                rows.add(new Comparison(caseName, ours, "Lettuce cluster client, " + w + " in flight",
                        id("ClusterKvBenchmark." + op, "client=lettuce", "inFlight=" + w)));
                rows.add(new Comparison(caseName, ours, "Redisson cluster mode, " + w + " in flight",
                        id("ClusterKvBenchmark." + op, "client=redisson", "inFlight=" + w)));
            }
        }
        for (String topology : List.of("single", "cluster")) {
            for (int w : List.of(1, 8)) {
                String caseName = "Bulk read of 100 keys (" + topology + "), " + w + " in flight, keys/s";
                String ours = bulk("brickworks-bulk", topology, w);
                rows.add(new Comparison(caseName, ours, "100 single getKey in flight", bulk("brickworks-single", topology, w)));
                rows.add(new Comparison(caseName, ours, "raw Lettuce MGET", bulk("lettuce-mget", topology, w)));
                if (topology.equals("single")) {
                    rows.add(new Comparison(caseName, ours, "limit: redis-benchmark GET " + Limit.CLIENTS
                            + " clients, pipeline 16", limitId("GET", 16)));
                }
            }
        }
        for (int size : List.of(100, 10_000)) {
            rows.add(new Comparison("Index listing, " + size + " keys",
                    id("IndexListingBenchmark.list", "size=" + size), null, null));
        }
        return rows;
    }
}
