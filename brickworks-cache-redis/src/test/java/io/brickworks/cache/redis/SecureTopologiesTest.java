package io.brickworks.cache.redis;

import static io.brickworks.cache.redis.AclLoginTest.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.SetOptions;
import io.brickworks.cache.spi.CacheBackendException;
import io.brickworks.cache.tck.RedisAccess;
import io.brickworks.cache.tck.RedisClusterHarness;
import io.brickworks.cache.tck.RedisSentinelHarness;
import io.brickworks.cache.tck.TestCertificates;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS (trusting a test CA given as a PEM file) together with an ACL user, on a Redis Cluster and on
 * Sentinel: the cache works, and a missing trust or a wrong password fails clearly without
 * showing the password.
 */
class SecureTopologiesTest {

    private static TestCertificates certs;
    private static RedisAccess access;

    @BeforeAll
    static void makeCertificates() {
        certs = TestCertificates.generate();
        access = RedisAccess.tls(certs).withUser("app", PASSWORD);
    }

    @AfterAll
    static void removeCertificates() {
        certs.close();
    }

    private static CacheSettings.Builder secured(CacheSettings.Builder settings) {
        return settings.redisSsl(true).redisSslCaCertificate(certs.caCertificate())
                .redisUsername("app").redisPassword(PASSWORD);
    }

    /** Keys in many slots, with an index, a set, a queue and a bulk delete: nothing may raise CROSSSLOT. */
    private static void exercise(BrickworksCache cache) throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(cache.setKey("k" + i, "v" + i, SetOptions.options().indices("all")).get(10, TimeUnit.SECONDS))
                    .isTrue();
        }
        assertThat(cache.getKey("k7").get(10, TimeUnit.SECONDS)).isEqualTo("v7");
        assertThat(cache.listKeysByIndex("all").get(10, TimeUnit.SECONDS)).hasSize(20);
        assertThat(cache.deleteKeysByIndex("all").get(10, TimeUnit.SECONDS)).isEqualTo(20L);
        assertThat(cache.getKey("k7").get(10, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void clusterOverTlsWithAnAclUser() throws Exception {
        try (RedisClusterHarness cluster = RedisClusterHarness.start(access)) {
            try (BrickworksCache cache = AclLoginTest.open(secured(SharedTopologies.clusterSettings(cluster)))) {
                exercise(cache);
            }
            String seeds = SharedTopologies.clusterSettings(cluster).build().redisAddress();
            Throwable untrusted = AclLoginTest.failureOf(secured(SharedTopologies.clusterSettings(cluster))
                    .redisSslCaCertificate(null));
            assertThat(untrusted).isInstanceOf(CacheBackendException.class);
            assertThat(untrusted.getMessage()).contains(seeds).contains("REDIS_SSL_CA_CERT");
            assertThat(AclLoginTest.allMessages(untrusted)).doesNotContain(PASSWORD);
            AclLoginTest.assertWrongPasswordFailsClearly(SharedTopologies.clusterSettings(cluster)
                    .redisSsl(true).redisSslCaCertificate(certs.caCertificate()), seeds);
        }
    }

    @Test
    void sentinelOverTlsWithAnAclUser() throws Exception {
        try (RedisSentinelHarness sentinel = RedisSentinelHarness.start(access)) {
            try (BrickworksCache cache = AclLoginTest.open(secured(SharedTopologies.sentinelSettings(sentinel)))) {
                exercise(cache);
            }
            assertThat(sentinel.primary().cli("ACL", "WHOAMI")).isEqualTo("app");
            String address = SharedTopologies.sentinelSettings(sentinel).build().redisAddress();
            AclLoginTest.assertWrongPasswordFailsClearly(SharedTopologies.sentinelSettings(sentinel)
                    .redisSsl(true).redisSslCaCertificate(certs.caCertificate()), address);
        }
    }
}
