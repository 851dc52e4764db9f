package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.spi.CacheBackendException;
import io.brickworks.cache.tck.RedisAccess;
import io.brickworks.cache.tck.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An ACL user with a password on a standalone server; failed logins are clear and never show a password. */
class AclLoginTest {

    static final String PASSWORD = "Pw-9f3c1e7a-secret";

    static BrickworksCache open(CacheSettings.Builder settings) {
        return BrickworksCache.builder().settings(settings.build()).build();
    }

    /** What opening a cache with {@code settings} throws. */
    static Throwable failureOf(CacheSettings.Builder settings) {
        try {
            open(settings).close();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("opening a cache with " + settings.build() + " should have failed");
    }

    /** Every message in the chain of {@code e}, to check that none shows a password. */
    static String allMessages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
            for (Throwable s : t.getSuppressed()) {
                sb.append(s).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Checks that a login with a wrong password fails clearly, naming {@code address}, and that
     * neither the exception nor anything logged meanwhile (the test logger writes to
     * {@code System.err}) shows the password.
     */
    static void assertWrongPasswordFailsClearly(CacheSettings.Builder settings, String address) {
        String wrong = PASSWORD + "-wrong";
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        Throwable failure;
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            failure = failureOf(settings.redisUsername("app").redisPassword(wrong));
        } finally {
            System.setErr(originalErr);
        }
        originalErr.print(logged.toString(StandardCharsets.UTF_8));
        assertThat(failure).isInstanceOf(CacheBackendException.class);
        assertThat(failure.getMessage()).contains(address).contains("WRONGPASS");
        assertThat(allMessages(failure)).doesNotContain(wrong).doesNotContain(PASSWORD);
        assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain(wrong).doesNotContain(PASSWORD);
    }

    @Test
    void anAclUserWithItsPasswordWorks() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisAccess.user("app", PASSWORD))) {
            CacheSettings.Builder settings = CacheSettings.builder().useRedis(true).redisHost(redis.host())
                    .redisPort(redis.port()).redisUsername("app").redisPassword(PASSWORD);
            try (BrickworksCache cache = open(settings)) {
                assertThat(cache.setKey("k", "v").get(10, TimeUnit.SECONDS)).isTrue();
                assertThat(cache.toString()).doesNotContain(PASSWORD);
            }
            assertThat(redis.cli("GET", "brickworks:public:default:k")).isEqualTo("v");
            assertThat(redis.cli("CLIENT", "LIST")).doesNotContain("user=default");
        }
    }

    @Test
    void aWrongPasswordOrNoLoginFailsClearlyWithoutShowingThePassword() {
        try (RedisServer redis = RedisServer.start(RedisAccess.user("app", PASSWORD))) {
            CacheSettings.Builder base = CacheSettings.builder().useRedis(true).redisHost(redis.host())
                    .redisPort(redis.port());
            assertWrongPasswordFailsClearly(base, redis.address());
            Throwable noLogin = failureOf(CacheSettings.builder().useRedis(true).redisHost(redis.host())
                    .redisPort(redis.port()));
            assertThat(noLogin).isInstanceOf(CacheBackendException.class);
            assertThat(noLogin.getMessage()).contains(redis.address()).contains("NOAUTH");
        }
    }
}
