package io.brickworks.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;

/**
 * The performance targets, checked against one run's numbers. A target whose numbers are
 * missing is "not measured", and one whose numbers contradict themselves "undecided", never "met".
 */
final class Targets {

    /** One target: what it asks, what was measured, and the verdict (met, missed, not measured). */
    record Verdict(String target, String measured, String result) {
    }

    private final Report report;
    private final List<Verdict> verdicts = new ArrayList<>();

    private Targets(Report report) {
        this.report = report;
    }

    static List<Verdict> check(Report report) {
        Targets t = new Targets(report);
        for (String op : List.of("get", "set")) {
            for (int w : List.of(16, 128)) {
                t.ratio("Redis " + op.toUpperCase() + " at " + w + " in flight ≥ raw Lettuce",
                        kv(op, "brickworks", w), kv(op, "lettuce", w), r -> r >= 1.0);
                for (String peer : List.of("redisson")) {
                    t.ratio("Redis " + op.toUpperCase() + " at " + w + " in flight > Redisson",
                            kv(op, "brickworks", w), kv(op, peer, w), r -> r > 1.0);
                }
                String sync = "RedisKvSyncBenchmark." + op + "2Threads";
                t.ratio("Redis " + op.toUpperCase() + " at " + w + " in flight > Jedis (2 threads)",
                        kv(op, "brickworks", w), Comparison.id(sync, "client=jedis"), r -> r > 1.0);
                t.ratio("Redis " + op.toUpperCase() + " at " + w + " in flight > Spring Data Redis (2 threads)",
                        kv(op, "brickworks", w), Comparison.id(sync, "client=spring"), r -> r > 1.0);
            }
            t.ratio("Redis " + op.toUpperCase() + " at 1 in flight within 5% of raw Lettuce",
                    kv(op, "brickworks", 1), kv(op, "lettuce", 1), r -> r >= 0.95);
        }
        // issue 18: the memory backend is the local tier with nothing behind it; its target is an absolute
        // rate, no longer a ratio to bare Caffeine
        String memoryGet = Comparison.id("MemoryKvBenchmark.get1Thread", "client=brickworks");
        Double memoryOps = report.ops(memoryGet);
        t.add("Memory get (1 thread): at least a few million reads a second (≥ 2,000,000)",
                memoryOps == null ? null : String.format("%,.0f reads/s", memoryOps),
                memoryOps == null ? null : memoryOps >= 2_000_000);
        String near = Comparison.id("NearCacheKvBenchmark.get1Thread", "client=brickworks-near");
        t.ratio("Near-cache hit ≥ 100 × raw Lettuce GET at 1 in flight", near, kv("get", "lettuce", 1), r -> r >= 100);
        t.ratio("Near-cache hit ≥ 0.5 × the memory backend's get", near, memoryGet, r -> r >= 0.5);
        t.ratio("Function-cache hit on Redis with the near cache within 2 × of memory's",
                Comparison.id("FunctionCacheBenchmark.cachedHit", "backend=redis-near"),
                Comparison.id("FunctionCacheBenchmark.cachedHit", "backend=memory"), r -> r >= 0.5);
        NearCacheInvalidationDelay.Result delay = report.nearInvalidation;
        t.add("Near-cache invalidation delay: median under 1 ms on loopback",
                delay == null ? null : String.format("median %.1f µs, p99 %.1f µs", delay.median() / 1000.0,
                        delay.p99() / 1000.0),
                delay == null ? null : delay.median() < 1_000_000);
        Double hit = report.ops(Comparison.id("FunctionCacheBenchmark.cachedHit", "backend=memory"));
        t.add("Function-cache hit on memory < 1 µs", hit == null ? null : String.format("%.2f µs", 1e6 / hit),
                hit == null ? null : 1e6 / hit < 1.0);
        t.ratio("Function-cache hit on Redis within 10% of a plain get",
                Comparison.id("FunctionCacheBenchmark.cachedHit", "backend=redis"),
                Comparison.id("FunctionCacheBenchmark.plainGet", "backend=redis"), r -> r >= 0.9);
        // issue 28: the cluster against the peers' cluster clients; bulk reads
        for (String op : List.of("get", "set")) {
            for (int w : List.of(16, 128)) {
                String ours = Comparison.id("ClusterKvBenchmark." + op, "client=brickworks", "inFlight=" + w);
                for (String peer : List.of("lettuce", "redisson")) {
                    t.ratio("Cluster " + op.toUpperCase() + " at " + w + " in flight ≥ " + peer + " cluster client",
                            ours, Comparison.id("ClusterKvBenchmark." + op, "client=" + peer, "inFlight=" + w),
                            r -> r >= 1.0);
                }
            }
        }
        for (String topology : List.of("single", "cluster")) {
            for (int w : List.of(1, 8)) {
                String ours = Comparison.bulk("brickworks-bulk", topology, w);
                t.ratio("Bulk read of 100 keys (" + topology + ", " + w + " in flight) > 100 single reads in flight",
                        ours, Comparison.bulk("brickworks-single", topology, w), r -> r > 1.0);
                t.ratio("Bulk read of 100 keys (" + topology + ", " + w + " in flight) ≥ 0.9 × raw Lettuce MGET",
                        ours, Comparison.bulk("lettuce-mget", topology, w), r -> r >= 0.9);
            }
        }
        t.ratio("Bulk GET keys/s (one server, 8 pages in flight) > 0.30 × redis-benchmark GET pipeline 16 "
                        + "(the share single GETs reach)",
                Comparison.bulk("brickworks-bulk", "single", 8), Comparison.limitId("GET", 16), r -> r > 0.30);
        String lock = "LockBenchmark.acquireRelease";
        for (String ours : List.of("brickworks", "brickworks-handle")) {
            for (String peer : List.of("redisson", "shedlock", "shedlock-safe")) {
                t.ratio("Lock cycles (" + ours + ") > " + peer, Comparison.id(lock, "client=" + ours),
                        Comparison.id(lock, "client=" + peer), r -> r > 1.0);
            }
        }
        RoundTrips.Count small = report.commands.get("brickworks index listing, 100 keys");
        RoundTrips.Count large = report.commands.get("brickworks index listing, 10,000 keys");
        t.add("Index listing: constant round trips whatever the size",
                small == null || large == null ? null
                        : small.clientCommands() + " command(s) at 100 keys, " + large.clientCommands() + " at 10,000",
                small == null || large == null ? null : small.clientCommands() == large.clientCommands());
        for (ColdStartBurst.Result burst : report.bursts) {
            t.add("Cold-start burst (" + burst.cpus() + " CPU): 0 failures, 10,000 misses within 10× 10,000 setKey",
                    String.format("%d failed, ratio %.1f", burst.failures(), burst.ratio()),
                    burst.failures() == 0 && burst.ratio() <= 10);
        }
        return t.verdicts;
    }

    private static String kv(String op, String client, int inFlight) {
        return Comparison.id("RedisKvBenchmark." + op, "client=" + client, "inFlight=" + inFlight);
    }

    private void ratio(String target, String ours, String theirs, DoublePredicate met) {
        Double a = report.ops(ours);
        Double b = report.ops(theirs);
        if (a == null || b == null || b == 0) {
            add(target, null, null);
        } else {
            double r = a / b;
            add(target, String.format("ratio %.2f", r), met.test(r));
        }
    }

    private void add(String target, String measured, Boolean met) {
        verdicts.add(new Verdict(target, measured == null ? "n/a" : measured,
                met == null ? (measured == null ? "not measured" : "UNDECIDED") : met ? "met" : "MISSED"));
    }
}
