package io.brickworks.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.RedisServer;
import io.brickworks.spring.boot.replicas.ReplicaApplication;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring cache keys: two keys that are not {@code equals} never share an entry (a property over
 * generated records, classes with private fields and no getters, nested collections and maps, and
 * numbers of every boxed type), equal keys share one; keys the cache cannot represent faithfully
 * are rejected naming the cache and the class, with nothing written; the {@link KeyConverter} hook;
 * the issue's key class on a real redis-server. The negative control plants a key form that leaves
 * out private fields (as a getter-based view does) and shows the same checks catch it.
 */
class CacheKeysTest {

    /** A key whose equals uses a field that has no getter: the issue's first finding. */
    static final class RegionKey {
        private final String region;
        private final int id;

        RegionKey(String region, int id) {
            this.region = region;
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RegionKey k && region.equals(k.region) && id == k.id;
        }

        @Override
        public int hashCode() {
            return Objects.hash(region, id);
        }

        @Override
        public String toString() {
            return "RegionKey[" + region + ", " + id + "]";
        }
    }

    /** A subclass adding a field: equal only to its own class. */
    static final class TaggedRegionKey {
        private final RegionKey base;
        private final Object tag;

        TaggedRegionKey(RegionKey base, Object tag) {
            this.base = base;
            this.tag = tag;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TaggedRegionKey k && base.equals(k.base) && Objects.equals(tag, k.tag);
        }

        @Override
        public int hashCode() {
            return Objects.hash(base, tag);
        }

        @Override
        public String toString() {
            return "Tagged[" + base + ", " + tag + "]";
        }
    }

    record Pair(Object left, Object right) {
    }

