package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.SetOptions;
import io.brickworks.cache.Tenants;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input: a colon in a key, namespace, index name or tenant, a null or empty key, a null value
 * and an expiry of zero or less each throw {@link IllegalArgumentException} from the call itself
 * (not through the future), naming the argument and the value, and nothing is written.
 */
public abstract class BadInputContract extends CacheContract {

    private static final Duration NEG = Duration.ofSeconds(-1);

    /** Longer than the longest expiry accepted (a million years). */
    private static final Duration FOREVER = java.time.temporal.ChronoUnit.FOREVER.getDuration();
    private static final Duration TWO_MILLION_YEARS = Duration.ofDays(365L * 2_000_000);

    /** A case: what is called, the argument it should name, and the bad value the message should show. */
    private static Arguments bad(String argument, String shown, Consumer<BrickworksCache> call) {
        return Arguments.of(argument, shown, call);
    }

    static Stream<Arguments> badCalls() {
        return Stream.of(
                // keys
                bad("key", "a:b", c -> c.setKey("a:b", "v")),
                bad("key", "a:b", c -> c.setKey("a:b", new byte[] {1})),
                bad("key", "null", c -> c.setKey(null, "v")),
                bad("key", "empty", c -> c.setKey("", "v")),
                bad("key", "empty", c -> c.setKey("", new byte[] {1}, SetOptions.options())),
                bad("key", "a:b", c -> c.getKey("a:b")),
                bad("key", "null", c -> c.getKey(null)),
                bad("key", "empty", c -> c.getKeyBytes("")),
                bad("key", "a:b", c -> c.deleteKey("a:b")),
                bad("key", "null", c -> c.deleteKey(null, "default")),
                bad("key", "a:b", c -> c.refreshKey("a:b")),
                bad("key", "empty", c -> c.refreshKey("", "default", Duration.ofSeconds(1))),
                bad("queue", "a:b", c -> c.pushToQueue("a:b", "item")),
                bad("queue", "null", c -> c.popFromQueue(null)),
                bad("queue", "empty", c -> c.pushToQueue("", "item")),
                bad("key", "a:b", c -> c.addToSet("a:b", List.of("v"))),
                bad("key", "empty", c -> c.addToSet("", List.of("v"))),
                bad("key", "a:b", c -> c.removeFromSet("a:b", List.of("v"))),
                bad("key", "a:b", c -> c.getSetMembers("a:b")),
                bad("key", "null", c -> c.isSetMember(null, "v")),
                bad("name", "a:b", c -> c.attemptDistributedLock("a:b")),
                bad("name", "empty", c -> c.attemptDistributedLock("", Duration.ofSeconds(1))),
                bad("name", "null", c -> c.releaseDistributedLock(null)),
                // values
                bad("value", "null", c -> c.setKey("k", (String) null)),
                bad("value", "null", c -> c.setKey("k", (byte[]) null)),
                bad("value", "null", c -> c.setKey("k", (String) null, SetOptions.options().indices("idx"))),
                bad("item", "null", c -> c.pushToQueue("k", null)),
                bad("values", "null", c -> c.addToSet("k", null)),
                bad("values", "empty", c -> c.addToSet("k", List.of())),
                bad("values", "null", c -> c.addToSet("k", Arrays.asList("a", null))),
                bad("values", "empty", c -> c.removeFromSet("k", List.of())),
                bad("value", "null", c -> c.isSetMember("k", null)),
                bad("options", "null", c -> c.setKey("k", "v", null)),
                // namespaces
                bad("namespace", "n:s", c -> c.setKey("k", "v", SetOptions.options().namespace("n:s"))),
                bad("namespace", "empty", c -> c.setKey("k", "v", SetOptions.options().namespace(""))),
                bad("namespace", "null", c -> c.setKey("k", "v", SetOptions.options().namespace(null))),
                bad("namespace", "n:s", c -> c.getKey("k", "n:s")),
                bad("namespace", "n:s", c -> c.getKeyBytes("k", "n:s")),
                bad("namespace", "n:s", c -> c.deleteKey("k", "n:s")),
                bad("namespace", "n:s", c -> c.refreshKey("k", "n:s", Duration.ofSeconds(1))),
                bad("namespace", "n:s", c -> c.pushToQueue("k", "item", "n:s")),
                bad("namespace", "n:s", c -> c.popFromQueue("k", "n:s")),
                bad("namespace", "n:s", c -> c.addToSet("k", List.of("v"), "n:s", Duration.ofSeconds(1))),
                bad("namespace", "n:s", c -> c.removeFromSet("k", List.of("v"), "n:s")),
                bad("namespace", "n:s", c -> c.getSetMembers("k", "n:s")),
                bad("namespace", "n:s", c -> c.isSetMember("k", "v", "n:s")),
                bad("namespace", "n:s", c -> c.listKeysByIndex("idx", "n:s")),
                bad("namespace", "n:s", c -> c.deleteKeysByIndex("idx", "n:s")),
                // index names
                bad("index", "i:x", c -> c.setKey("k", "v", SetOptions.options().indices("ok", "i:x"))),
                bad("index", "empty", c -> c.setKey("k", "v", SetOptions.options().indices(""))),
                bad("index", "null", c -> c.setKey("k", "v", SetOptions.options().indices("ok", null))),
                bad("indices", "null", c -> c.setKey("k", "v", SetOptions.options().indices((List<String>) null))),
                bad("index", "i:x", c -> c.listKeysByIndex("i:x")),
                bad("index", "empty", c -> c.listKeysByIndex("")),
                bad("index", "i:x", c -> c.deleteKeysByIndex("i:x")),
                // tenants
                bad("tenant", "t:x", c -> c.forTenant("t:x").setKey("k", "v")),
                bad("tenant", "empty", c -> c.forTenant("")),
                bad("tenant", "null", c -> c.forTenant(null)),
                bad("tenant", "t:x", c -> Tenants.bind("t:x").close()),
                bad("tenant", "null", c -> Tenants.run(null, () -> c.setKey("k", "v"))),
                // expiry
                bad("expire", "PT0S", c -> c.setKey("k", "v", SetOptions.options().expire(Duration.ZERO))),
                bad("expire", "PT-1S", c -> c.setKey("k", "v", SetOptions.options().expire(NEG))),
                bad("expire", "PT0.0000001S", c -> c.setKey("k", "v", SetOptions.options().expire(Duration.ofNanos(100)))),
                bad("expire", "null", c -> c.setKey("k", "v", SetOptions.options().expire(null))),
                bad("expire", "0", c -> c.setKey("k", "v", SetOptions.options().expireSeconds(0))),
                bad("expire", "-5", c -> c.setKey("k", new byte[] {1}, SetOptions.options().expireSeconds(-5))),
                bad("expire", "PT0S", c -> c.refreshKey("k", "default", Duration.ZERO)),
                bad("expire", "PT-1S", c -> c.refreshKey("k", "default", NEG)),
                bad("expire", "null", c -> c.refreshKey("k", "default", null)),
                bad("expire", "PT0S", c -> c.addToSet("k", List.of("v"), "default", Duration.ZERO)),
                bad("expire", "PT-1S", c -> c.addToSet("k", List.of("v"), "default", NEG)),
                bad("ttl", "PT0S", c -> c.attemptDistributedLock("k", Duration.ZERO)),
                bad("ttl", "PT-1S", c -> c.attemptDistributedLock("k", NEG)),
                bad("ttl", "null", c -> c.attemptDistributedLock("k", null)),
                bad("expire", FOREVER.toString(), c -> c.setKey("k", "v", SetOptions.options().expire(FOREVER))),
                bad("expire", TWO_MILLION_YEARS.toString(), c -> c.setKey("k", "v", SetOptions.options().expire(TWO_MILLION_YEARS))),
                bad("expire", "PT", c -> c.setKey("k", "v", SetOptions.options().expireSeconds(Long.MAX_VALUE))),
                bad("expire", FOREVER.toString(), c -> c.refreshKey("k", "default", FOREVER)),
                bad("expire", FOREVER.toString(), c -> c.addToSet("k", List.of("v"), "default", FOREVER)),
                bad("ttl", FOREVER.toString(), c -> c.attemptDistributedLock("k", FOREVER)));
    }

