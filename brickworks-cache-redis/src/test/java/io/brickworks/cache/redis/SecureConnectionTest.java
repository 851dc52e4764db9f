package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.spi.CacheBackendException;
import io.brickworks.cache.tck.RedisAccess;
import io.brickworks.cache.tck.RedisServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** TLS trust and ACL logins on a standalone server: failures are clear and never show the password. */
class SecureConnectionTest {

    private static final String PASSWORD = "Pw-9f3c1e7a-secret";

    private static BrickworksCache open(CacheSettings.Builder settings) {
        return BrickworksCache.builder().settings(settings.build()).build();
    }

    /** Every message in the chain of {@code e}, joined, to check none shows the password. */
    private static String allMessages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
            for (Throwable s : t.getSuppressed()) {
                sb.append(s).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void tlsWithoutTrustingTheServersCaFailsClearly() {
        RedisServer tls = SharedTopologies.tlsServer();
        System.out.println("MSG " + catchFailure(() -> open(SharedTopologies.tlsSettings(false))).getMessage());
        assertThatThrownBy(() -> open(SharedTopologies.tlsSettings(false)))
                .isInstanceOf(CacheBackendException.class)
                .hasMessageContaining(tls.address())
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("certificat", "PKIX", "SSL", "TLS"));
    }

    @Test
    void tlsTrustingTheCaGivenAsPemWorks() throws Exception {
        try (BrickworksCache cache = open(SharedTopologies.tlsSettings(true))) {
            assertThat(cache.setKey("secure", "yes").get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(cache.getKey("secure").get(10, TimeUnit.SECONDS)).isEqualTo("yes");
        }
        assertThat(SharedTopologies.tlsServer().cli("GET", "brickworks:public:default:secure")).isEqualTo("yes");
    }

    @Test
    void aPlainConnectionToATlsOnlyServerFails() {
        RedisServer tls = SharedTopologies.tlsServer();
        System.out.println("MSG " + catchFailure(() -> open(SharedTopologies.tlsSettings(false).redisSsl(false))).getMessage());
        assertThatThrownBy(() -> open(SharedTopologies.tlsSettings(false).redisSsl(false)))
                .isInstanceOf(CacheBackendException.class)
                .hasMessageContaining(tls.address());
    }

    @Test
    void anAclUserWithItsPasswordWorksAndAWrongPasswordFailsWithoutShowingIt() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisAccess.user("app", PASSWORD))) {
            CacheSettings.Builder base = CacheSettings.builder().useRedis(true).redisHost(redis.host())
                    .redisPort(redis.port()).redisUsername("app");
            try (BrickworksCache cache = open(base.redisPassword(PASSWORD))) {
                assertThat(cache.setKey("k", "v").get(10, TimeUnit.SECONDS)).isTrue();
                assertThat(cache.toString()).doesNotContain(PASSWORD);
            }
            assertThat(redis.cli("GET", "brickworks:public:default:k")).isEqualTo("v");

            String wrong = PASSWORD + "-wrong";
            Throwable failure = catchFailure(() -> open(CacheSettings.builder().useRedis(true).redisHost(redis.host())
                    .redisPort(redis.port()).redisUsername("app").redisPassword(wrong)));
            System.out.println("MSG " + failure.getMessage() + " // " + noLoginMessage(redis));
            assertThat(failure).isInstanceOf(CacheBackendException.class);
            assertThat(failure.getMessage()).contains(redis.address()).containsAnyOf("WRONGPASS", "NOAUTH", "auth");
            assertThat(allMessages(failure)).doesNotContain(wrong).doesNotContain(PASSWORD);

            Throwable noLogin = catchFailure(() -> open(CacheSettings.builder().useRedis(true).redisHost(redis.host())
                    .redisPort(redis.port())));
            assertThat(noLogin).isInstanceOf(CacheBackendException.class);
        }
    }

    static String noLoginMessage(RedisServer redis) {
        return catchFailure(() -> open(CacheSettings.builder().useRedis(true).redisHost(redis.host())
                .redisPort(redis.port()))).getMessage();
    }

    static Throwable catchFailure(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
