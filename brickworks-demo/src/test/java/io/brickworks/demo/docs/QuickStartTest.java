package io.brickworks.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.tck.RedisServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, copied as a new user would: compiled from the README and run as its own
 * program ({@code java QuickStart}, configured only by environment variables) on the memory backend
 * and on a real redis-server; on Redis the store is then read with redis-cli, a plain connection.
 */
class QuickStartTest {

    /** A hang guard for the program, not a timing assertion. */
    private static final long PROGRAM_LIMIT_SECONDS = 120;

    private static Path compileQuickStart(Path out) {
        Path readme = Snippets.ROOT.resolve("README.md");
        List<Snippets.Block> programs = Snippets.javaBlocks(readme).stream().filter(Snippets.Block::isProgram).toList();
        assertThat(programs).as("the README's quick-start program").hasSize(1);
        Snippets.compile(Snippets.units(readme, programs), out);
        return out;
    }

    /** Runs QuickStart with exactly the given cache variables; returns its output (stdout and stderr). */
    private static String run(Path classes, Map<String, String> env) throws IOException, InterruptedException {
        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBinary, "-cp", classes + File.pathSeparator + Snippets.classPath(),
                "QuickStart").redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("REDIS_") || k.startsWith("USE_REDIS")
                || k.startsWith("MULTI_TENANCY") || k.startsWith("CACHE_") || k.startsWith("MASTER_DB"));
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(PROGRAM_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("QuickStart did not end (a non-daemon thread left running?)");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("exit status; output:\n%s", text).isZero();
        return text;
    }

    private static void assertPrintedWhatTheCommentsSay(String out) {
        assertThat(out).contains("cached: {\"name\":\"Ada\"}")
                .contains("next thumbnail: image-1.png")
                .contains("sending invoices")
                .contains("invoices: COMPLETED")
                .contains("EUR: 4.5, again from the cache: 4.5")
                .contains("session deleted: true")
                .contains("globex says: hello")
                .contains("indexed users: [user-7]");
    }

    @Test
    void runsOnTheMemoryBackend(@TempDir Path out) throws Exception {
        assertPrintedWhatTheCommentsSay(run(compileQuickStart(out), Map.of("USE_REDIS", "0")));
    }

    @Test
    void runsOnRedisAndEveryWriteLanded(@TempDir Path out) throws Exception {
        Path classes = compileQuickStart(out);
        try (RedisServer redis = RedisServer.start()) {
            String printed = run(classes, Map.of("USE_REDIS", "1", "REDIS_HOST", redis.host(),
                    "REDIS_PORT", String.valueOf(redis.port())));
            assertPrintedWhatTheCommentsSay(printed);

            List<String> keys = Arrays.stream(redis.cli("--raw", "KEYS", "*").split("\n"))
                    .map(String::strip).filter(k -> !k.isEmpty()).sorted().toList();
            assertThat(keys).as("every key the program left").containsExactlyInAnyOrder(
                    "brickworks:public:default:user-7",
                    "brickworks:public:default:__index__.users",
                    "brickworks:globex:default:greeting",
                    "brickworks:public:__locks__:send-invoices:fence",
                    "brickworks:public:FUNC_CACHE:__index__.prices.quote",
                    keys.stream().filter(k -> k.startsWith("brickworks:public:FUNC_CACHE:prices.quote-")).findFirst()
                            .orElse("brickworks:public:FUNC_CACHE:prices.quote-<sha256>"));
            assertThat(keys).as("no function-cache lease, no lock, no queue, no deleted session")
                    .noneMatch(k -> k.endsWith(".computing"))
                    .doesNotContain("brickworks:public:__locks__:send-invoices", "brickworks:public:default:thumbnails",
                            "brickworks:public:default:session-1");
            assertThat(redis.cli("--raw", "GET", "brickworks:public:default:user-7")).isEqualTo("{\"name\":\"Ada\"}");
            assertThat(redis.cli("--raw", "GET", "brickworks:globex:default:greeting")).isEqualTo("hello");
            assertThat(redis.cli("--raw", "SMEMBERS", "brickworks:public:default:__index__.users"))
                    .isEqualTo("brickworks:public:default:user-7");
            long ttl = Long.parseLong(redis.cli("--raw", "PTTL", "brickworks:public:default:user-7"));
            assertThat(ttl).as("the hour's expiry").isBetween(1L, 3_600_000L);
        }
    }
}