    @ParameterizedTest(name = "{index}: {0} {1}")
    @MethodSource("badCalls")
    void badInputIsRejectedNamingArgumentAndValueAndNothingIsWritten(String argument, String shown,
                                                                     Consumer<BrickworksCache> call) {
        // existing data proves that a rejected call does not touch it either
        await(cache.setKey("k", "existing"));
        await(cache.pushToQueue("existing-queue", "item"));
        RuntimeException thrown = assertNothingWritten(() -> call.accept(cache),
                fullKey(MASTER, "default", "a:b"), fullKey(MASTER, "default", ""),
                fullKey(MASTER, "default", "null"), fullKey(MASTER, "n:s", "k"), fullKey(MASTER, "__locks__", "k"),
                fullKey(MASTER, "__locks__", "a:b"), fullKey("t:x", "default", "k"), indexKey(MASTER, "default", "i:x"),
                indexKey(MASTER, "default", "ok"), indexKey(MASTER, "default", "idx"));
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(argument);
        assertThat(thrown.getMessage()).as("the message shows the bad value").containsIgnoringCase(shown);
        assertThat(await(cache.getKey("k"))).isEqualTo("existing");
        assertThat(ttlMillis(fullKey(MASTER, "default", "k"))).isGreaterThan(Duration.ofDays(6).toMillis());
        assertThat(stored(fullKey(MASTER, "default", "existing-queue"))).isTrue();
    }

