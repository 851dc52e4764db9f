package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.SetOptions;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Secondary indices: listing, deleted and expired keys never listed and pruned from the index,
 * bulk deletion, and the index living at least as long as its keys.
 */
public abstract class IndexContract extends CacheContract {

    private static final Duration SHORT = Duration.ofMillis(300);

    private static SetOptions indexed(String... indices) {
        return SetOptions.options().indices(indices);
    }

    @Test
    void listsTheKeysWrittenWithAnIndex() {
        await(cache.setKey("user-123", "userdata 123", indexed("users")));
        await(cache.setKey("user-456", "userdata 456", indexed("users")));
        await(cache.setKey("other", "not indexed"));
        assertThat(await(cache.listKeysByIndex("users"))).containsExactlyInAnyOrder("user-123", "user-456");
        assertThat(await(cache.listKeysByIndex("users", "default"))).containsExactlyInAnyOrder("user-123", "user-456");
    }

    @Test
    void unknownIndexIsEmpty() {
        assertThat(await(cache.listKeysByIndex("nothing"))).isEmpty();
    }

    @Test
    void indexLivesAtTheOriginalsKeyAndHoldsFullKeys() {
        await(cache.setKey("user-1", "v", indexed("users")));
        assertThat(await(backend().setMembers(indexKey(MASTER, "default", "users"))))
                .containsExactly(fullKey(MASTER, "default", "user-1"));
    }

    @Test
    void aKeyCanBeInSeveralIndices() {
        await(cache.setKey("k", "v", indexed("a", "b")));
        assertThat(await(cache.listKeysByIndex("a"))).containsExactly("k");
        assertThat(await(cache.listKeysByIndex("b"))).containsExactly("k");
    }

    @Test
    void indicesArePerNamespace() {
        await(cache.setKey("k1", "v", indexed("idx")));
        await(cache.setKey("k2", "v", indexed("idx").namespace("other")));
        assertThat(await(cache.listKeysByIndex("idx"))).containsExactly("k1");
        assertThat(await(cache.listKeysByIndex("idx", "other"))).containsExactly("k2");
    }

    @Test
    void bytesValuesAreIndexedToo() {
        await(cache.setKey("b", new byte[] {1, 2}, indexed("blobs")));
        assertThat(await(cache.listKeysByIndex("blobs"))).containsExactly("b");
    }

    @Test
    void deletedKeyIsNeverListedAndIsPruned() {
        await(cache.setKey("k1", "v", indexed("idx")));
        await(cache.setKey("k2", "v", indexed("idx")));
        await(cache.deleteKey("k1"));
        assertThat(await(cache.listKeysByIndex("idx"))).containsExactly("k2");
        assertThat(await(backend().setMembers(indexKey(MASTER, "default", "idx"))))
                .containsExactly(fullKey(MASTER, "default", "k2"));
    }

    @Test
    void expiredKeyIsNeverListedAndIsPruned() {
        await(cache.setKey("short", "v", indexed("idx").expire(SHORT)));
        await(cache.setKey("long", "v", indexed("idx")));
        eventually().until(() -> !await(cache.listKeysByIndex("idx")).contains("short"));
        assertThat(await(cache.listKeysByIndex("idx"))).containsExactly("long");
        assertThat(await(backend().setMembers(indexKey(MASTER, "default", "idx"))))
                .containsExactly(fullKey(MASTER, "default", "long"));
    }

    @Test
    void deadMembersDoNotPileUpInAnIndexThatIsNeverListed() {
        for (int i = 0; i < 500; i++) {
            await(cache.setKey("old-" + i, "v", indexed("busy")));
        }
        for (int i = 0; i < 500; i++) {
            await(cache.deleteKey("old-" + i));
        }
        for (int i = 0; i < 500; i++) {
            await(cache.setKey("new-" + i, "v", indexed("busy")));
        }
        // Without pruning on write the index would hold all 1000 members; writes prune dead ones.
        assertThat(await(backend().setMembers(indexKey(MASTER, "default", "busy")))).hasSizeLessThan(700);
        assertThat(await(cache.listKeysByIndex("busy"))).hasSize(500);
    }

    @Test
    void indexOfOnlyDeadKeysBecomesEmpty() {
        await(cache.setKey("k1", "v", indexed("idx")));
        await(cache.setKey("k2", "v", indexed("idx")));
        await(cache.deleteKey("k1"));
        await(cache.deleteKey("k2"));
        assertThat(await(cache.listKeysByIndex("idx"))).isEmpty();
        assertThat(await(backend().setMembers(indexKey(MASTER, "default", "idx")))).isEmpty();
    }

    @Test
    void overwrittenKeyIsListedOnce() {
        await(cache.setKey("k", "v1", indexed("idx")));
        await(cache.setKey("k", "v2", indexed("idx")));
        assertThat(await(cache.listKeysByIndex("idx"))).containsExactly("k");
    }

    @Test
    void ifAbsentThatDoesNotWriteDoesNotIndex() {
        await(cache.setKey("k", "v"));
        assertThat(await(cache.setKey("k", "v2", indexed("idx").ifAbsent()))).isFalse();
        assertThat(await(cache.listKeysByIndex("idx"))).isEmpty();
        assertThat(stored(indexKey(MASTER, "default", "idx"))).isFalse();
    }

