package io.brickworks.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.RedisClusterHarness;
import io.brickworks.cache.tck.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo runs to the end on both backends and shows each feature doing its job. */
class DemoTest {

    private static String runDemo(CacheSettings settings) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Demo demo = new Demo(settings);
            try {
                demo.run();
            } finally {
                demo.close();
            }
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }

    private static void assertEveryScene(String out) {
        assertThat(out).contains("getKey session-7 after 500 ms").containsPattern("after 500 ms\\s+-> null");
        assertThat(out).contains("6 jobs pushed, 6 handled, none twice; queue now empty: true");
        assertThat(out).contains("emails sent for order 42: 1");
        assertThat(out).containsPattern("deleteKeysByIndex catalog.*-> 3");
        assertThat(out).containsPattern("acme:   getKey greeting\\s+-> hello from Acme");
        assertThat(out).containsPattern("master: getKey greeting\\s+-> null");
        assertThat(out).contains("60 concurrent callers of quote USD on 3 replicas: 1 computation,");
        assertThat(out).contains("committed").contains("cache now says Grace");
        assertThat(out).contains("database says Grace, cache says Grace");
        assertThat(out).containsPattern("worker sent welcome-email:ada after \\d+ ms \\(id \\d+, attempt 2\\): delivered again to replica-2, same id");
        assertThat(out).contains("flaky:grace failed once (smtp 451), was retried after its back-off and sent on attempt 2");
        assertThat(out).containsPattern("pushed it again: duplicate=true, same id \\d+")
                .containsPattern("worker sent receipt:order-42 once \\(id \\d+\\)");
        assertThat(out).contains("dead letter bounce:nobody@example.com after 3 attempts:")
                .contains("attempt 3: java.lang.IllegalStateException: mailbox nobody@example.com does not exist");
        assertThat(out).containsPattern("took the lock with fencing token \\d+ \\(> \\d+\\)");
    }

    @Test
    void runsOnTheMemoryBackend() throws Exception {
        assertEveryScene(runDemo(CacheSettings.builder().build()));
    }

    @Test
    void runsOnRedis() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            assertEveryScene(runDemo(CacheSettings.builder().useRedis(true).redisHost(redis.host())
                    .redisPort(redis.port()).build()));
        }
    }

    /** As a deployment would configure it: {@code REDIS_CLUSTER_NODES} in the environment. */
    @Test
    void runsOnARedisClusterConfiguredByTheEnvironment() throws Exception {
        try (RedisClusterHarness cluster = RedisClusterHarness.start()) {
            CacheSettings settings = CacheSettings.fromEnvironment(
                    Map.of("USE_REDIS", "1", "REDIS_CLUSTER_NODES", cluster.seeds()));
            assertThat(settings.redisAddress()).startsWith("cluster [");
            assertEveryScene(runDemo(settings));
        }
    }
}
