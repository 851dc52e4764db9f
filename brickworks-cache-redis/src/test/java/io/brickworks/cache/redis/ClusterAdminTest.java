package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.AdminContract;
import io.brickworks.cache.tck.RedisServer;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.OptionalLong;

/**
 * The admin contract on a Redis Cluster of three primaries: the walks must visit every primary.
 * The original's keys are written with {@code redis-cli -c} (following redirections).
 */
class ClusterAdminTest extends AdminContract {

    @Override
    protected CacheSettings.Builder settings() {
        return SharedTopologies.clusterSettings();
    }

    @Override
    protected void clearStore() {
        SharedTopologies.flushCluster();
    }

    @Override
    protected OptionalLong storedKeyCount() {
        return SharedTopologies.clusterKeyCount();
    }

    @Override
    protected void plain(String... command) {
        String[] args = new String[command.length + 1];
        args[0] = "-c";
        System.arraycopy(command, 0, args, 1, command.length);
        SharedTopologies.cluster().primaries().get(0).cli(args);
    }

    @Override
    protected void plainBytes(byte[] key) {
        RedisServer first = SharedTopologies.cluster().primaries().get(0);
        RedisClusterClient client = RedisClusterClient.create(RedisURI.create(first.host(), first.port()));
        try (StatefulRedisClusterConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            c.sync().setex(key, 600, new byte[] {'v'});
        } finally {
            client.shutdown();
        }
    }

    @Override
    protected long plainCount(String prefix) {
        long n = 0;
        for (RedisServer primary : SharedTopologies.cluster().primaries()) {
            n += SharedRedis.countKeys(primary, prefix);
        }
        return n;
    }
}
