package io.brickworks.cache.redis;

import static io.brickworks.cache.SetOptions.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.spi.CacheBackendException;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redis going away and coming back, on a server of its own that requires a password. */
class RedisFaultTest {

    private static final String PASSWORD = "pw-Zebra-5551";
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private static RedisServer redis;
    private BrickworksCache cache;

    @BeforeAll
    static void startServer() {
        redis = RedisServer.start("--requirepass", PASSWORD);
    }

    @AfterAll
    static void stopServer() {
        redis.close();
    }

    @BeforeEach
    void open() {
        if (!redis.isRunning()) {
            redis.restart();
        }
        cli("FLUSHALL");
        cache = BrickworksCache.builder().settings(settings().build()).build();
    }

    @AfterEach
    void close() {
        cache.close();
    }

    private static CacheSettings.Builder settings() {
        return CacheSettings.builder().useRedis(true).redisHost(redis.host()).redisPort(redis.port())
                .redisPassword(PASSWORD).commandTimeout(TIMEOUT);
    }

    private static String cli(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "-a";
        all[1] = PASSWORD;
        all[2] = "--no-auth-warning";
        System.arraycopy(args, 0, all, 3, args.length);
        return redis.cli(all);
    }

    /** The failure of {@code f}, which must fail well within a few timeouts. */
    private static Throwable failureOf(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(TIMEOUT.toMillis() * 10, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the operation neither failed nor succeeded within 10 command timeouts", e);
        }
        throw new AssertionError("the operation succeeded but Redis is down");
    }

