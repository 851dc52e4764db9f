package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.BulkResult;
import io.brickworks.cache.SetOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bulk reads, writes and deletes ({@code getMany}, {@code setMany}, {@code deleteMany}): each key as
 * the single-key call would have it (values, expiry, indices, set-if-absent, namespaces, tenants),
 * bad input in any element rejecting the whole call before anything is written, and a call of
 * 10,000 keys each in a slot of its own (on a Cluster: spread over every primary, never a
 * {@code CROSSSLOT} error). Partial failure (a node down) is tested on the Cluster, where it happens.
 */
public abstract class BulkContract extends CacheContract {

    /** How many keys the big call writes, reads and deletes. */
    protected static final int MANY = 10_000;

    private static Map<String, String> entries(String... keysAndValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    // ------------------------------------------------------------------ reads and writes

    @Test
    void setManyThenGetManyReturnsEachValueAndLeavesOutMissingKeys() {
        BulkResult<Boolean> written = await(cache.setMany(entries("a", "1", "b", "2", "c", "grüße 🌍")));
        assertThat(written.values()).containsExactly(Map.entry("a", true), Map.entry("b", true), Map.entry("c", true));
        assertThat(written.hasFailures()).isFalse();

        BulkResult<String> read = await(cache.getMany(List.of("a", "missing", "b", "c")));
        assertThat(read.values()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "grüße 🌍"));
        assertThat(read.failures()).isEmpty();
        assertThat(read.orThrow()).hasSize(3);
        // each key is what the single-key read sees
        assertThat(await(cache.getKey("c"))).isEqualTo("grüße 🌍");
    }

    @Test
    void bytesRoundTripAndAreCopied() {
        byte[] blob = {(byte) 0xC3, 0x28, 0, 7};
        Map<String, byte[]> in = new LinkedHashMap<>();
        in.put("blob", blob);
        await(cache.setManyBytes(in));
        blob[3] = 9;
        BulkResult<byte[]> read = await(cache.getManyBytes(List.of("blob", "none")));
        assertThat(read.values().keySet()).containsExactly("blob");
        byte[] got = read.values().get("blob");
        assertThat(got).containsExactly((byte) 0xC3, 0x28, 0, 7);
        got[0] = 1;
        assertThat(await(cache.getKeyBytes("blob"))).containsExactly((byte) 0xC3, 0x28, 0, 7);
    }

    @Test
    void optionsApplyToEveryEntry() {
        SetOptions options = SetOptions.options().namespace("pages").expire(Duration.ofSeconds(60)).indices("page-7");
        await(cache.setMany(entries("x", "1", "y", "2"), options));
        assertThat(await(cache.getMany(List.of("x", "y"), "pages")).values()).containsOnlyKeys("x", "y");
        assertThat(await(cache.getMany(List.of("x", "y"))).values()).isEmpty();
        assertThat(await(cache.listKeysByIndex("page-7", "pages"))).containsExactlyInAnyOrder("x", "y");
        long ttl = ttlMillis(fullKey(MASTER, "pages", "x"));
        assertThat(ttl).isBetween(1L, 60_000L);
    }

    @Test
    void ifAbsentLeavesExistingKeysAndSaysWhichWereStored() {
        await(cache.setKey("old", "kept"));
        BulkResult<Boolean> written = await(cache.setMany(entries("old", "new", "fresh", "v"), SetOptions.options().ifAbsent()));
        assertThat(written.values()).containsExactly(Map.entry("old", false), Map.entry("fresh", true));
        assertThat(await(cache.getKey("old"))).isEqualTo("kept");
        assertThat(await(cache.getKey("fresh"))).isEqualTo("v");
    }

    @Test
    void deleteManySaysWhichExistedAndRemovesThemFromTheirIndex() {
        await(cache.setMany(entries("d1", "1", "d2", "2"), SetOptions.options().indices("ix")));
        BulkResult<Boolean> deleted = await(cache.deleteMany(List.of("d1", "d2", "never")));
        assertThat(deleted.values()).containsExactly(Map.entry("d1", true), Map.entry("d2", true), Map.entry("never", false));
        assertThat(await(cache.getMany(List.of("d1", "d2"))).values()).isEmpty();
        assertThat(await(cache.listKeysByIndex("ix"))).isEmpty();
    }

    @Test
    void aKeyThatIsNotAPlainValueIsLeftOutNotFailed() {
        await(cache.pushToQueue("a-list", "item"));
        await(cache.setKey("plain", "v"));
        BulkResult<String> read = await(cache.getMany(List.of("a-list", "plain")));
        assertThat(read.values()).containsExactly(Map.entry("plain", "v"));
        assertThat(read.failures()).isEmpty();
    }

    @Test
    void duplicatesAreReadOnceAndAnEmptyCallAnswersNothing() {
        await(cache.setKey("dup", "v"));
        assertThat(await(cache.getMany(List.of("dup", "dup"))).values()).containsExactly(Map.entry("dup", "v"));
        assertThat(await(cache.getMany(List.of())).values()).isEmpty();
        assertThat(await(cache.setMany(Map.of())).values()).isEmpty();
        assertThat(await(cache.deleteMany(List.of())).values()).isEmpty();
    }

