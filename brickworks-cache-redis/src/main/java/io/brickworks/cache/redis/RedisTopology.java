package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.CacheSettings.HostAndPort;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns settings into Lettuce addresses and options for the three topologies: one server
 * ({@code redisHost}/{@code redisPort}), a primary found through Sentinel ({@code redisSentinels} and
 * {@code redisSentinelMaster}), and a Redis Cluster ({@code redisClusterNodes} as seeds). TLS
 * ({@code redisSsl}, trusting {@code redisSslCaCertificate} when given, host names verified) and the
 * ACL login ({@code redisUsername}/{@code redisPassword}) apply to every data node in all three.
 * Sentinels are reached with TLS when it is on, and without a login.
 */
final class RedisTopology {

    /** How often a cluster client re-reads the slot map even when nothing seems wrong. */
    static final Duration CLUSTER_REFRESH_PERIOD = Duration.ofSeconds(30);

    /** The shortest pause between two refreshes triggered by redirects or failing nodes. */
    static final Duration CLUSTER_ADAPTIVE_REFRESH_PAUSE = Duration.ofMillis(500);

    private RedisTopology() {
    }

    static boolean isCluster(CacheSettings settings) {
        return !settings.redisClusterNodes().isEmpty();
    }

    /** The address of the server, or of the Sentinel-monitored primary (with the sentinels to ask). */
    static RedisURI serverUri(CacheSettings settings) {
        RedisURI.Builder b;
        if (settings.redisSentinels().isEmpty()) {
            b = RedisURI.Builder.redis(settings.redisHost(), settings.redisPort());
        } else {
            b = RedisURI.builder().withSentinelMasterId(settings.redisSentinelMaster());
            for (HostAndPort sentinel : settings.redisSentinels()) {
                b.withSentinel(secured(RedisURI.Builder.redis(sentinel.host(), sentinel.port()), settings).build());
            }
        }
        b.withDatabase(settings.redisDb());
        return loggedIn(secured(b, settings), settings).build();
    }

    /** The seed nodes of a cluster, each with TLS and the login. */
    static List<RedisURI> clusterSeeds(CacheSettings settings) {
        List<RedisURI> seeds = new ArrayList<>();
        for (HostAndPort node : settings.redisClusterNodes()) {
            seeds.add(loggedIn(secured(RedisURI.Builder.redis(node.host(), node.port()), settings), settings).build());
        }
        return seeds;
    }

    private static RedisURI.Builder secured(RedisURI.Builder b, CacheSettings settings) {
        b.withTimeout(RedisBackendFactory.handshakeTimeout(settings)).withClientName("brickworks-cache");
        if (settings.redisSsl()) {
            b.withSsl(true).withVerifyPeer(SslVerifyMode.FULL);
        }
        return b;
    }

    private static RedisURI.Builder loggedIn(RedisURI.Builder b, CacheSettings settings) {
        String password = settings.redisPassword();
        String username = settings.redisUsername();
        if (username != null) {
            b.withAuthentication(username, password == null ? "" : password);
        } else if (password != null) {
            b.withPassword(password.toCharArray());
        }
        return b;
    }

    /**
     * Options for one server or Sentinel: at most once, Lettuce's auto-reconnect off because
     * {@link RedisLink} reconnects by itself (asking the Sentinels for the primary again each time).
     */
    static ClientOptions serverOptions(CacheSettings settings) {
        return ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(socketOptions(settings))
                .sslOptions(sslOptions(settings))
                .build();
    }

    /**
     * Options for a cluster: Lettuce's reconnection on (it follows failovers through it), commands
     * held while a node is down fail after the command timeout, the slot map is refreshed
     * periodically and whenever redirects, uncovered slots or failing nodes show it is stale, and
     * nodes flagged as failed are left out of the map.
     */
    static ClusterClientOptions clusterOptions(CacheSettings settings) {
        return ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(socketOptions(settings))
                .sslOptions(sslOptions(settings))
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(CLUSTER_REFRESH_PERIOD)
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(CLUSTER_ADAPTIVE_REFRESH_PAUSE)
                        .refreshTriggersReconnectAttempts(2)
                        .dynamicRefreshSources(true)
                        .closeStaleConnections(true)
                        .build())
                .nodeFilter(node -> !node.is(RedisClusterNode.NodeFlag.FAIL)
                        && !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)
                        && !node.is(RedisClusterNode.NodeFlag.NOADDR))
                .build();
    }

    /**
     * TCP keep-alive on every connection, probing after {@link #KEEP_ALIVE_IDLE} of silence every
     * {@link #KEEP_ALIVE_INTERVAL}, {@link #KEEP_ALIVE_PROBES} times: a peer that vanished without a
     * FIN or RST (a crashed host, a dropped NAT entry) is noticed in about 30 s instead of the OS
     * default of 2 h 11 min, on epoll and on NIO (Java 11+ extended socket options). It cannot notice a
     * cut behind a proxy that still acknowledges, nor a server that stopped answering on a live TCP
     * connection: the near cache's heartbeat covers those (see {@code NearCache}).
     */
    private static SocketOptions socketOptions(CacheSettings settings) {
        return SocketOptions.builder().connectTimeout(RedisBackendFactory.handshakeTimeout(settings))
                .keepAlive(SocketOptions.KeepAliveOptions.builder().enable().idle(KEEP_ALIVE_IDLE)
                        .interval(KEEP_ALIVE_INTERVAL).count(KEEP_ALIVE_PROBES).build())
                .build();
    }

    static final Duration KEEP_ALIVE_IDLE = Duration.ofSeconds(15);
    static final Duration KEEP_ALIVE_INTERVAL = Duration.ofSeconds(5);
    static final int KEEP_ALIVE_PROBES = 3;

    private static SslOptions sslOptions(CacheSettings settings) {
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider()
                .handshakeTimeout(RedisBackendFactory.handshakeTimeout(settings));
        if (settings.redisSsl() && settings.redisSslCaCertificate() != null) {
            ssl.trustManager(settings.redisSslCaCertificate().toFile());
        }
        return ssl.build();
    }
}