    @Test
    void aColonIsNamedInTheMessage() {
        assertThatThrownBy(() -> cache.setKey("user:1", "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key must not contain a colon (:) but was 'user:1'");
    }

    @Test
    void aBadArgumentThrowsFromTheCallNotThroughTheFuture() {
        assertThatThrownBy(() -> cache.getKey("a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.listKeysByIndex("a:b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void colonsAreFineInValuesQueueItemsAndSetMembers() {
        await(cache.setKey("k", "a:b:c"));
        await(cache.pushToQueue("q", "x:y"));
        await(cache.addToSet("s", List.of("m:n")));
        assertThat(await(cache.getKey("k"))).isEqualTo("a:b:c");
        assertThat(await(cache.popFromQueue("q"))).isEqualTo("x:y");
        assertThat(await(cache.isSetMember("s", "m:n"))).isTrue();
    }

    @Test
    void badSettingsAreRejectedNamingTheSetting() {
        assertThatThrownBy(() -> newCache(b -> b.keyPrefix("a:b"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyPrefix").hasMessageContaining("a:b");
        assertThatThrownBy(() -> newCache(b -> b.masterTenant("pub:lic"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("masterTenant").hasMessageContaining("pub:lic");
        assertThatThrownBy(() -> newCache(b -> b.defaultExpire(Duration.ZERO))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("defaultExpire").hasMessageContaining("PT0S");
    }

    @Test
    void aResolverTenantWithAColonIsRejectedBeforeWriting() {
        BrickworksCache resolved = newCache(b -> b.multiTenancyEnabled(true), () -> Optional.of("t:x"));
        RuntimeException thrown = assertNothingWritten(() -> resolved.setKey("k2", "v"), fullKey("t:x", "default", "k2"));
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant")
                .hasMessageContaining("t:x");
    }

    @Provide
    static Arbitrary<String> withColon() {
        Arbitrary<String> part = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(10);
        return net.jqwik.api.Combinators.combine(part, part).as((a, b) -> a + ":" + b);
    }

    @Property(tries = 100)
    void anyNameWithAColonIsRejected(@ForAll("withColon") String name) {
        String shown = name.replace("\\", "\\\\");   // messages show a backslash doubled
        assertThatThrownBy(() -> cache.setKey(name, "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key").hasMessageContaining(shown);
        assertThatThrownBy(() -> cache.getKey("k", name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace").hasMessageContaining(shown);
        assertThatThrownBy(() -> cache.listKeysByIndex(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index").hasMessageContaining(shown);
        assertThatThrownBy(() -> cache.forTenant(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant").hasMessageContaining(shown);
        assertThat(stored(fullKey(MASTER, "default", name))).isFalse();
    }
}
