package io.brickworks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.RedisClusterHarness;
import io.brickworks.cache.tck.RedisServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command line against a real redis-server (and a Cluster), with data written the original's
 * way by redis-cli and a lock held by another cache instance: output checked as text and as JSON,
 * exit codes, and one-line errors without stack traces.
 */
class BrickworksCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RedisServer redis;

    /** What one run printed and returned. */
    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    private static Map<String, String> env(RedisServer server) {
        return Map.of("USE_REDIS", "1", "REDIS_HOST", server.host(), "REDIS_PORT", String.valueOf(server.port()));
    }

    private static Run run(Map<String, String> env, String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Brickworks.run(args, env, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private static Run run(String... args) {
        return run(env(redis), "", args);
    }

    private static long count(String prefix) {
        String keys = redis.cli("--scan", "--pattern", prefix + "*");
        return keys.isEmpty() ? 0 : keys.split("\n").length;
    }

    @BeforeEach
    void writeLikeTheOriginal() {
        redis.flushAll();
        redis.cli("SET", "brickworks:acme:default:greeting", "hello", "EX", "600");
        redis.cli("SET", "brickworks:acme:users:u1", "{}", "EX", "600");
        redis.cli("SADD", "brickworks:acme:users:__index__.all", "brickworks:acme:users:u1");
        redis.cli("RPUSH", "brickworks:acme:default:thumbs", "a.png", "b.png");
        redis.cli("SET", "brickworks:acme:FUNC_CACHE:app.total-" + "0f".repeat(32), "x", "EX", "600");
        redis.cli("SET", "brickworks:globex:default:greeting", "hi", "EX", "600");
        redis.cli("SET", "brickworks:globex:__locks__:report", "1", "EX", "60", "NX");
    }

    @Test
    void statusSaysTheStoreIsReachable() throws Exception {
        Run text = run("status");
        Run json = run("status", "--json");

        assertThat(text.code()).isZero();
        assertThat(text.out()).startsWith("Redis at " + redis.host() + ":" + redis.port()).contains("reachable, round trip");
        assertThat(json.code()).isZero();
        assertThat(json.json().get("reachable").asBoolean()).isTrue();
        assertThat(json.json().get("roundTripMillis").asDouble()).isPositive();
    }

    @Test
    void tenantsAsTableAndJson() throws Exception {
        Run text = run("tenants");
        Run json = run("tenants", "--json");

        assertThat(text.code()).isZero();
        assertThat(text.out().lines().toList()).containsExactly(
                "TENANT  KEYS  BY NAMESPACE",
                "acme    5     FUNC_CACHE=1 default=2 users=2",
                "globex  2     __locks__=1 default=1");
        assertThat(json.json().get(0).get("tenant").asText()).isEqualTo("acme");
        assertThat(json.json().get(0).get("keysByNamespace").get("users").asLong()).isEqualTo(2);
        assertThat(json.json().get(1).get("keys").asLong()).isEqualTo(2);
    }

    @Test
    void aLockHeldByAnotherProcessShowsItsOwnerAndTimeLeft() throws Exception {
        try (BrickworksCache other = BrickworksCache.builder().settings(CacheSettings.builder().useRedis(true)
                .redisHost(redis.host()).redisPort(redis.port()).build()).build()) {
            assertThat(other.forTenant("acme").tryLock("nightly", Duration.ofMinutes(2)).get(10, TimeUnit.SECONDS)).isPresent();

            Run text = run("locks");
            Run json = run("locks", "--json", "--tenant", "acme");

            List<String> lines = text.out().lines().toList();
            assertThat(lines.get(0)).matches("TENANT +LOCK +OWNER +TIME LEFT +FENCING TOKEN");
            assertThat(lines.get(1)).matches("acme +nightly +bw-[0-9a-f]{32}\\.1 +1[012][0-9]\\.[0-9] s +[0-9]+");
            assertThat(lines.get(2)).matches("globex +report +1 +[56][0-9]\\.[0-9] s +-");
            JsonNode lock = json.json().get(0);
            assertThat(json.json()).hasSize(1);
            assertThat(lock.get("owner").asText()).startsWith("bw-");
            assertThat(lock.get("timeLeftMillis").asLong()).isBetween(1L, 120_000L);
            assertThat(lock.get("lastFencingToken").asLong()).isPositive();
        }
    }

    @Test
    void anAcknowledgedQueueShowsItsJobsAndPausesAndResumes() throws Exception {
        try (BrickworksCache other = BrickworksCache.builder().settings(CacheSettings.builder().useRedis(true)
                .redisHost(redis.host()).redisPort(redis.port()).build()).build()) {
            var queue = other.forTenant("acme").reliableQueue("jobs",
                    io.brickworks.cache.queue.QueueOptions.defaults().withConsumerName("worker-1"));
            queue.push("a").get(10, TimeUnit.SECONDS);
            queue.push("b").get(10, TimeUnit.SECONDS);
            queue.push("c").get(10, TimeUnit.SECONDS);
            var running = queue.receive(Duration.ZERO).get(10, TimeUnit.SECONDS).orElseThrow();
            running.heartbeat("3/10").get(10, TimeUnit.SECONDS);
            queue.receive(Duration.ZERO).get(10, TimeUnit.SECONDS).orElseThrow().deadLetter("bad input")
                    .get(10, TimeUnit.SECONDS);

            Run text = run("queue", "acme", "default", "jobs");
            List<String> lines = text.out().lines().toList();
            assertThat(text.code()).isZero();
            assertThat(lines.get(0)).matches("PAUSED +WAITING +DELAYED +IN FLIGHT +DEAD LETTERS");
            assertThat(lines.get(1)).matches("false +1 +0 +1 +1");
            assertThat(text.out()).contains("worker-1").contains("3/10").contains("attempt 1: bad input");

            Run paused = run("queue", "acme", "default", "jobs", "--pause", "--json");
            assertThat(paused.code()).isZero();
            assertThat(paused.json().get("paused").asBoolean()).isTrue();
            assertThat(paused.json().get("inFlightJobs").get(0).get("progress").asText()).isEqualTo("3/10");
            assertThat(queue.receive(Duration.ZERO).get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(run("queue", "acme", "default", "jobs", "--resume", "--json").json().get("paused").asBoolean())
                    .isFalse();
            assertThat(queue.receive(Duration.ZERO).get(10, TimeUnit.SECONDS)).isPresent();
            assertThat(run("queue", "acme", "default", "a:b").code()).isEqualTo(Brickworks.USAGE);
        }
    }

    @Test
    void queuesIndicesAndFunctions() throws Exception {
        assertThat(run("queues").out().lines().toList()).containsExactly(
                "TENANT  NAMESPACE  QUEUE   LENGTH",
                "acme    default    thumbs  2");
        assertThat(run("indices").out().lines().toList()).containsExactly(
                "TENANT  NAMESPACE  INDEX  SIZE",
                "acme    users      all    1");
        assertThat(run("functions").out().lines().toList()).containsExactly(
                "TENANT  FUNCTION   ENTRIES",
                "acme    app.total  1");
        JsonNode queues = run("queues", "--json").json();
        assertThat(queues.get(0).get("length").asLong()).isEqualTo(2);
        assertThat(run("functions", "--json").json().get(0).get("name").asText()).isEqualTo("app.total");
    }

    @Test
    void getAndDeleteAKeyWithExitCodesForMissingKeys() throws Exception {
        Run found = run("get", "greeting", "--tenant", "acme");
        Run json = run("get", "greeting", "--tenant", "globex", "--json");
        Run missing = run("get", "nothing", "--tenant", "acme");

        assertThat(found.code()).isZero();
        assertThat(found.out()).isEqualTo("hello" + System.lineSeparator());
        assertThat(json.json().get("value").asText()).isEqualTo("hi");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).contains("no key 'nothing'");

        assertThat(run("delete", "u1", "--tenant", "acme", "--namespace", "users").code()).isZero();
        assertThat(redis.cli("EXISTS", "brickworks:acme:users:u1")).isEqualTo("0");
        assertThat(run("delete", "u1", "--tenant", "acme", "--namespace", "users").code()).isEqualTo(1);
    }

    @Test
    void purgeTenantAsksForTheTenantsNameUnlessYes() throws Exception {
        long globex = count("brickworks:globex:");

        Run refused = run(env(redis), "no\n", "purge-tenant", "acme");
        assertThat(refused.code()).isEqualTo(4);
        assertThat(refused.out()).contains("5 keys of tenant 'acme' would be deleted");
        assertThat(refused.err()).contains("Type the tenant's name to confirm").contains("nothing was deleted");
        assertThat(count("brickworks:acme:")).isEqualTo(5);

        Run dry = run("purge-tenant", "acme", "--dry-run", "--json");
        assertThat(dry.code()).isZero();
        assertThat(dry.json().get("keys").asLong()).isEqualTo(5);
        assertThat(dry.json().get("deleted").asLong()).isZero();
        assertThat(count("brickworks:acme:")).isEqualTo(5);

        Run confirmed = run(env(redis), "acme\n", "purge-tenant", "acme");
        assertThat(confirmed.code()).isZero();
        assertThat(confirmed.out()).contains("5 keys of tenant 'acme' deleted");
        assertThat(count("brickworks:acme:")).isZero();
        assertThat(count("brickworks:globex:")).isEqualTo(globex);

        Run locksKept = run("purge-tenant", "globex", "--yes", "--json");
        assertThat(locksKept.json().get("deleted").asLong()).isEqualTo(1);
        assertThat(count("brickworks:globex:")).isEqualTo(1);
        assertThat(run("purge-tenant", "globex", "--yes", "--include-locks").code()).isZero();
        assertThat(count("brickworks:globex:")).isZero();
    }

    @Test
    void aLongWalkShowsAProgressLineOnStderr() {
        List<String> mset = new ArrayList<>(List.of("MSET"));
        for (int i = 0; i < 1200; i++) {
            mset.add("brickworks:bulk:default:k" + i);
            mset.add("v");
        }
        redis.cli(mset.toArray(String[]::new));

        Run run = run("tenants", "--tenant", "bulk");

        assertThat(run.code()).isZero();
        assertThat(run.err()).contains("\rwalked ").endsWith("walked 1200 keys" + System.lineSeparator());
        assertThat(run.out()).contains("bulk    1200");
        assertThat(run("tenants", "--tenant", "bulk", "--no-progress").err()).isEmpty();
    }

    @Test
    void aBadFlagIsAUsageErrorWithoutAStackTrace() {
        Run bad = run("tenants", "--no-such-flag");
        Run badPort = run(Map.of("USE_REDIS", "1", "REDIS_PORT", "not-a-port"), "", "status");
        Run noCommand = run();

        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("Unknown option: '--no-such-flag'").doesNotContain("\tat ");
        assertThat(badPort.code()).isEqualTo(2);
        assertThat(badPort.err()).contains("REDIS_PORT").contains("not-a-port").doesNotContain("\tat ");
        assertThat(noCommand.code()).isEqualTo(2);
        assertThat(noCommand.err()).contains("a command is required");
    }

    @Test
    void withoutRedisConfiguredItSaysWhatToSet() {
        Run run = run(Map.of(), "", "status");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("USE_REDIS=1").doesNotContain("\tat ");
    }

    @Test
    void anUnreachableRedisIsExitCode3WithAOneLineMessage() {
        int port = RedisServer.freePort();

        Run run = run(Map.of(), "", "status", "--host", "127.0.0.1", "--port", String.valueOf(port));

        assertThat(run.code()).isEqualTo(3);
        assertThat(run.err()).startsWith("brickworks: cannot connect to Redis at 127.0.0.1:" + port)
                .doesNotContain("\tat ");
        assertThat(run.err().lines().count()).isEqualTo(1);
    }

    @Test
    void onACluster() throws Exception {
        try (RedisClusterHarness cluster = RedisClusterHarness.start()) {
            RedisServer any = cluster.primaries().get(0);
            for (int i = 0; i < 30; i++) {
                any.cli("-c", "SET", "brickworks:t" + (i % 3) + ":default:k" + i, "v", "EX", "600");
            }
            Map<String, String> env = Map.of("USE_REDIS", "1", "REDIS_CLUSTER_NODES", cluster.seeds());

            JsonNode tenants = run(env, "", "tenants", "--json").json();
            Run purge = run(env, "", "purge-tenant", "t1", "--yes");

            assertThat(tenants).hasSize(3);
            for (JsonNode t : tenants) {
                assertThat(t.get("keys").asLong()).isEqualTo(10);
            }
            assertThat(purge.code()).isZero();
            assertThat(purge.out()).contains("10 keys of tenant 't1' deleted");
            assertThat(run(env, "", "tenants").out().lines().toList()).containsExactly(
                    "TENANT  KEYS  BY NAMESPACE", "t0      10    default=10", "t2      10    default=10");
        }
    }
}