    /** Equal to every other instance, and no fields to show for it. */
    static final class NoFields {
        @Override
        public boolean equals(Object o) {
            return o instanceof NoFields;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    /** Identity equals: instances are never equal, so a cache can never hit on them. */
    static final class Session {
        final String id;

        Session(String id) {
            this.id = id;
        }
    }

    private static BrickworksCache memory;
    private static Cache cache;

    /** One memory cache for the class (its property runs on jqwik's engine, the rest on Jupiter's). */
    private static synchronized Cache cache() {
        if (cache == null) {
            memory = BrickworksCache.builder().settings(CacheSettings.builder().build()).build();
            cache = BrickworksCacheManager.builder(memory).build().getCache("keys");
        }
        return cache;
    }

    @AfterContainer
    @AfterAll
    static synchronized void closeCache() {
        if (memory != null) {
            memory.close();
            memory = null;
            cache = null;
        }
    }

    @Property(tries = 400)
    void keysThatAreNotEqualNeverShareAnEntry(@ForAll("keys") Object a, @ForAll("keys") Object b) {
        assertThat(sharesEntry(cache(), a, b)).as("%s and %s (equal: %s)", a, b, a.equals(b)).isEqualTo(a.equals(b));
    }

    /** Whether {@code b} reads what was stored under {@code a}. */
    private static boolean sharesEntry(Cache cache, Object a, Object b) {
        cache.invalidate();
        cache.put(a, "stored under " + a);
        return cache.get(b) != null;
    }

    @Provide
    Arbitrary<Object> keys() {
        Arbitrary<Object> leaves = leaves();
        Arbitrary<Object> lists = leaves.list().ofMaxSize(3).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<Object> sets = leaves.list().ofMaxSize(3).map(l -> (Object) new HashSet<>(l));
        Arbitrary<Object> maps = leaves.list().ofMaxSize(3).map(l -> {
            Map<Object, Object> m = new HashMap<>();
            for (int i = 0; i < l.size(); i++) {
                m.put(l.get(i), i % 2);
            }
            return (Object) m;
        });
        Arbitrary<Object> regions = Arbitraries.of("eu", "us").flatMap(r -> Arbitraries.integers().between(1, 2)
                .map(id -> (Object) new RegionKey(r, id)));
        Arbitrary<Object> flat = Arbitraries.oneOf(leaves, lists, sets, maps, regions);
        Arbitrary<Object> pairs = Arbitraries.oneOf(flat, flat).tuple2().map(t -> (Object) new Pair(t.get1(), t.get2()));
        Arbitrary<Object> tagged = regions.flatMap(r -> flat.map(t -> (Object) new TaggedRegionKey((RegionKey) r, t)));
        Arbitrary<Object> nested = Arbitraries.oneOf(flat, pairs).list().ofMaxSize(2).map(l -> (Object) List.copyOf(l));
        Arbitrary<Object> simpleKeys = flat.list().ofMinSize(2).ofMaxSize(2).map(l -> (Object) new SimpleKey(l.toArray()));
        return Arbitraries.oneOf(flat, flat, pairs, tagged, nested, simpleKeys);
    }

    /** Few values of every boxed type, so that 1, 1L, 1.0, "1" and friends meet often. */
    private static Arbitrary<Object> leaves() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, 2).map(i -> (Object) i),
                Arbitraries.longs().between(0, 2).map(l -> (Object) l),
                Arbitraries.shorts().between((short) 0, (short) 2).map(s -> (Object) s),
                Arbitraries.bytes().between((byte) 0, (byte) 2).map(b -> (Object) b),
                Arbitraries.of(0.0f, 1.0f, -0.0f).map(f -> (Object) f),
                Arbitraries.of(0.0, 1.0, -0.0, Double.NaN).map(d -> (Object) d),
                Arbitraries.of(BigInteger.ZERO, BigInteger.ONE).map(i -> (Object) i),
                Arbitraries.of(new BigDecimal("1"), new BigDecimal("1.0"), new BigDecimal("1.00")).map(d -> (Object) d),
                Arbitraries.of('0', '1').map(c -> (Object) c),
                Arbitraries.of("0", "1", "1.0", "", "a:b").map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.of(Thread.State.NEW, Thread.State.RUNNABLE).map(e -> (Object) e),
                Arbitraries.of(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 2)).map(d -> (Object) d),
                Arbitraries.of(new UUID(0, 1), new UUID(0, 2)).map(u -> (Object) u));
    }

    @Test
    void theIssuesKeyWithAFieldWithoutGetterStaysApart() {
        assertThat(sharesEntry(cache(), new RegionKey("eu", 1), new RegionKey("eu", 2))).isFalse();
        assertThat(sharesEntry(cache(), new RegionKey("eu", 1), new RegionKey("eu", 1))).isTrue();
    }

    @Test
    void equalKeysOfDifferentImplementationsShareAnEntry() {
        assertThat(sharesEntry(cache(), new ArrayList<>(List.of(1, 2)), List.of(1, 2))).isTrue();
        assertThat(sharesEntry(cache(), new HashSet<>(List.of("a", "b")), java.util.Set.of("b", "a"))).isTrue();
        assertThat(sharesEntry(cache(), new HashMap<>(Map.of("a", 1)), Map.of("a", 1))).isTrue();
        assertThat(sharesEntry(cache(), new byte[] {1, 2}, new byte[] {1, 2})).isTrue();
        assertThat(sharesEntry(cache(), Instant.EPOCH, Instant.ofEpochMilli(0))).isTrue();
    }

    @Test
    void keysItCannotRepresentAreRejectedNamingTheCacheAndTheClassAndNothingIsWritten() {
        Cache keys = cache();
        keys.invalidate();
        assertRejected(() -> keys.put(new Object(), "v"), "java.lang.Object", "identity equals");
        assertRejected(() -> keys.get(new Session("s1")), Session.class.getName(), "identity equals");
        assertRejected(() -> keys.putIfAbsent(new NoFields(), "v"), NoFields.class.getName(), "no fields");
        Supplier<String> lambda = () -> "x";
        assertRejected(() -> keys.evict(lambda), lambda.getClass().getName(), "identity equals");
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertRejected(() -> keys.put(cycle, "v"), "java.util.ArrayList", "cycle");
        assertRejected(() -> keys.put(new Pair(new StringBuilder("x"), 1), "v"), Pair.class.getName(),
                "java.lang.StringBuilder");
        assertThat(keys.invalidate()).as("nothing was written").isFalse();
    }

    private static void assertRejected(Runnable call, String keyClass, String reason) {
        assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'keys'").hasMessageContaining(keyClass).hasMessageContaining(reason)
                .hasMessageContaining("KeyConverter");
    }

    @Test
    void aKeyConverterRepresentsWhatTheRulesCannot() {
        KeyConverter sessions = key -> key instanceof Session s ? s.id : null;
        cache();
        Cache converted = BrickworksCacheManager.builder(memory)
                .keyConverters(List.of(sessions)).build().getCache("converted");
        assertThat(sharesEntry(converted, new Session("s1"), new Session("s1"))).isTrue();
        assertThat(sharesEntry(converted, new Session("s1"), new Session("s2"))).isFalse();
        assertThat(sharesEntry(converted, new Session("s1"), "s1")).as("the key's class is part of the key").isFalse();
        assertThat(sharesEntry(converted, List.of(new Session("s1")), List.of(new Session("s1"))))
                .as("inside collections too").isTrue();
    }

    @Test
    void keyConverterBeansAreUsedByTheAutoConfiguredManager() {
        new ApplicationContextRunner().withUserConfiguration(ReplicaApplication.class, SessionKeys.class)
                .run(context -> {
                    Cache c = context.getBean(CacheManager.class).getCache("sessions");
                    c.put(new Session("s1"), "v");
                    assertThat(c.get(new Session("s1"), String.class)).isEqualTo("v");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class SessionKeys {
        @Bean
        KeyConverter sessionKeys() {
            return key -> key instanceof Session s ? s.id : null;
        }
    }

    @Test
    void onRedisTheIssuesKeysStayApart() {
        try (RedisServer redis = RedisServer.start()) {
            new ApplicationContextRunner().withUserConfiguration(ReplicaApplication.class)
                    .withPropertyValues("brickworks.cache.use-redis=true", "brickworks.cache.redis.host=" + redis.host(),
                            "brickworks.cache.redis.port=" + redis.port())
                    .run(context -> {
                        Cache c = context.getBean(CacheManager.class).getCache("regions");
                        assertThat(sharesEntry(c, new RegionKey("eu", 1), new RegionKey("eu", 2))).isFalse();
                        assertThat(sharesEntry(c, new RegionKey("eu", 1), new RegionKey("eu", 1))).isTrue();
                        assertThat(sharesEntry(c, 7, 7L)).isFalse();
                        assertThat(sharesEntry(c, Arrays.asList(1, null), Arrays.asList(1, null))).isTrue();
                    });
        }
    }

    @Test
    void negativeControlAKeyFormWithoutPrivateFieldsIsCaught() {
        SpringKeys.plantedSkipPrivateFields = true;
        try {
            assertThat(sharesEntry(cache(), new RegionKey("eu", 1), new RegionKey("eu", 2)))
                    .as("the planted bug is seen: two keys in one entry").isTrue();
        } finally {
            SpringKeys.plantedSkipPrivateFields = false;
        }
    }
}