    private static void assertNamesAddressNotPassword(Throwable e) {
        assertThat(e).isInstanceOf(CacheBackendException.class);
        assertThat(e.getMessage()).contains(redis.address() + "/0").doesNotContain(PASSWORD);
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(PASSWORD);
        }
    }

    @Test
    void withRedisDownOperationsFailNamingTheAddressAndTheSameInstanceRecovers() throws Exception {
        assertThat(cache.setKey("k", "v").get(5, TimeUnit.SECONDS)).isTrue();

        redis.stop();
        Throwable failure = failureOf(cache.getKey("k"));
        assertNamesAddressNotPassword(failure);
        Throwable scripted = failureOf(cache.setKey("k2", "v", options().indices("idx")));
        assertNamesAddressNotPassword(scripted);
        // once a reconnection attempt has failed, calls fail at once without being sent
        await().atMost(Duration.ofSeconds(10)).until(() -> failureOf(cache.pushToQueue("q", "x")).getMessage()
                .contains("unreachable (the last attempt to reconnect failed"));

        redis.restart();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> cache.setKey("k", "again").get(5, TimeUnit.SECONDS));
        assertThat(cache.getKey("k").get(5, TimeUnit.SECONDS)).isEqualTo("again");
    }

    @Test
    void scriptsWorkAfterARestartEmptiedTheScriptCache() throws Exception {
        assertThat(cache.setKey("a", "1", options().indices("idx")).get(5, TimeUnit.SECONDS)).isTrue();
        redis.kill();
        redis.restart();
        assertThat(cli("SCRIPT", "EXISTS", RedisScripts.SET_WITH_INDICES.sha())).isEqualTo("0");

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> cache.setKey("b", "2", options().indices("idx")).get(5, TimeUnit.SECONDS));
        assertThat(cache.listKeysByIndex("idx").get(5, TimeUnit.SECONDS)).containsExactly("b");
        assertThat(cache.attemptDistributedLock("job").get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(cache.releaseDistributedLock("job").get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(cache.addToSet("s", List.of("x")).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(cli("SCRIPT", "EXISTS", RedisScripts.SET_WITH_INDICES.sha())).isEqualTo("1");
    }

    @Test
    void aCommandThatFailedWhileRedisWasDownIsNotAppliedAfterItComesBack() throws Exception {
        redis.stop();
        assertNamesAddressNotPassword(failureOf(cache.pushToQueue("jobs", "lost")));
        redis.restart();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> cache.pushToQueue("jobs", "after").get(5, TimeUnit.SECONDS) > 0);
        assertThat(cli("LRANGE", "brickworks:public:default:jobs", "0", "-1")).isEqualTo("after");
    }

    @Test
    void aCommandInFlightWhenTheConnectionDropsFailsAndIsNeverSentAgain() throws Exception {
        try (BrickworksCache patient = BrickworksCache.builder()
                .settings(settings().commandTimeout(Duration.ofSeconds(8)).build()).build()) {
            assertThat(patient.pushToQueue("warmup", "w").get(5, TimeUnit.SECONDS)).isEqualTo(1);
            String id = java.util.Arrays.stream(cli("CLIENT", "LIST").split("\n"))
                    .filter(line -> line.contains("name=brickworks-cache") && line.contains("cmd=rpush"))
                    .map(line -> line.substring(line.indexOf("id=") + 3, line.indexOf(' ')))
                    .reduce((a, b) -> { throw new AssertionError("two brickworks connections: " + a + ", " + b); })
                    .orElseThrow();
            cli("DEL", "brickworks:public:default:warmup");
            // writes wait on the server while reads (CLIENT KILL) go on
            assertThat(cli("CLIENT", "PAUSE", "3000", "WRITE")).isEqualTo("OK");
            CompletableFuture<Long> inFlight = patient.pushToQueue("jobs", "once");
            await().atMost(Duration.ofSeconds(5)).until(() -> cli("CLIENT", "LIST", "ID", id).contains("cmd=rpush"));
            cli("CLIENT", "KILL", "ID", id);

            Throwable failure = failureOf(inFlight);
            assertNamesAddressNotPassword(failure);
            assertThat(failure.getMessage()).contains("connection was lost");
            cli("CLIENT", "UNPAUSE");
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> patient.pushToQueue("other", "x").get(5, TimeUnit.SECONDS) == 1);
            assertThat(cli("EXISTS", "brickworks:public:default:jobs")).as("the RPUSH was not replayed").isEqualTo("0");
        }
    }

    @Test
    void underLoadWithTheConnectionKilledRepeatedlyNoItemIsPushedTwiceAndNoAcknowledgedItemIsLost()
            throws Exception {
        int items = 3000;
        List<CompletableFuture<Long>> pushes = new java.util.ArrayList<>(items);
        java.util.concurrent.atomic.AtomicInteger killed = new java.util.concurrent.atomic.AtomicInteger();
        Thread killer = new Thread(() -> {
            for (int round = 0; round < 5; round++) {
                killed.addAndGet(Integer.parseInt(cli("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        killer.start();
        for (int i = 0; i < items; i++) {
            pushes.add(cache.pushToQueue("load", "item-" + i));
            if (i % 100 == 0) {
                Thread.sleep(2);
            }
        }
        killer.join();
        java.util.Set<String> acknowledged = new java.util.HashSet<>();
        int failed = 0;
        for (int i = 0; i < items; i++) {
            try {
                pushes.get(i).get(10, TimeUnit.SECONDS);
                acknowledged.add("item-" + i);
            } catch (ExecutionException e) {
                assertNamesAddressNotPassword(e.getCause());
                failed++;
            }
        }
        List<String> stored = List.of(cli("LRANGE", "brickworks:public:default:load", "0", "-1").split("\n"));
        assertThat(stored).as("no item pushed twice").doesNotHaveDuplicates();
        assertThat(stored).as("every acknowledged item is stored").containsAll(acknowledged);
        assertThat(stored.size()).isBetween(acknowledged.size(), items);
        assertThat(acknowledged.size() + failed).isEqualTo(items);
        assertThat(killed.get()).as("connections killed while pushing").isPositive();
    }

    @Test
    void aServerThatDoesNotAnswerTimesOut() throws Exception {
        assertThat(cli("CLIENT", "PAUSE", "3000", "ALL")).isEqualTo("OK");
        Throwable e = failureOrNull(cache.getKey("k"));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("no answer within the command timeout of 500 ms");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> cache.setKey("k", "v").get(5, TimeUnit.SECONDS));
    }

    private static Throwable failureOrNull(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(TIMEOUT.toMillis() * 10, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            assertNamesAddressNotPassword(e.getCause());
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer within 10 command timeouts", e);
        }
    }

    @Test
    void buildingFailsFastWhenRedisIsUnreachable() {
        int closedPort = RedisServer.freePort();
        CacheSettings s = settings().redisPort(closedPort).build();
        assertThatThrownBy(() -> BrickworksCache.builder().settings(s).build())
                .isInstanceOf(CacheBackendException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort + "/0")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    }

    @Test
    void aWrongPasswordFailsWithoutPrintingIt() {
        String wrong = "wrong-Pass-9876";
        CacheSettings s = settings().redisPassword(wrong).build();
        assertThatThrownBy(() -> BrickworksCache.builder().settings(s).build())
                .isInstanceOf(CacheBackendException.class)
                .hasMessageContaining(redis.address())
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain(wrong).doesNotContain(PASSWORD);
                    }
                });
    }

    @Test
    void anAclUserLimitedToTheKeyPrefixCanUseTheCache() throws Exception {
        String userPassword = "app-Secret-4321";
        assertThat(cli("ACL", "SETUSER", "app", "reset", "on", ">" + userPassword, "~brickworks:*", "+@all"))
                .isEqualTo("OK");
        try (BrickworksCache app = BrickworksCache.builder()
                .settings(settings().redisUsername("app").redisPassword(userPassword).build()).build()) {
            assertThat(app.setKey("k", "v", options().indices("i")).get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(app.listKeysByIndex("i").get(5, TimeUnit.SECONDS)).containsExactly("k");
        }
        CacheSettings wrong = settings().redisUsername("app").redisPassword("not-" + userPassword).build();
        assertThatThrownBy(() -> BrickworksCache.builder().settings(wrong).build())
                .isInstanceOf(CacheBackendException.class)
                .hasMessageContaining(redis.address())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(userPassword));
    }

    @Test
    void clusterAndSentinelSettingsAreRejectedByName() {
        CacheSettings cluster = settings().redisClusterNodes(
                List.of(new CacheSettings.HostAndPort("127.0.0.1", redis.port()))).build();
        assertThatThrownBy(() -> new RedisBackendFactory().create(cluster))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("redisClusterNodes");
        CacheSettings sentinel = settings().redisSentinels(
                List.of(new CacheSettings.HostAndPort("127.0.0.1", redis.port()))).build();
        assertThatThrownBy(() -> new RedisBackendFactory().create(sentinel))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("redisSentinels");
    }

    @Test
    void theFactoryIsFoundThroughTheServiceLoader() {
        assertThat(java.util.ServiceLoader.load(io.brickworks.cache.spi.CacheBackendFactory.class).stream()
                .map(p -> p.get().kind())).contains("redis");
        assertThat(cache.toString()).contains("redis " + redis.address() + "/0");
    }

    @Test
    void closingReleasesTheConnectionAndThreads() throws Exception {
        String clients = cli("CLIENT", "LIST");
        assertThat(clients).contains("name=brickworks-cache");
        cache.close();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !cli("CLIENT", "LIST").contains("name=brickworks-cache"));
        assertThatThrownBy(() -> cache.getKey("k")).isInstanceOf(IllegalStateException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("lettuce-")));
    }
}
