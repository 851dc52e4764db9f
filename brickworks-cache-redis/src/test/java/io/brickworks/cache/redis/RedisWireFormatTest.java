package io.brickworks.cache.redis;

import static io.brickworks.cache.SetOptions.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes with the library and reads with redis-cli (a plain client), and the other way round, to
 * check the wire format that Java and Python services share.
 */
class RedisWireFormatTest {

    private static final long WEEK_MS = Duration.ofDays(7).toMillis();

    private final RedisServer redis = SharedRedis.server();
    private BrickworksCache cache;

    @BeforeEach
    void open() {
        SharedRedis.flush();
        cache = BrickworksCache.builder().settings(SharedRedis.settings().build()).build();
    }

    @AfterEach
    void close() {
        cache.close();
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private String cli(String... args) {
        return redis.cli(args);
    }

    private long pttl(String key) {
        return Long.parseLong(cli("PTTL", key));
    }

    @Test
    void aValueIsAStringAtTheFullKeyWithTheDefaultExpiry() throws Exception {
        assertThat(await(cache.setKey("k", "v"))).isTrue();

        assertThat(cli("KEYS", "*")).isEqualTo("brickworks:public:default:k");
        assertThat(cli("TYPE", "brickworks:public:default:k")).isEqualTo("string");
        assertThat(cli("GET", "brickworks:public:default:k")).isEqualTo("v");
        assertThat(pttl("brickworks:public:default:k")).isBetween(WEEK_MS - 60_000, WEEK_MS);
    }

    @Test
    void namespaceExpiryAndTenantShapeTheKey() throws Exception {
        await(cache.setKey("k", "v", options().namespace("users").expireSeconds(60)));
        await(cache.forTenant("acme").setKey("k", "w"));

        assertThat(cli("GET", "brickworks:public:users:k")).isEqualTo("v");
        assertThat(pttl("brickworks:public:users:k")).isBetween(50_000L, 60_000L);
        assertThat(cli("GET", "brickworks:acme:default:k")).isEqualTo("w");
    }

    @Test
    void theConfiguredDatabaseIsUsed() throws Exception {
        try (BrickworksCache db3 = BrickworksCache.builder().settings(SharedRedis.settings().redisDb(3).build()).build()) {
            await(db3.setKey("k", "in db 3", options().indices("i")));
            assertThat(redis.cli("-n", "3", "GET", "brickworks:public:default:k")).isEqualTo("in db 3");
            assertThat(await(db3.listKeysByIndex("i"))).containsExactly("k");
            assertThat(db3.toString()).contains(redis.address() + "/3");
        }
        assertThat(cli("EXISTS", "brickworks:public:default:k")).isEqualTo("0");
    }

    @Test
    void setIfAbsentKeepsTheExistingValue() throws Exception {
        assertThat(await(cache.setKey("k", "first", options().ifAbsent()))).isTrue();
        assertThat(await(cache.setKey("k", "second", options().ifAbsent()))).isFalse();
        assertThat(cli("GET", "brickworks:public:default:k")).isEqualTo("first");
        assertThat(await(cache.setKey("k", "third", options().ifAbsent().indices("all")))).isFalse();
        assertThat(cli("GET", "brickworks:public:default:k")).isEqualTo("first");
        assertThat(cli("EXISTS", "brickworks:public:default:__index__.all")).isEqualTo("0");
    }

    @Test
    void refreshSetsTheExpiryFromNow() throws Exception {
        await(cache.setKey("k", "v", options().expireSeconds(10)));
        assertThat(await(cache.refreshKey("k", "default", Duration.ofSeconds(100)))).isTrue();
        assertThat(pttl("brickworks:public:default:k")).isBetween(90_000L, 100_000L);
        assertThat(await(cache.refreshKey("missing", "default", Duration.ofSeconds(100)))).isFalse();
        assertThat(cli("EXISTS", "brickworks:public:default:missing")).isEqualTo("0");
    }

    @Test
    void anIndexIsASetOfFullKeysWhoseExpiryIsRaisedNeverLowered() throws Exception {
        String index = "brickworks:public:default:__index__.users";
        await(cache.setKey("user-1", "a", options().indices("users").expireSeconds(100)));

        assertThat(cli("TYPE", index)).isEqualTo("set");
        assertThat(cli("SMEMBERS", index)).isEqualTo("brickworks:public:default:user-1");
        assertThat(pttl(index)).isBetween(90_000L, 100_000L);

        await(cache.setKey("user-2", "b", options().indices("users").expireSeconds(10)));
        assertThat(pttl(index)).as("a shorter key does not lower the index TTL").isBetween(80_000L, 100_000L);

        await(cache.setKey("user-3", "c", options().indices("users", "admins").expireSeconds(1000)));
        assertThat(pttl(index)).as("a longer key raises it").isBetween(990_000L, 1_000_000L);
        assertThat(cli("SMEMBERS", "brickworks:public:default:__index__.admins"))
                .isEqualTo("brickworks:public:default:user-3");
        assertThat(cli("SCARD", index)).isEqualTo("3");
        assertThat(await(cache.listKeysByIndex("users"))).containsExactlyInAnyOrder("user-1", "user-2", "user-3");
    }

    @Test
    void listingDropsAndPrunesMembersWhoseKeyIsGone() throws Exception {
        String index = "brickworks:public:default:__index__.users";
        await(cache.setKey("user-1", "a", options().indices("users")));
        await(cache.setKey("user-2", "b", options().indices("users")));
        cli("DEL", "brickworks:public:default:user-2");
        cli("SADD", index, "brickworks:public:default:never-written");

        assertThat(await(cache.listKeysByIndex("users"))).containsExactly("user-1");
        assertThat(cli("SMEMBERS", index)).isEqualTo("brickworks:public:default:user-1");
    }

    @Test
    void aFailingIndexWritesNothing() throws Exception {
        cli("SET", "brickworks:public:default:__index__.bad", "not a set");
        assertThat(cache.setKey("k", "v", options().indices("good", "bad")))
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withMessageContaining("WRONGTYPE");
        assertThat(cli("EXISTS", "brickworks:public:default:k", "brickworks:public:default:__index__.good"))
                .isEqualTo("0");
    }

    @Test
    void aQueueIsAListPushedRightAndPoppedLeft() throws Exception {
        await(cache.pushToQueue("jobs", "a"));
        await(cache.pushToQueue("jobs", "b"));

        assertThat(cli("TYPE", "brickworks:public:default:jobs")).isEqualTo("list");
        assertThat(cli("LRANGE", "brickworks:public:default:jobs", "0", "-1")).isEqualTo("a\nb");
        assertThat(await(cache.popFromQueue("jobs"))).isEqualTo("a");
        cli("RPUSH", "brickworks:public:default:jobs", "from-python");
        assertThat(await(cache.popFromQueue("jobs"))).isEqualTo("b");
        assertThat(await(cache.popFromQueue("jobs"))).isEqualTo("from-python");
        assertThat(await(cache.popFromQueue("jobs"))).isNull();
    }

    @Test
    void aSetIsASetWhoseExpiryIsRaisedNeverLowered() throws Exception {
        String key = "brickworks:public:default:tags";
        assertThat(await(cache.addToSet("tags", List.of("x", "y"), "default", Duration.ofSeconds(100)))).isEqualTo(2);
        assertThat(cli("TYPE", key)).isEqualTo("set");
        assertThat(pttl(key)).isBetween(90_000L, 100_000L);

        assertThat(await(cache.addToSet("tags", List.of("y", "z"), "default", Duration.ofSeconds(10)))).isEqualTo(1);
        assertThat(pttl(key)).isBetween(80_000L, 100_000L);
        assertThat(cli("SCARD", key)).isEqualTo("3");
        assertThat(await(cache.isSetMember("tags", "z"))).isTrue();
        assertThat(await(cache.removeFromSet("tags", List.of("x", "nope")))).isEqualTo(1);
        assertThat(await(cache.getSetMembers("tags"))).containsExactlyInAnyOrder("y", "z");
    }

    @Test
    void aLargeSetIsWrittenInOneCall() throws Exception {
        List<String> many = java.util.stream.IntStream.range(0, 5000).mapToObj(i -> "m" + i).toList();
        assertThat(await(cache.addToSet("big", many, "default", Duration.ofSeconds(100)))).isEqualTo(5000);
        assertThat(cli("SCARD", "brickworks:public:default:big")).isEqualTo("5000");
    }

    @Test
    void aLockIsAStringInTheLocksNamespaceWithItsTtl() throws Exception {
        String key = "brickworks:public:__locks__:mailer";
        assertThat(await(cache.attemptDistributedLock("mailer", Duration.ofSeconds(5)))).isTrue();

        assertThat(cli("TYPE", key)).isEqualTo("string");
        assertThat(pttl(key)).isBetween(1L, 5_000L);
        assertThat(await(cache.attemptDistributedLock("mailer", Duration.ofSeconds(5)))).isFalse();

        try (BrickworksCache other = BrickworksCache.builder().settings(SharedRedis.settings().build()).build()) {
            assertThat(await(other.releaseDistributedLock("mailer"))).as("another instance cannot release it").isFalse();
        }
        assertThat(cli("EXISTS", key)).isEqualTo("1");
        assertThat(await(cache.releaseDistributedLock("mailer"))).isTrue();
        assertThat(cli("EXISTS", key)).isEqualTo("0");
    }

    @Test
    void aLockTakenByAPythonServiceIsRespected() throws Exception {
        cli("SET", "brickworks:public:__locks__:mailer", "1", "EX", "10", "NX");
        assertThat(await(cache.attemptDistributedLock("mailer"))).isFalse();
    }

    @Test
    void valuesWrittenByAPlainClientAreReadable() throws Exception {
        cli("SET", "brickworks:public:default:py", "from python", "EX", "100");
        cli("SADD", "brickworks:public:default:__index__.py", "brickworks:public:default:py");
        assertThat(await(cache.getKey("py"))).isEqualTo("from python");
        assertThat(await(cache.listKeysByIndex("py"))).containsExactly("py");
    }

    @Test
    void bytesAndUnicodeRoundTrip() throws Exception {
        byte[] raw = {0, (byte) 0xff, (byte) 0xc3, 10, 13, 0};
        await(cache.setKey("raw", raw));
        assertThat(await(cache.getKeyBytes("raw"))).isEqualTo(raw);
        await(cache.setKey("text", "Grüße, 世界"));
        assertThat(await(cache.getKey("text"))).isEqualTo("Grüße, 世界");
        assertThat(cli("STRLEN", "brickworks:public:default:text")).isEqualTo(
                String.valueOf("Grüße, 世界".getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    }

    @Test
    void readingAKeyOfAnotherTypeAsAValueGivesNull() throws Exception {
        await(cache.pushToQueue("q", "a"));
        assertThat(await(cache.getKey("q"))).isNull();
    }

    @Test
    void deleteByIndexRemovesTheKeysAndTheirIndexEntries() throws Exception {
        await(cache.setKey("a", "1", options().indices("grp")));
        await(cache.setKey("b", "2", options().indices("grp")));
        assertThat(await(cache.deleteKeysByIndex("grp"))).isEqualTo(2);
        assertThat(cli("EXISTS", "brickworks:public:default:a", "brickworks:public:default:b",
                "brickworks:public:default:__index__.grp")).isEqualTo("0");
    }

    @Test
    void scriptsAreLoadedOnceWhenTheCacheOpens() {
        for (LuaScript script : RedisScripts.ALL) {
            assertThat(cli("SCRIPT", "EXISTS", script.sha())).as(script.name()).isEqualTo("1");
        }
        assertThat(Arrays.asList(cli("CLIENT", "LIST").split("\n")))
                .anyMatch(line -> line.contains("name=brickworks-cache"));
    }
}
