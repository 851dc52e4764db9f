package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The near cache on the three-primary Redis Cluster of {@link BenchCluster}, a plain program (not
 * part of the JMH pass), in two parts.
 *
 * <p><b>Hits against a Cluster GET.</b> {@code getKey} of keys the near cache holds against a
 * synchronous {@code GET} of Lettuce's cluster client (1 in flight), interleaved in one JVM
 * ({@code rounds} rounds, shuffled order; hits in blocks of 200,000, GETs in blocks of 2,000).
 *
 * <p><b>Tracking modes.</b> Per primary, raw RESP3 connections: one in the default mode
 * ({@code CLIENT TRACKING ON}, what the near cache does: Redis remembers the keys read there) that
 * reads the node's share of {@code held} keys, and one with {@code BCAST PREFIX brickworks:}
 * (nothing read). Then a writer sets all {@value Keys#COUNT} keys once. Printed: the keys each mode
 * was told of (the invalidation traffic to one process), and the servers' tracking tables
 * ({@code INFO stats}: tracked keys and prefixes) and {@code used_memory} before the writes.
 * A hit does not touch the tracking connection in either mode, so hit throughput does not depend on
 * the mode; what differs is the traffic every write causes and the memory on the servers.
 *
 * <p>{@code NearCacheClusterModes [rounds] [held]}, defaults 10 and 1,000.
 */
public final class NearCacheClusterModes {

    private NearCacheClusterModes() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int held = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        String seeds = BenchCluster.seeds();
        List<RedisURI> uris = new ArrayList<>();
        for (String seed : seeds.split(",")) {
            String[] hp = seed.split(":");
            uris.add(RedisURI.create(hp[0], Integer.parseInt(hp[1])));
        }
        RedisClusterClient clusterClient = RedisClusterClient.create(uris);
        try (StatefulRedisClusterConnection<String, String> cluster = clusterClient.connect()) {
            modes(held, cluster); // first, so that only this part's connections are in the servers' tracking tables
            try (BrickworksCache near = BrickworksCache.builder()
                    .settings(BenchCluster.settings().nearCache(true).nearCacheMaxEntries(4L * Keys.COUNT).build()).build()) {
                hits(rounds, near, cluster.sync());
            }
        } finally {
            clusterClient.shutdown();
        }
        System.exit(0);
    }

    private static void hits(int rounds, BrickworksCache near, RedisAdvancedClusterCommands<String, String> get)
            throws Exception {
        for (int i = 0; i < Keys.COUNT; i++) {
            near.getKey(Keys.PLAIN[i]).get(5, TimeUnit.SECONDS);
        }
        Keys.Cursor cursor = new Keys.Cursor();
        long sink = 0;
        int hitBlock = 200_000;
        int getBlock = 2_000;
        List<Double> ratios = new ArrayList<>();
        List<String> order = new ArrayList<>(List.of("near", "get"));
        double hitRate = 0;
        double getRate = 0;
        for (int r = -2; r < rounds; r++) {
            Collections.shuffle(order);
            Map<String, Double> rate = new HashMap<>();
            for (String v : order) {
                long start = System.nanoTime();
                if (v.equals("near")) {
                    for (int i = 0; i < hitBlock; i++) {
                        sink += near.getKey(Keys.PLAIN[cursor.next()]).getNow(null) == null ? 1 : 0;
                    }
                    rate.put(v, hitBlock * 1e9 / (System.nanoTime() - start));
                } else {
                    for (int i = 0; i < getBlock; i++) {
                        sink += get.get(Keys.FULL[cursor.next()]) == null ? 1 : 0;
                    }
                    rate.put(v, getBlock * 1e9 / (System.nanoTime() - start));
                }
            }
            if (r >= 0) { // two warm-up rounds
                ratios.add(rate.get("near") / rate.get("get"));
                hitRate += rate.get("near") / rounds;
                getRate += rate.get("get") / rounds;
            }
        }
        if (sink != 0) {
            throw new IllegalStateException(sink + " reads missed: the keys were not all held");
        }
        Collections.sort(ratios);
        System.out.printf("near-cache hit on the Cluster: %,.0f ops/s; Cluster GET (Lettuce, 1 in flight): %,.0f ops/s; "
                        + "ratio median %.0f (min %.0f, max %.0f) over %d rounds; stats %s%n", hitRate, getRate,
                ratios.get(ratios.size() / 2), ratios.get(0), ratios.get(ratios.size() - 1), rounds,
                near.nearCacheStats().orElseThrow());
    }

    private static void modes(int held, StatefulRedisClusterConnection<String, String> cluster) throws Exception {
        List<RedisClusterNode> primaries = new ArrayList<>();
        for (RedisClusterNode n : cluster.getPartitions()) {
            if (n.is(RedisClusterNode.NodeFlag.UPSTREAM) && !n.getSlots().isEmpty()) {
                primaries.add(n);
            }
        }
        RedisClient client = RedisClient.create();
        LongAdder defaultKeys = new LongAdder();
        LongAdder bcastKeys = new LongAdder();
        Map<String, StatefulRedisConnection<String, String>> tracking = new HashMap<>();
        List<StatefulRedisConnection<String, String>> all = new ArrayList<>();
        try {
            for (RedisClusterNode n : primaries) {
                StatefulRedisConnection<String, String> d = client.connect(n.getUri());
                d.addListener(m -> count(m, defaultKeys));
                d.sync().clientTracking(TrackingArgs.Builder.enabled());
                StatefulRedisConnection<String, String> b = client.connect(n.getUri());
                b.addListener(m -> count(m, bcastKeys));
                b.sync().clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes("brickworks:"));
                tracking.put(n.getNodeId(), d);
                all.add(d);
                all.add(b);
            }
            long memoryBefore = 0;
            for (RedisClusterNode n : primaries) {
                memoryBefore += field(tracking.get(n.getNodeId()).sync().info("memory"), "used_memory");
            }
            for (int i = 0; i < held; i++) {
                String key = Keys.FULL[i];
                tracking.get(cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(key)).getNodeId()).sync().get(key);
            }
            long trackedKeys = 0;
            long prefixes = 0;
            long usedMemory = 0;
            for (RedisClusterNode n : primaries) {
                String info = tracking.get(n.getNodeId()).sync().info();
                trackedKeys += field(info, "tracking_total_keys");
                prefixes += field(info, "tracking_total_prefixes");
                usedMemory += field(info, "used_memory");
            }
            RedisAdvancedClusterCommands<String, String> writer = cluster.sync();
            for (int i = 0; i < Keys.COUNT; i++) {
                writer.set(Keys.FULL[i], Keys.VALUE);
            }
            for (StatefulRedisConnection<String, String> c : all) {
                c.sync().ping(); // every push queued before the writes' replies has arrived
            }
            System.out.printf("tracking modes, %,d keys held of %,d, each written once: default mode (per primary) told of %,d "
                            + "keys; BCAST PREFIX told of %,d keys (%.1fx); servers' tracking tables: %,d keys, %,d prefixes "
                            + "(used_memory of the primaries grew by %,d bytes with the default mode's reads)%n", held, Keys.COUNT,
                    defaultKeys.sum(), bcastKeys.sum(), (double) bcastKeys.sum() / Math.max(1, defaultKeys.sum()),
                    trackedKeys, prefixes, usedMemory - memoryBefore);
        } finally {
            all.forEach(StatefulRedisConnection::close);
            client.shutdown();
        }
    }

    private static void count(io.lettuce.core.api.push.PushMessage m, LongAdder keys) {
        if ("invalidate".equals(m.getType()) && m.getContent().size() > 1 && m.getContent().get(1) instanceof List<?> l) {
            keys.add(l.size());
        }
    }

    private static long field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }
}
