package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;

/**
 * Reading a page of {@value #PAGE} keys (of the 10,000 pre-filled, 100-byte values) with a window of
 * {@code inFlight} pages from one thread, in keys per second: this library's bulk read
 * ({@code getMany}), the same page as {@value #PAGE} single {@code getKey} calls all in flight, and a
 * raw Lettuce {@code MGET} of the page; on one server and on the three-primary cluster (where
 * Lettuce's cluster {@code MGET} splits the page by slot itself).
 */
@OperationsPerInvocation(BulkReadBenchmark.PAGE)
public class BulkReadBenchmark extends WindowedBenchmark {

    /** Keys per page. */
    static final int PAGE = 100;

    @Param({"brickworks-bulk", "brickworks-single", "lettuce-mget"})
    public String client;

    @Param({"single", "cluster"})
    public String topology;

    @Param({"1", "8"})
    public int inFlight;

    private BrickworksCache cache;
    private RedisClient lettuce;
    private StatefulRedisConnection<String, String> connection;
    private RedisAsyncCommands<String, String> commands;
    private ClusterKvBenchmark.LettuceClusterKv clusterLettuce;

    @Override
    protected int inFlight() {
        return inFlight;
    }

    @Override
    protected void openClient() {
        boolean cluster = topology.equals("cluster");
        if (client.equals("lettuce-mget")) {
            if (cluster) {
                clusterLettuce = new ClusterKvBenchmark.LettuceClusterKv();
            } else {
                lettuce = RedisClient.create(BenchRedis.uri(BenchRedis.port()));
                connection = lettuce.connect();
                commands = connection.async();
            }
        } else {
            cache = cluster ? BrickworksCache.builder().settings(BenchCluster.settings().build()).build()
                    : Clients.brickworksRedis(BenchRedis.port());
        }
    }

    @Override
    protected void closeClient() {
        if (cache != null) {
            cache.close();
        }
        if (connection != null) {
            connection.close();
            lettuce.shutdown();
        }
        if (clusterLettuce != null) {
            clusterLettuce.close();
        }
    }

    /** A page of keys that starts at a random place in the cursor's walk. */
    private static int[] page(Keys.Cursor cursor) {
        int[] page = new int[PAGE];
        for (int i = 0; i < PAGE; i++) {
            page[i] = cursor.next();
        }
        return page;
    }

    @Benchmark
    public void readPage(Keys.Cursor cursor) {
        int[] page = page(cursor);
        awaitSlot();
        switch (client) {
            case "brickworks-bulk" -> {
                List<String> keys = new ArrayList<>(PAGE);
                for (int i : page) {
                    keys.add(Keys.PLAIN[i]);
                }
                track(cache.getMany(keys));
            }
            case "brickworks-single" -> {
                CompletableFuture<?>[] reads = new CompletableFuture<?>[PAGE];
                for (int i = 0; i < PAGE; i++) {
                    reads[i] = cache.getKey(Keys.PLAIN[page[i]]);
                }
                track(CompletableFuture.allOf(reads));
            }
            case "lettuce-mget" -> {
                String[] keys = new String[PAGE];
                for (int i = 0; i < PAGE; i++) {
                    keys[i] = Keys.FULL[page[i]];
                }
                track(clusterLettuce != null ? clusterLettuce.commands.mget(keys) : commands.mget(keys));
            }
            default -> throw new IllegalArgumentException("unknown client: " + client);
        }
    }
}
