package io.brickworks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.ReliableQueue;
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
                "TENANT  NAMESPACE  QUEUE   WAITING  DELAYED  IN-FLIGHT  DEAD",
                "acme    default    thumbs  2        0        0          0");
        assertThat(run("indices").out().lines().toList()).containsExactly(
                "TENANT  NAMESPACE  INDEX  SIZE",
                "acme    users      all    1");
        assertThat(run("functions").out().lines().toList()).containsExactly(
                "TENANT  FUNCTION   ENTRIES",
                "acme    app.total  1");
        JsonNode queues = run("queues", "--json").json();
        assertThat(queues.get(0).get("waiting").asLong()).isEqualTo(2);
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

    /**
     * A plain client writes a key of the tenant while the purge runs, after the walk passed its place
     * (when the progress line says the 5 keys were walked): the purge says what is left, exit code 6.
     */
    @Test
    void aPurgeThatLeavesKeysBehindIsExitCode6() {
        java.util.concurrent.atomic.AtomicBoolean written = new java.util.concurrent.atomic.AtomicBoolean();
        StringWriter err = new StringWriter() {
            @Override
            public void write(String str, int off, int len) {
                super.write(str, off, len);
                if (str.contains("walked 5 keys") && written.compareAndSet(false, true)) {
                    redis.cli("SET", "brickworks:acme:default:late", "x");
                }
            }
        };
        StringWriter out = new StringWriter();

        int code = Brickworks.run(new String[] {"purge-tenant", "acme", "--yes"}, env(redis),
                new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err));

        assertThat(written).isTrue();
        assertThat(code).isEqualTo(6);
        assertThat(out.toString()).contains("5 keys of tenant 'acme' deleted");
        assertThat(err.toString()).contains("brickworks: 1 keys of tenant 'acme' are left after the purge");
        assertThat(count("brickworks:acme:")).isEqualTo(1);
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

        Run noKey = run("get");

        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("brickworks: Unknown option: '--no-such-flag' (see 'brickworks tenants --help')"
                + System.lineSeparator());
        assertThat(badPort.code()).isEqualTo(2);
        assertThat(badPort.err()).contains("REDIS_PORT").contains("not-a-port").doesNotContain("\tat ");
        assertThat(noCommand.code()).isEqualTo(2);
        assertThat(noCommand.err()).startsWith("brickworks: a command is required").endsWith("(see 'brickworks --help')"
                + System.lineSeparator());
        assertThat(noKey.code()).isEqualTo(2);
        assertThat(noKey.err()).startsWith("brickworks: Missing required parameter: 'KEY'")
                .endsWith("(see 'brickworks get --help')" + System.lineSeparator());
        for (Run r : List.of(bad, badPort, noCommand, noKey)) {
            assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void getOfAKeyOfAnotherTypeSaysTheType() {
        Run list = run("get", "thumbs", "--tenant", "acme");
        Run index = run("get", "__index__.all", "--tenant", "acme", "--namespace", "users");

        assertThat(list.code()).isEqualTo(5);
        assertThat(list.err()).isEqualTo("brickworks: key 'thumbs' in namespace 'default' of tenant 'acme' holds a list "
                + "(a queue) of 2 items, not a value" + System.lineSeparator());
        assertThat(index.code()).isEqualTo(2);
        assertThat(run("get", "nothing", "--tenant", "acme").code()).isEqualTo(1);
    }

    /** Names with CR, LF, ESC (a colour), BEL, C1 CSI and OSC (a window title), in every listing. */
    private void writeHostileNames() {
        redis.cli("RPUSH", "brickworks:evil:default:q\r\nevil    default    forged  99\u001b[31m", "x");
        redis.cli("SET", "brickworks:evil:__locks__:l\u001b]0;pwned\u0007", "1", "EX", "60");
        redis.cli("SADD", "brickworks:evil:default:__index__.i\u001b[2J", "brickworks:evil:default:k");
        redis.cli("SET", "brickworks:evil:FUNC_CACHE:f\u0007\u009b31m-" + "0f".repeat(32), "x", "EX", "600");
        redis.cli("SET", "brickworks:ev\u001b[5mil:default:k", "x", "EX", "600");
    }

    /** Whether {@code out} has a character a terminal interprets (C0 but LF, DEL, C1). */
    private static boolean hasTerminalControls(String out) {
        return out.chars().anyMatch(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f);
    }

    private static final List<String> LISTINGS = List.of("tenants", "locks", "queues", "indices", "functions");

    @Test
    void hostileNamesPrintAsTextInEveryTableAndExactlyInJson() throws Exception {
        writeHostileNames();

        for (String listing : LISTINGS) {
            Run table = run(listing);
            assertThat(table.code()).isZero();
            assertThat(hasTerminalControls(table.out())).as(listing + ":\n" + table.out()).isFalse();
        }
        assertThat(run("queues").out().lines().toList()).contains(
                "evil    default    q\\u000d\\u000aevil    default    forged  99\\u001b[31m  1        0        0          0");
        assertThat(run("locks").out()).contains("l\\u001b]0;pwned\\u0007");
        assertThat(run("functions").out()).contains("f\\u0007\\u009b31m");
        assertThat(run("tenants").out()).contains("ev\\u001b[5mil");
        assertThat(run("indices", "--json", "--tenant", "evil").json().get(0).get("name").asText()).isEqualTo("i\u001b[2J");
        assertThat(run("queues", "--json", "--tenant", "evil").json().get(0).get("name").asText())
                .isEqualTo("q\r\nevil    default    forged  99\u001b[31m");
    }

    /** Negative control: with the escaping off, the same check sees the raw controls in every table. */
    @Test
    void withoutEscapingTheCheckSeesTheControls() {
        writeHostileNames();

        for (String listing : LISTINGS) {
            StringWriter out = new StringWriter();
            int code = Brickworks.run(new String[] {listing}, env(redis), new ByteArrayInputStream(new byte[0]),
                    new PrintWriter(out), new PrintWriter(new StringWriter()), false);
            assertThat(code).isZero();
            assertThat(hasTerminalControls(out.toString())).as(listing).isTrue();
        }
    }

    @Test
    void aPurgeDeletesTheAcknowledgedQueuesRecordsAndNamesThatAreNotUtf8() throws Exception {
        try (BrickworksCache app = BrickworksCache.builder().settings(CacheSettings.builder().useRedis(true)
                .redisHost(redis.host()).redisPort(redis.port()).build()).build()) {
            ReliableQueue work = app.forTenant("acme").reliableQueue("work", QueueOptions.defaults().withMaxAttempts(1));
            work.push("w1").get(10, TimeUnit.SECONDS);
            work.push("w2").get(10, TimeUnit.SECONDS);
            work.push("later", Duration.ofHours(1)).get(10, TimeUnit.SECONDS);
            assertThat(work.receive(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS)).isPresent();
            Delivery failed = work.receive(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(failed.retry(Duration.ZERO, "boom").get(10, TimeUnit.SECONDS)).isTrue();
        }
        // a name that is not UTF-8, written by a plain client: 0xff 0xc3 cannot be decoded
        redis.cli("EVAL", "return redis.call('SET', 'brickworks:acme:raw:\\255\\195x', 'v')", "0");
        assertThat(count("brickworks:acme:raw:")).isEqualTo(1);

        assertThat(run("queues", "--tenant", "acme").out().lines().toList()).contains(
                "acme    default    work    0        1        1          1");
        Run purge = run("purge-tenant", "acme", "--yes", "--json");

        assertThat(purge.code()).as(purge.err()).isZero();
        assertThat(purge.json().get("remaining").asLong()).isZero();
        assertThat(purge.json().get("deleted").asLong()).isEqualTo(purge.json().get("keys").asLong());
        assertThat(count("brickworks:acme:")).isZero();
        assertThat(count("{brickworks:acme:")).isZero();
        assertThat(run("get", "thumbs", "--tenant", "acme").code()).isEqualTo(1);
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