    @Test
    void bulkCallsAreTenantScoped() {
        BrickworksCache acme = cache.forTenant("acme");
        BrickworksCache other = cache.forTenant("other");
        await(acme.setMany(entries("t1", "acme's")));
        assertThat(await(other.getMany(List.of("t1"))).values()).isEmpty();
        assertThat(await(acme.getMany(List.of("t1"))).values()).containsExactly(Map.entry("t1", "acme's"));
        assertThat(stored(fullKey("acme", "default", "t1"))).isTrue();
        assertThat(await(other.deleteMany(List.of("t1"))).values()).containsExactly(Map.entry("t1", false));
        assertThat(await(acme.getKey("t1"))).isEqualTo("acme's");
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void aBadKeyAnywhereRejectsTheWholeWriteNamingItsPosition() {
        Map<String, String> bad = entries("good-1", "v", "bad:key", "v", "good-2", "v");
        RuntimeException thrown = assertNothingWritten(() -> cache.setMany(bad),
                fullKey(MASTER, "default", "good-1"), fullKey(MASTER, "default", "good-2"));
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entries[1] key").hasMessageContaining("'bad:key'");

        Map<String, String> nullValue = new LinkedHashMap<>(entries("good-1", "v"));
        nullValue.put("no-value", null);
        thrown = assertNothingWritten(() -> cache.setMany(nullValue), fullKey(MASTER, "default", "good-1"));
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entries[1] value").hasMessageContaining("'no-value'");

        Map<String, byte[]> reserved = new LinkedHashMap<>();
        reserved.put("good-1", new byte[] {1});
        reserved.put("__index__.x", new byte[] {1});
        thrown = assertNothingWritten(() -> cache.setManyBytes(reserved), fullKey(MASTER, "default", "good-1"));
        assertThat(thrown).hasMessageContaining("entries[1] key").hasMessageContaining("__index__.x");
        assertThatThrownBy(() -> cache.setMany(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entries");
        assertThatThrownBy(() -> cache.setMany(entries("k", "v"), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("options");
    }

    @Test
    void aBadKeyAnywhereRejectsTheWholeReadOrDelete() {
        await(cache.setKey("kept", "v"));
        assertThatThrownBy(() -> cache.getMany(Arrays.asList("kept", "ok", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys[2] must not be null");
        assertThatThrownBy(() -> cache.getManyBytes(List.of("kept", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys[1] must not be empty");
        assertThatThrownBy(() -> cache.deleteMany(List.of("kept", "a:b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys[1]").hasMessageContaining("'a:b'");
        assertThat(await(cache.getKey("kept"))).as("a rejected delete deletes nothing").isEqualTo("v");
        assertThatThrownBy(() -> cache.getMany(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys must not be null");
        assertThatThrownBy(() -> cache.getMany(List.of("kept"), "bad:ns")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace");
    }

    // ------------------------------------------------------------------ many keys

    @Test
    void tenThousandKeysEachInASlotOfItsOwn() {
        int many = manyKeys();
        List<String> keys = keysInDistinctSlots(MASTER, "default", many);
        Map<String, String> in = new HashMap<>();
        for (String k : keys) {
            in.put(k, "v-" + k);
        }
        BulkResult<Boolean> written = await(cache.setMany(in));
        assertThat(written.failures()).isEmpty();
        assertThat(written.values()).hasSize(many);
        List<String> full = new ArrayList<>(many);
        for (String k : keys) {
            full.add(fullKey(MASTER, "default", k));
        }
        afterManyWritten(full);

        List<String> asked = new ArrayList<>(keys);
        asked.add("not-there");
        BulkResult<String> read = await(cache.getMany(asked));
        assertThat(read.failures()).isEmpty();
        assertThat(read.values()).hasSize(many);
        for (String k : keys) {
            assertThat(read.values().get(k)).isEqualTo("v-" + k);
        }
        BulkResult<Boolean> deleted = await(cache.deleteMany(keys));
        assertThat(deleted.values()).hasSize(many).doesNotContainValue(false);
        assertThat(await(cache.getMany(keys)).values()).isEmpty();
    }

    /**
     * How many keys the big call has: {@value #MANY}, unless a variant whose read path is per key (the
     * near cache) runs a smaller one to keep CI short, the full call running on the other variants.
     */
    protected int manyKeys() {
        return MANY;
    }

    /**
     * Called once the big call has written its keys (full keys, each in a slot of its own): a Cluster
     * checks there that they are spread over every primary. Default: nothing.
     */
    protected void afterManyWritten(List<String> fullKeys) {
    }

    /**
     * {@code count} (at most 16,384) plain keys whose full keys in {@code tenant} and {@code namespace}
     * hash to distinct Redis Cluster slots.
     */
    protected static List<String> keysInDistinctSlots(String tenant, String namespace, int count) {
        boolean[] taken = new boolean[RedisClusterHarness.SLOTS];
        List<String> keys = new ArrayList<>(count);
        for (int i = 0; keys.size() < count; i++) {
            String key = "bulk-" + i;
            int slot = slot(fullKey(tenant, namespace, key));
            if (!taken[slot]) {
                taken[slot] = true;
                keys.add(key);
            }
        }
        return keys;
    }

    /** The Redis Cluster slot of {@code key}: CRC16 (XMODEM) of the key, or of its hash tag, modulo 16384. */
    protected static int slot(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        int crc = 0;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            crc ^= (b & 0xFF) << 8;
            for (int j = 0; j < 8; j++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xFFFF;
        }
        return crc % RedisClusterHarness.SLOTS;
    }
}
