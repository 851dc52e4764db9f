package io.brickworks.cli;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where the store is: the settings the environment gives ({@code CacheSettings.fromEnvironment}),
 * overridden by these flags. A flag naming a Redis (host, cluster nodes, sentinels) implies
 * {@code --redis}.
 */
final class ConnectionOptions {

    @Option(names = "--redis", description = "Use Redis even when USE_REDIS is not set.")
    boolean redis;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Redis host (REDIS_HOST).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Redis port (REDIS_PORT).")
    Integer port;

    @Option(names = "--db", paramLabel = "N", description = "Redis database (REDIS_DB).")
    Integer db;

    @Option(names = "--user", paramLabel = "USER", description = "ACL user (REDIS_USERNAME).")
    String user;

    @Option(names = "--ssl", description = "Use TLS (REDIS_SSL).")
    boolean ssl;

    @Option(names = "--cluster-nodes", paramLabel = "HOST:PORT,...", description = "Cluster seeds (REDIS_CLUSTER_NODES).")
    String clusterNodes;

    @Option(names = "--sentinels", paramLabel = "HOST:PORT,...", description = "Sentinels (REDIS_SENTINELS).")
    String sentinels;

    @Option(names = "--sentinel-master", paramLabel = "NAME", description = "Primary's name at the sentinels (REDIS_SENTINEL_MASTER).")
    String sentinelMaster;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Command timeout (REDIS_COMMAND_TIMEOUT_MS).")
    Long timeoutMillis;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "Key prefix (CACHE_KEY_PREFIX).")
    String prefix;

    /**
     * The settings: the environment's, then the flags.
     *
     * @throws IllegalArgumentException for a bad value, naming the variable or flag
     * @throws IllegalStateException when neither the environment nor a flag selects Redis
     */
    CacheSettings settings(java.util.Map<String, String> env) {
        CacheSettings.Builder b = CacheSettings.fromEnvironment(env).toBuilder();
        boolean useRedis = redis || host != null || port != null || clusterNodes != null || sentinels != null;
        if (useRedis) {
            b.useRedis(true);
        }
        if (host != null) {
            b.redisHost(host);
        }
        if (port != null) {
            b.redisPort(port);
        }
        if (db != null) {
            b.redisDb(db);
        }
        if (user != null) {
            b.redisUsername(user);
        }
        if (ssl) {
            b.redisSsl(true);
        }
        if (clusterNodes != null) {
            b.redisClusterNodes(CacheSettings.HostAndPort.parseList("--cluster-nodes", clusterNodes));
        }
        if (sentinels != null) {
            b.redisSentinels(CacheSettings.HostAndPort.parseList("--sentinels", sentinels));
        }
        if (sentinelMaster != null) {
            b.redisSentinelMaster(sentinelMaster);
        }
        if (timeoutMillis != null) {
            b.commandTimeout(Duration.ofMillis(timeoutMillis));
        }
        if (prefix != null) {
            b.keyPrefix(prefix);
        }
        CacheSettings settings = b.build();
        if (!settings.useRedis()) {
            throw new IllegalStateException("no Redis to look into: the memory backend lives inside one process. Set "
                    + "USE_REDIS=1 with REDIS_HOST/REDIS_PORT (or REDIS_CLUSTER_NODES, REDIS_SENTINELS), or pass --host/--port");
        }
        return settings;
    }

    /** Connects to the store. */
    BrickworksCache open(java.util.Map<String, String> env) {
        return BrickworksCache.builder().settings(settings(env)).build();
    }
}
