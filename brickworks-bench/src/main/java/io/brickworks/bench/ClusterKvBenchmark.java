package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.openjdk.jmh.annotations.Param;
import org.redisson.Redisson;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * GET and SET (100-byte values, 10,000 keys) on the three-primary Redis Cluster of {@link BenchCluster},
 * with a window of {@code inFlight} asynchronous calls from one thread: this library against
 * Lettuce's cluster client and Redisson's cluster mode, each built with its defaults, as its
 * documentation shows.
 */
public class ClusterKvBenchmark extends KvBenchmark {

    @Param({"brickworks", "lettuce", "redisson"})
    public String client;

    @Param({"16", "128"})
    public int inFlight;

    @Override
    protected int inFlight() {
        return inFlight;
    }

    @Override
    protected AsyncKv openKv() {
        return switch (client) {
            case "brickworks" -> new AsyncKv.BrickworksKv(
                    BrickworksCache.builder().settings(BenchCluster.settings().build()).build());
            case "lettuce" -> new LettuceClusterKv();
            case "redisson" -> new AsyncKv.RedissonKv(redissonCluster());
            default -> throw new IllegalArgumentException("unknown client: " + client);
        };
    }

    private static org.redisson.api.RedissonClient redissonCluster() {
        Config config = new Config();
        config.setCodec(StringCodec.INSTANCE);
        for (String seed : BenchCluster.seeds().split(",")) {
            config.useClusterServers().addNodeAddress("redis://" + seed);
        }
        return Redisson.create(config);
    }

    /** Lettuce's cluster client: one cluster connection, string codec, its defaults. */
    static final class LettuceClusterKv implements AsyncKv {
        private final RedisClusterClient client;
        private final StatefulRedisClusterConnection<String, String> connection;
        final RedisAdvancedClusterAsyncCommands<String, String> commands;
        private final SetArgs expiry = SetArgs.Builder.px(Keys.TTL.toMillis());

        LettuceClusterKv() {
            List<RedisURI> seeds = new ArrayList<>();
            for (String seed : BenchCluster.seeds().split(",")) {
                String[] hostPort = seed.split(":");
                seeds.add(RedisURI.create(hostPort[0], Integer.parseInt(hostPort[1])));
            }
            client = RedisClusterClient.create(seeds);
            connection = client.connect();
            commands = connection.async();
        }

        @Override
        public CompletionStage<?> get(int i) {
            return commands.get(Keys.FULL[i]);
        }

        @Override
        public CompletionStage<?> set(int i, String value) {
            return commands.set(Keys.FULL[i], value, expiry);
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }
}
