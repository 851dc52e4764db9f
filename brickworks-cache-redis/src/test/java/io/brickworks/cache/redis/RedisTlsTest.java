package io.brickworks.cache.redis;

import static io.brickworks.cache.SetOptions.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.spi.CacheBackendException;
import io.brickworks.cache.tck.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with a test CA made by openssl; the server also listens without TLS, only for the harness's PING. */
class RedisTlsTest {

    @TempDir
    static Path certs;

    private static RedisServer redis;
    private static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=brickworks-test-ca",
                "-keyout", "ca.key", "-out", "ca.crt");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", "server.key", "-out", "server.csr");
        Files.writeString(certs.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "1", "-extfile", "san.cnf", "-out", "server.crt");
        tlsPort = RedisServer.freePort();
        redis = RedisServer.start("--tls-port", String.valueOf(tlsPort),
                "--tls-cert-file", certs.resolve("server.crt").toString(),
                "--tls-key-file", certs.resolve("server.key").toString(),
                "--tls-ca-cert-file", certs.resolve("ca.crt").toString(),
                "--tls-auth-clients", "no");
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(RedisServer.requireBinary("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(certs.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }

    private static CacheSettings.Builder tls() {
        return CacheSettings.builder().useRedis(true).redisHost(RedisServer.HOST).redisPort(tlsPort).redisSsl(true);
    }

    @Test
    void trustingTheTestCaTheCacheWorksOverTls() throws Exception {
        try (BrickworksCache cache = BrickworksCache.builder()
                .settings(tls().redisSslCaCertificate(certs.resolve("ca.crt")).build()).build()) {
            assertThat(cache.setKey("k", "over tls", options().indices("i")).get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(cache.getKey("k").get(5, TimeUnit.SECONDS)).isEqualTo("over tls");
            assertThat(cache.listKeysByIndex("i").get(5, TimeUnit.SECONDS)).containsExactly("k");
        }
        assertThat(redis.cli("GET", "brickworks:public:default:k")).isEqualTo("over tls");
    }

    @Test
    void withoutTrustingTheCaTheConnectionFailsClearly() {
        assertThatThrownBy(() -> BrickworksCache.builder().settings(tls().build()).build())
                .isInstanceOf(CacheBackendException.class)
                .hasMessageContaining("127.0.0.1:" + tlsPort + "/0");
    }

    @Test
    void aCaCertificateWithoutTlsIsRejectedRatherThanConnectingInPlainText() {
        CacheSettings plain = tls().redisSsl(false).redisSslCaCertificate(certs.resolve("ca.crt")).build();
        assertThatThrownBy(() -> BrickworksCache.builder().settings(plain).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redisSslCaCertificate").hasMessageContaining("REDIS_SSL");
    }

    @Test
    void aMissingCaFileIsRejectedByName() {
        Path missing = certs.resolve("nope.pem");
        assertThatThrownBy(() -> BrickworksCache.builder().settings(tls().redisSslCaCertificate(missing).build()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redisSslCaCertificate").hasMessageContaining(missing.toString());
    }
}
