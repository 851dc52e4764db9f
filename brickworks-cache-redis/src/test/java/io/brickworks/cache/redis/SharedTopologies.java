package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.RedisClusterHarness;
import io.brickworks.cache.tck.RedisAccess;
import io.brickworks.cache.tck.RedisSentinelHarness;
import io.brickworks.cache.tck.RedisServer;
import io.brickworks.cache.tck.TestCertificates;
import java.util.OptionalLong;

/**
 * One Redis Cluster (three primaries, one replica each), one Sentinel setup (a primary, a
 * replica, three Sentinels) and one TLS-only server for the whole test JVM, each started on first use and killed at exit;
 * the contract classes that run on them flush them before each test. (A JVM-wide holder rather than
 * {@code @BeforeAll}, because the jqwik properties of a contract run after JUnit Jupiter's
 * class-level callbacks.) Tests that kill nodes start a setup of their own.
 */
final class SharedTopologies {

    private SharedTopologies() {
    }

    private static final class ClusterHolder {
        static final RedisClusterHarness CLUSTER = closedAtExit(RedisClusterHarness.start());
    }

    private static final class SentinelHolder {
        static final RedisSentinelHarness SENTINEL = closedAtExit(RedisSentinelHarness.start());
    }

    private static final class TlsHolder {
        static final TestCertificates CERTS = closedAtExit(TestCertificates.generate());
        static final RedisServer SERVER = closedAtExit(RedisServer.start(RedisAccess.tls(CERTS)));
    }

    private static <T extends AutoCloseable> T closedAtExit(T harness) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                harness.close();
            } catch (Exception ignored) {
                // the JVM is exiting; the processes die with it at worst
            }
        }, "shared-topology-stop"));
        return harness;
    }

    /** The certificates of the shared TLS server. */
    static TestCertificates tlsCertificates() {
        return TlsHolder.CERTS;
    }

    /** A standalone server that speaks only TLS, with a certificate from {@link #tlsCertificates()}. */
    static RedisServer tlsServer() {
        return TlsHolder.SERVER;
    }

    /** Settings for a cache on the shared TLS server; {@code trustCa} adds the test CA as trusted. */
    static CacheSettings.Builder tlsSettings(boolean trustCa) {
        CacheSettings.Builder b = CacheSettings.builder().useRedis(true).redisHost(tlsServer().host())
                .redisPort(tlsServer().port()).redisSsl(true);
        return trustCa ? b.redisSslCaCertificate(tlsCertificates().caCertificate()) : b;
    }

    static RedisClusterHarness cluster() {
        return ClusterHolder.CLUSTER;
    }

    static RedisSentinelHarness sentinel() {
        return SentinelHolder.SENTINEL;
    }

    /** Settings for a cache on the shared Sentinel setup. */
    static CacheSettings.Builder sentinelSettings() {
        return sentinelSettings(sentinel());
    }

    /** Settings for a cache that finds its primary through the Sentinels of {@code harness}. */
    static CacheSettings.Builder sentinelSettings(RedisSentinelHarness harness) {
        return CacheSettings.builder().useRedis(true)
                .redisSentinels(CacheSettings.HostAndPort.parseList("sentinels", harness.sentinels()))
                .redisSentinelMaster(RedisSentinelHarness.MASTER);
    }

    /** Settings for a cache on the shared cluster, given all six nodes as seeds. */
    static CacheSettings.Builder clusterSettings() {
        return clusterSettings(cluster());
    }

    /** Settings for a cache on {@code cluster}. */
    static CacheSettings.Builder clusterSettings(RedisClusterHarness cluster) {
        return CacheSettings.builder().useRedis(true)
                .redisClusterNodes(CacheSettings.HostAndPort.parseList("seeds", cluster.seeds()));
    }

    /** Removes every key from every primary of the shared cluster. */
    static void flushCluster() {
        cluster().flushAll();
    }

    /** How many keys the shared cluster holds: the sum of DBSIZE over its primaries. */
    static OptionalLong clusterKeyCount() {
        long total = 0;
        for (RedisServer primary : cluster().primaries()) {
            total += Long.parseLong(primary.cli("DBSIZE"));
        }
        return OptionalLong.of(total);
    }
}
