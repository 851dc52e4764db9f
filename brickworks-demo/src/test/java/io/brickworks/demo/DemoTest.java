package io.brickworks.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
}
