package io.brickworks.cache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A near-cache hit decodes an entry once per stored value and shares the result only where that keeps
 * store-by-value: immutable values are one instance for every reader, mutable ones a copy per caller.
 * The decoded value lives with the near cache's entry, so when another writer (a raw Lettuce client,
 * not this library) changes the entry, the first read after the near cache dropped its copy returns
 * the new value. Negative controls: sharing mutable values too ({@code EntryStore.shareImmutable})
 * lets a caller's change reach the cache; a memo in a map of its own ({@code EntryStore.memoWithTheEntry})
 * keeps serving the old value after the near cache dropped it. On Redis with the near cache; the
 * memory backend's tier is the same code (the TCK runs there too).
 */
class SharedValuesTest {

    private static RedisServer redis;
    private static RedisClient raw;
    private static StatefulRedisConnection<byte[], byte[]> rawConnection;

    private BrickworksCache library;
    private CacheManager manager;
    private Cache<String, Object> cache;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        raw = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
        rawConnection = raw.connect(ByteArrayCodec.INSTANCE);
    }

    @AfterAll
    static void stopRedis() {
        rawConnection.close();
        raw.shutdown();
        redis.close();
    }

    @BeforeEach
    void open() {
        library = BrickworksCache.builder().settings(CacheSettings.builder().useRedis(true).redisHost(redis.host())
                .redisPort(redis.port()).nearCache(true).build()).build();
        Properties p = new Properties();
        p.put(JCacheSettings.CACHE_INSTANCE, library);
        manager = new BrickworksCachingProvider().getCacheManager(URI.create("urn:test:shared"),
                getClass().getClassLoader(), p);
        cache = manager.createCache("values", new MutableConfiguration<String, Object>());
    }

    @AfterEach
    void close() {
        EntryStore.shareImmutable = true;
        EntryStore.memoWithTheEntry = true;
        manager.destroyCache("values");
        manager.close();
        library.close();
    }

    /** Waits until reads of {@code key} are answered by the near cache's memo (two reads give one instance). */
    private Object memoized(String key) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> {
            Object first = cache.get(key);
            return first != null && cache.get(key) == first ? first : null;
        }, v -> v != null);
    }

    @Test
    void immutableValuesAreSharedAndMutableOnesCopiedPerCaller() {
        cache.put("text", "a string");
        cache.put("list", new ArrayList<>(List.of("a")));

        assertThat(memoized("text")).isEqualTo("a string");

        @SuppressWarnings("unchecked")
        List<String> mine = (List<String>) cache.get("list");
        mine.add("changed by a caller");
        assertThat(cache.get("list")).isEqualTo(List.of("a")).isNotSameAs(cache.get("list"));
    }

    @Test
    void controlSharingMutableValuesLetsACallersChangeReachTheCache() {
        EntryStore.shareImmutable = false;
        cache.put("list", new ArrayList<>(List.of("a")));
        @SuppressWarnings("unchecked")
        List<String> mine = (List<String>) memoized("list");
        mine.add("changed by a caller");
        assertThat(cache.get("list")).isEqualTo(List.of("a", "changed by a caller"));
    }

    @Test
    void aWriteByAnotherClientIsReadOnceTheNearCacheDroppedItsCopy() {
        cache.put("k", "old");
        assertThat(memoized("k")).isEqualTo("old");

        writeBehindTheLibrary("k", "new");

        assertThat(cache.get("k")).isEqualTo("new");
        assertThat(memoized("k")).isEqualTo("new");
    }

    @Test
    void controlAMemoBesideTheNearCacheServesTheDroppedValue() {
        EntryStore.memoWithTheEntry = false;
        cache.put("k", "old");
        assertThat(memoized("k")).isEqualTo("old");

        writeBehindTheLibrary("k", "new");

        assertThat(cache.get("k")).isEqualTo("old");
    }

    /**
     * Overwrites the entry of {@code key} with a raw Lettuce client, then waits until the library's own
     * near cache no longer answers the old bytes (it heard the invalidation). Returns the new envelope.
     */
    private byte[] writeBehindTheLibrary(String key, String value) {
        List<byte[]> keys = rawConnection.sync().keys("*values.s" + key);
        assertThat(keys).hasSize(1);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        byte[] envelope = ByteBuffer.allocate(10 + v.length).put((byte) 1).putLong(Long.MAX_VALUE).put((byte) 'S')
                .put(v).array();
        rawConnection.sync().set(keys.get(0), envelope);
        String libraryKey = "values.s" + key;
        await().atMost(Duration.ofSeconds(10)).until(() -> java.util.Arrays.equals(
                library.blocking().getKeyBytes(libraryKey, "jcache"), envelope));
        return envelope;
    }
}
