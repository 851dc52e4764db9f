package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.SetOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Key-value entries: set and get of strings and bytes, namespaces, expiry (default, custom,
 * refreshed), set-if-absent, delete, and the lifecycle of a cache instance.
 */
public abstract class KeyValueContract extends CacheContract {

    private static final Duration SHORT = Duration.ofMillis(300);

    private static SetOptions expiring(Duration expire) {
        return SetOptions.options().expire(expire);
    }

    // ------------------------------------------------------------------ set and get

    @Test
    void setThenGetReturnsTheString() {
        assertThat(await(cache.setKey("foo", "bar"))).isTrue();
        assertThat(await(cache.getKey("foo"))).isEqualTo("bar");
        assertThat(await(cache.getKey("foo", "default"))).isEqualTo("bar");
    }

    @Test
    void missingKeyIsNull() {
        assertThat(await(cache.getKey("never-set"))).isNull();
        assertThat(await(cache.getKeyBytes("never-set"))).isNull();
    }

    @Test
    void setOverwritesTheValue() {
        await(cache.setKey("k", "first"));
        assertThat(await(cache.setKey("k", "second"))).isTrue();
        assertThat(await(cache.getKey("k"))).isEqualTo("second");
    }

    @Test
    void unicodeAndEmptyStringsRoundTrip() {
        String text = "grüße, 世界 🌍 \n\t\"quoted\"";
        await(cache.setKey("unicode", text));
        await(cache.setKey("empty", ""));
        assertThat(await(cache.getKey("unicode"))).isEqualTo(text);
        assertThat(await(cache.getKey("empty"))).isEmpty();
        assertThat(await(cache.getKeyBytes("unicode"))).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bytesRoundTripExactly() {
        byte[] value = new byte[4096];
        new Random(42).nextBytes(value);
        value[0] = (byte) 0xC3; // not valid UTF-8 on its own
        value[1] = (byte) 0x28;
        assertThat(await(cache.setKey("blob", value))).isTrue();
        assertThat(await(cache.getKeyBytes("blob"))).isEqualTo(value);
        assertThat(await(cache.getKeyBytes("blob", "default"))).isEqualTo(value);
    }

    @Test
    void storedBytesAreACopy() {
        byte[] value = {1, 2, 3};
        await(cache.setKey("copy", value));
        value[0] = 9;
        byte[] read = await(cache.getKeyBytes("copy"));
        assertThat(read).containsExactly(1, 2, 3);
        read[1] = 9;
        assertThat(await(cache.getKeyBytes("copy"))).containsExactly(1, 2, 3);
    }

    @Test
    void getKeyDecodedAnswersTheDecodedValueAndNeverThatOfAReplacedValue() {
        Function<byte[], String> decoder = bytes -> "decoded " + new String(bytes, StandardCharsets.UTF_8);
        assertThat(await(cache.getKeyDecoded("d", "default", decoder))).isNull();
        await(cache.setKey("d", "first"));
        assertThat(await(cache.getKeyDecoded("d", "default", decoder))).isEqualTo("decoded first");
        assertThat(await(cache.getKeyDecoded("d", "default", decoder))).isEqualTo("decoded first");
        await(cache.setKey("d", "second"));
        assertThat(await(cache.getKeyDecoded("d", "default", decoder))).isEqualTo("decoded second");
        Function<byte[], String> another = bytes -> "another decoder";
        assertThat(await(cache.getKeyDecoded("d", "default", another))).isEqualTo("another decoder");
        await(cache.deleteKey("d"));
        assertThat(await(cache.getKeyDecoded("d", "default", decoder))).isNull();
    }

    @Test
    void getKeyDecodedFailsItsFutureWithWhatTheDecoderThrows() {
        await(cache.setKey("undecodable", "x"));
        Function<byte[], Object> failing = bytes -> {
            throw new IllegalStateException("cannot decode " + bytes.length + " byte");
        };
        // the async API fails the future; the blocking view throws what the future failed with
        assertThatThrownBy(() -> await(cache.getKeyDecoded("undecodable", "default", failing)))
                .hasStackTraceContaining("cannot decode 1 byte");
        assertThatThrownBy(() -> cache.getKeyDecoded("undecodable", "default", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decoder");
    }

    @Test
    void largeValueRoundTrips() {
        String large = "x".repeat(512 * 1024);
        await(cache.setKey("large", large));
        assertThat(await(cache.getKey("large"))).isEqualTo(large);
    }

    @Test
    void stringWrittenIsStoredAsUtf8UnderTheWireKey() {
        await(cache.setKey("wire", "ä", SetOptions.options().namespace("ns")));
        assertThat(await(backend().get(fullKey(MASTER, "ns", "wire")))).isEqualTo("ä".getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ namespaces

    @Test
    void namespacesKeepEqualKeysApart() {
        await(cache.setKey("k", "in-default"));
        await(cache.setKey("k", "in-users", SetOptions.options().namespace("users")));
        assertThat(await(cache.getKey("k"))).isEqualTo("in-default");
        assertThat(await(cache.getKey("k", "users"))).isEqualTo("in-users");
        assertThat(await(cache.getKey("k", "other"))).isNull();

        assertThat(await(cache.deleteKey("k", "users"))).isTrue();
        assertThat(await(cache.getKey("k", "users"))).isNull();
        assertThat(await(cache.getKey("k"))).isEqualTo("in-default");
    }

    @Test
    void defaultNamespaceIsCalledDefault() {
        await(cache.setKey("k", "v", SetOptions.options().namespace("default")));
        assertThat(await(cache.getKey("k"))).isEqualTo("v");
        assertThat(stored(fullKey(MASTER, "default", "k"))).isTrue();
    }

    // ------------------------------------------------------------------ expiry

    @Test
    void defaultExpiryIsSevenDays() {
        await(cache.setKey("k", "v"));
        long ttl = ttlMillis(fullKey(MASTER, "default", "k"));
        assertThat(ttl).isBetween(Duration.ofDays(7).minusMinutes(1).toMillis(), Duration.ofDays(7).toMillis());
    }

    @Test
    void configuredDefaultExpiryApplies() {
        BrickworksCache hourly = newCache(b -> b.defaultExpire(Duration.ofHours(1)));
        await(hourly.setKey("k", "v"));
        assertThat(ttlMillis(fullKey(MASTER, "default", "k")))
                .isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
    }

    @Test
    void customExpiryIsSetAndTheKeyExpires() {
        await(cache.setKey("short", "v", expiring(SHORT)));
        await(cache.setKey("long", "v"));
        assertThat(ttlMillis(fullKey(MASTER, "default", "short"))).isLessThanOrEqualTo(SHORT.toMillis()).isNotEqualTo(-1L);

        eventually().until(() -> await(cache.getKey("short")) == null);
        assertThat(await(cache.getKeyBytes("short"))).isNull();
        assertThat(stored(fullKey(MASTER, "default", "short"))).isFalse();
        assertThat(await(cache.getKey("long"))).isEqualTo("v");
    }

    @Test
    void expirySecondsLikeTheOriginal() {
        await(cache.setKey("k", "v", SetOptions.options().expireSeconds(3600)));
        assertThat(ttlMillis(fullKey(MASTER, "default", "k")))
                .isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
    }

    @Test
    void overwritingReplacesTheExpiry() {
        await(cache.setKey("k", "v", expiring(Duration.ofHours(1))));
        await(cache.setKey("k", "v2", expiring(SHORT)));
        eventually().until(() -> await(cache.getKey("k")) == null);
    }

    @Test
    void veryLongExpiryIsKept() {
        for (long days : new long[] {365L * 50, 36_500}) {
            await(cache.setKey("k" + days, "v", expiring(Duration.ofDays(days))));
            assertThat(await(cache.getKey("k" + days))).as("%d days", days).isEqualTo("v");
            assertThat(ttlMillis(fullKey(MASTER, "default", "k" + days))).as("%d days", days)
                    .isGreaterThan(Duration.ofDays(days - 1).toMillis());
        }
        assertThat(await(cache.refreshKey("k18250", "default", Duration.ofDays(36_500)))).isTrue();
        assertThat(await(cache.getKey("k18250"))).isEqualTo("v");
    }

    // ------------------------------------------------------------------ set-if-absent

    @Test
    void ifAbsentWritesOnlyOnce() {
        assertThat(await(cache.setKey("k", "first", SetOptions.options().ifAbsent()))).isTrue();
        assertThat(await(cache.setKey("k", "second", SetOptions.options().ifAbsent()))).isFalse();
        assertThat(await(cache.getKey("k"))).isEqualTo("first");
    }

    @Test
    void ifAbsentLeavesTheExistingExpiry() {
        await(cache.setKey("k", "first", expiring(Duration.ofHours(1))));
        assertThat(await(cache.setKey("k", "second", expiring(SHORT).ifAbsent()))).isFalse();
        assertThat(ttlMillis(fullKey(MASTER, "default", "k"))).isGreaterThan(Duration.ofMinutes(59).toMillis());
    }

    @Test
    void ifAbsentWritesAgainAfterDeleteOrExpiry() {
        await(cache.setKey("k", "first", expiring(SHORT).ifAbsent()));
        eventually().until(() -> await(cache.getKey("k")) == null);
        assertThat(await(cache.setKey("k", "second", SetOptions.options().ifAbsent()))).isTrue();
        assertThat(await(cache.deleteKey("k"))).isTrue();
        assertThat(await(cache.setKey("k", "third", SetOptions.options().ifAbsent()))).isTrue();
        assertThat(await(cache.getKey("k"))).isEqualTo("third");
    }

    @Test
    void ifAbsentOfBytes() {
        assertThat(await(cache.setKey("k", new byte[] {1}, SetOptions.options().ifAbsent()))).isTrue();
        assertThat(await(cache.setKey("k", new byte[] {2}, SetOptions.options().ifAbsent()))).isFalse();
        assertThat(await(cache.getKeyBytes("k"))).containsExactly(1);
    }

    // ------------------------------------------------------------------ delete

    @Test
    void deleteRemovesTheKeyAndSaysWhetherItExisted() {
        await(cache.setKey("k", "v"));
        assertThat(await(cache.deleteKey("k"))).isTrue();
        assertThat(await(cache.getKey("k"))).isNull();
        assertThat(await(cache.deleteKey("k"))).isFalse();
        assertThat(await(cache.deleteKey("never-set", "default"))).isFalse();
    }

    @Test
    void deleteOfAnExpiredKeySaysItDidNotExist() {
        await(cache.setKey("k", "v", expiring(SHORT)));
        eventually().until(() -> !stored(fullKey(MASTER, "default", "k")));
        assertThat(await(cache.deleteKey("k"))).isFalse();
    }

    // ------------------------------------------------------------------ refresh

    @Test
    void refreshLengthensTheExpiry() {
        await(cache.setKey("k", "v", expiring(SHORT)));
        assertThat(await(cache.refreshKey("k", "default", Duration.ofHours(1)))).isTrue();
        assertThat(ttlMillis(fullKey(MASTER, "default", "k"))).isGreaterThan(Duration.ofMinutes(59).toMillis());

        // a marker written after the refresh with the old expiry: once it is gone, so would the key be
        await(cache.setKey("marker", "m", expiring(SHORT)));
        eventually().until(() -> await(cache.getKey("marker")) == null);
        assertThat(await(cache.getKey("k"))).isEqualTo("v");
    }

    @Test
    void refreshShortensTheExpiry() {
        await(cache.setKey("k", "v"));
        assertThat(await(cache.refreshKey("k", "default", SHORT))).isTrue();
        assertThat(ttlMillis(fullKey(MASTER, "default", "k"))).isLessThanOrEqualTo(SHORT.toMillis()).isNotEqualTo(-1L);
        eventually().until(() -> await(cache.getKey("k")) == null);
    }

    @Test
    void refreshWithoutExpiryUsesTheDefault() {
        await(cache.setKey("k", "v", expiring(Duration.ofMinutes(1))));
        assertThat(await(cache.refreshKey("k"))).isTrue();
        assertThat(ttlMillis(fullKey(MASTER, "default", "k"))).isGreaterThan(Duration.ofDays(6).toMillis());
    }

    @Test
    void refreshOfAMissingKeyDoesNotCreateIt() {
        assertThat(await(cache.refreshKey("missing", "default", Duration.ofHours(1)))).isFalse();
        assertThat(await(cache.getKey("missing"))).isNull();
        assertThat(stored(fullKey(MASTER, "default", "missing"))).isFalse();
    }

    @Test
    void refreshOfAnExpiredKeyDoesNotRevive() {
        await(cache.setKey("k", "v", expiring(SHORT)));
        eventually().until(() -> await(cache.getKey("k")) == null);
        assertThat(await(cache.refreshKey("k", "default", Duration.ofHours(1)))).isFalse();
        assertThat(await(cache.getKey("k"))).isNull();
    }

    @Test
    void refreshKeepsTheValue() {
        await(cache.setKey("k", "v", SetOptions.options().namespace("ns")));
        await(cache.refreshKey("k", "ns", Duration.ofMinutes(5)));
        assertThat(await(cache.getKey("k", "ns"))).isEqualTo("v");
    }

    // ------------------------------------------------------------------ instances

    @Test
    void anotherInstanceOnTheSameStoreSeesTheEntries() {
        BrickworksCache replica = newCache();
        await(replica.setKey("from-replica", "v"));
        assertThat(await(cache.getKey("from-replica"))).isEqualTo("v");
        assertThat(await(cache.deleteKey("from-replica"))).isTrue();
        assertThat(await(replica.getKey("from-replica"))).isNull();
    }

    @Test
    void callsAfterCloseFailAndCloseIsIdempotent() {
        BrickworksCache c = newCache();
        await(c.setKey("k", "v"));
        c.close();
        c.close();
        assertThatThrownBy(() -> c.getKey("k")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> c.setKey("k", "v")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingAViewLeavesTheCacheOpen() {
        BrickworksCache view = cache.forTenant("acme");
        view.close();
        cache.masterTenant().close();
        await(cache.setKey("k", "v"));
        assertThat(await(cache.getKey("k"))).isEqualTo("v");
        assertThat(await(view.setKey("k", "w"))).isTrue();
    }

    @Test
    void settingsAreTheOnesBuilt() {
        CacheSettings s = newCache(b -> b.keyPrefix("other").defaultExpire(Duration.ofMinutes(3))).settings();
        assertThat(s.keyPrefix()).isEqualTo("other");
        assertThat(s.defaultExpire()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void keyPrefixIsTheFirstSegment() {
        BrickworksCache other = newCache(b -> b.keyPrefix("myapp"));
        await(other.setKey("k", "v"));
        assertThat(await(backend().get("myapp:" + MASTER + ":default:k"))).isNotNull();
        assertThat(stored(fullKey(MASTER, "default", "k"))).isFalse();
    }

    // ------------------------------------------------------------------ properties

    /** Key segments: no colon, no surrogates (so UTF-8 encoding is lossless), not empty. */
    @Provide
    static Arbitrary<String> segments() {
        return Arbitraries.strings()
                .withCharRange(' ', '9').withCharRange(';', '~')
                .withCharRange('\u00a0', '\u024f').withCharRange('\u4e00', '\u4e80')
                .ofMinLength(1).ofMaxLength(40);
    }

    @Property(tries = 100)
    void anyKeyWithoutAColonRoundTrips(@ForAll("segments") String key, @ForAll("segments") String value) {
        assertThat(await(cache.setKey(key, value))).isTrue();
        assertThat(await(cache.getKey(key))).isEqualTo(value);
        assertThat(await(cache.deleteKey(key))).isTrue();
        assertThat(await(cache.getKey(key))).isNull();
    }

    @Property(tries = 100)
    void keysAreBuiltAsPrefixTenantNamespaceKey(@ForAll("segments") String tenant,
                                                @ForAll("segments") String namespace,
                                                @ForAll("segments") String key) {
        await(cache.forTenant(tenant).setKey(key, "v", SetOptions.options().namespace(namespace)));
        String full = PREFIX + ":" + tenant + ":" + namespace + ":" + key;
        assertThat(await(backend().get(full))).isEqualTo(new byte[] {'v'});
        assertThat(await(cache.forTenant(tenant).getKey(key, namespace))).isEqualTo("v");
        assertThat(await(backend().delete(full))).isTrue();
    }

    @Test
    void aTenantOrKeyNamedLikeAReservedNameIsOrdinary() {
        BrickworksCache odd = cache.forTenant("__locks__");
        await(odd.setKey("k", "w"));
        assertThat(await(odd.getKey("k"))).isEqualTo("w");
        assertThat(await(cache.getKey("k"))).isNull();

        await(cache.setKey("__locks__", "v", SetOptions.options().namespace("FUNC_CACHE_")));
        assertThat(await(cache.getKey("__locks__", "FUNC_CACHE_"))).isEqualTo("v");
        await(cache.setKey("x__index__.k", "v"));
        assertThat(await(cache.getKey("x__index__.k"))).isEqualTo("v");
    }
}