    @Test
    void listingManyKeys() {
        List<String> keys = IntStream.range(0, 500).mapToObj(i -> "key-" + i).toList();
        for (String k : keys) {
            await(cache.setKey(k, "v", indexed("many")));
        }
        for (int i = 0; i < 500; i += 2) {
            await(cache.deleteKey(keys.get(i)));
        }
        List<String> listed = await(cache.listKeysByIndex("many"));
        assertThat(listed).hasSize(250).doesNotHaveDuplicates();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 500).filter(i -> i % 2 == 1).mapToObj(keys::get).toList());
    }

    @Test
    void anotherInstanceSeesTheIndex() {
        BrickworksCache replica = newCache();
        await(replica.setKey("k", "v", indexed("shared")));
        assertThat(await(cache.listKeysByIndex("shared"))).containsExactly("k");
    }

    // ------------------------------------------------------------------ bulk delete

    @Test
    void deleteKeysByIndexDeletesEveryKeyAndTheIndex() {
        await(cache.setKey("k1", "v", indexed("idx")));
        await(cache.setKey("k2", "v", indexed("idx")));
        await(cache.setKey("k3", "v", indexed("other")));
        assertThat(await(cache.deleteKeysByIndex("idx"))).isEqualTo(2L);
        assertThat(await(cache.getKey("k1"))).isNull();
        assertThat(await(cache.getKey("k2"))).isNull();
        assertThat(await(cache.getKey("k3"))).isEqualTo("v");
        assertThat(await(cache.listKeysByIndex("idx"))).isEmpty();
        assertThat(stored(indexKey(MASTER, "default", "idx"))).isFalse();
        assertThat(await(cache.listKeysByIndex("other"))).containsExactly("k3");
    }

    @Test
    void deleteKeysByIndexCountsOnlyLiveKeys() {
        await(cache.setKey("k1", "v", indexed("idx")));
        await(cache.setKey("k2", "v", indexed("idx")));
        await(cache.deleteKey("k1"));
        assertThat(await(cache.deleteKeysByIndex("idx", "default"))).isEqualTo(1L);
        assertThat(await(cache.deleteKeysByIndex("idx", "default"))).isZero();
        assertThat(await(cache.deleteKeysByIndex("never"))).isZero();
    }

    @Test
    void deleteKeysByIndexInANamespace() {
        await(cache.setKey("k", "v", indexed("idx").namespace("ns")));
        await(cache.setKey("k", "v", indexed("idx")));
        assertThat(await(cache.deleteKeysByIndex("idx", "ns"))).isEqualTo(1L);
        assertThat(await(cache.getKey("k", "ns"))).isNull();
        assertThat(await(cache.getKey("k"))).isEqualTo("v");
    }

    @Test
    void keysIndexedAgainAfterBulkDeleteAreListed() {
        await(cache.setKey("k", "v", indexed("idx")));
        await(cache.deleteKeysByIndex("idx"));
        await(cache.setKey("k", "v", indexed("idx")));
        assertThat(await(cache.listKeysByIndex("idx"))).containsExactly("k");
    }

    // ------------------------------------------------------------------ index expiry

    @Test
    void indexLivesAtLeastAsLongAsItsKey() {
        await(cache.setKey("k", "v", indexed("idx").expire(Duration.ofHours(2))));
        long keyTtl = ttlMillis(fullKey(MASTER, "default", "k"));
        long indexTtl = ttlMillis(indexKey(MASTER, "default", "idx"));
        assertThat(indexTtl).isGreaterThanOrEqualTo(keyTtl - 1_000).isGreaterThan(Duration.ofMinutes(119).toMillis());
    }

    @Test
    void aShorterKeyNeverLowersTheIndexExpiry() {
        await(cache.setKey("long", "v", indexed("idx").expire(Duration.ofHours(2))));
        await(cache.setKey("short", "v", indexed("idx").expire(SHORT)));
        assertThat(ttlMillis(indexKey(MASTER, "default", "idx"))).isGreaterThan(Duration.ofMinutes(119).toMillis());
    }

    @Test
    void aLongerKeyRaisesTheIndexExpiry() {
        await(cache.setKey("short", "v", indexed("idx").expire(SHORT)));
        await(cache.setKey("long", "v", indexed("idx").expire(Duration.ofHours(2))));
        assertThat(ttlMillis(indexKey(MASTER, "default", "idx"))).isGreaterThan(Duration.ofMinutes(119).toMillis());

        await(cache.setKey("marker", "m", SetOptions.options().expire(SHORT)));
        eventually().until(() -> await(cache.getKey("marker")) == null);
        assertThat(await(cache.listKeysByIndex("idx"))).containsExactly("long");
    }

    @Test
    void indexOfExpiredKeysExpiresToo() {
        await(cache.setKey("k", "v", indexed("idx").expire(SHORT)));
        eventually().until(() -> !stored(indexKey(MASTER, "default", "idx")));
        assertThat(await(cache.listKeysByIndex("idx"))).isEmpty();
    }
}
