package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster, Sentinel, TLS and ACL harnesses start what they promise, with real redis-server processes. */
class RedisTopologyHarnessTest {

    @Test
    void tlsServerAnswersOnlyOverTlsWithTheTestCa() {
        try (TestCertificates certs = TestCertificates.generate();
             RedisServer redis = RedisServer.start(RedisAccess.tls(certs))) {
            assertThat(redis.cli("SET", "k", "v")).isEqualTo("OK");
            assertThat(redis.cli("GET", "k")).isEqualTo("v");
            assertThat(redis.cli("CONFIG", "GET", "port")).endsWith("0");
            assertThat(redis.isRunning()).isTrue();
        }
    }

    @Test
    void aclServerRequiresTheUserAndHidesThePassword() {
        try (RedisServer redis = RedisServer.start(RedisAccess.user("app", "s3cret-pw"))) {
            assertThat(redis.cli("SET", "k", "v")).isEqualTo("OK");
            assertThat(redis.cli("ACL", "WHOAMI")).isEqualTo("app");
            assertThat(plainCli(redis.port(), "GET", "k")).contains("NOAUTH");
            assertThat(RedisServer.redacted(List.of("redis-cli", "--pass", "s3cret-pw", ">s3cret-pw", "--masterauth", "s3cret-pw")))
                    .doesNotContain("s3cret-pw");
        }
    }

    @Test
    void clusterCoversEverySlotAndPromotesAReplicaWhenAPrimaryDies() {
        try (RedisClusterHarness cluster = RedisClusterHarness.start()) {
            assertThat(cluster.primaries()).hasSize(3);
            assertThat(cluster.replicas()).hasSize(3);
            assertThat(cluster.seeds().split(",")).hasSize(6);

            RedisServer killed = cluster.killPrimaryAndAwaitFailover();
            assertThat(killed.isRunning()).isFalse();
            assertThat(cluster.primaries()).hasSize(3).doesNotContain(killed);

            cluster.restartKilled();
            assertThat(cluster.replicas()).hasSize(3).contains(killed);
        }
    }

    @Test
    void sentinelsPromoteTheReplicaWhenThePrimaryDies() {
        try (RedisSentinelHarness sentinel = RedisSentinelHarness.start()) {
            RedisServer first = sentinel.primary();
            first.cli("SET", "k", "v");
            RedisServer killed = sentinel.killPrimaryAndAwaitFailover();
            assertThat(killed).isSameAs(first);
            RedisServer promoted = sentinel.primary();
            assertThat(promoted).isNotSameAs(first);
            assertThat(promoted.cli("SET", "k2", "v2")).isEqualTo("OK");

            sentinel.restartKilled();
            assertThat(killed.cli("INFO", "replication")).contains("role:slave");
        }
    }

    private static String plainCli(int port, String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of(RedisServer.requireBinary("redis-cli"), "-h", RedisServer.HOST,
                    "-p", String.valueOf(port)));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
