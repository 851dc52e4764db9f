package io.brickworks.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.internal.DefaultBrickworksCache;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.spring.boot.replicas.Book;
import io.brickworks.spring.boot.replicas.Books;
import io.brickworks.spring.boot.replicas.Isbn;
import io.brickworks.spring.boot.replicas.ReplicaApplication;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two application contexts (two replicas) on one real Redis, through Spring's cache interceptor:
 * cross-replica single flight of {@code @Cacheable(sync = true)}, evictions, key round trips, and
 * tampered stored values. Subclasses give the topology.
 */
abstract class TwoReplicasContract {

    private ConfigurableApplicationContext a;
    private ConfigurableApplicationContext b;

    /** The properties that put a replica on the test's Redis. */
    protected abstract String[] topology();

    /** Empties the test's Redis. */
    protected abstract void flush();

    @BeforeEach
    void startReplicas() {
        flush();
        a = replica();
        b = replica();
    }

    @AfterEach
    void stopReplicas() {
        a.close();
        b.close();
    }

    private ConfigurableApplicationContext replica() {
        return new SpringApplicationBuilder(ReplicaApplication.class).web(WebApplicationType.NONE)
                .properties(topology()).run();
    }

    private static Books books(ConfigurableApplicationContext replica) {
        return replica.getBean(Books.class);
    }

    private int computations() {
        return books(a).computations() + books(b).computations();
    }

    @Test
    void fiftyConcurrentSyncCallersOverBothReplicasComputeOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Book>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Books on = books(i % 2 == 0 ? a : b);
                results.add(pool.submit(() -> {
                    start.await();
                    return on.slow("b1");
                }));
            }
            start.countDown();
            for (Future<Book> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(new Book("b1", "title-b1"));
            }
            assertThat(computations()).as("one computation across both replicas").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anEvictionOnOneReplicaIsSeenByTheOther() {
        assertThat(books(a).slow("b2")).isEqualTo(new Book("b2", "title-b2"));
        assertThat(books(b).slow("b2")).isEqualTo(new Book("b2", "title-b2"));
        assertThat(computations()).as("b read a's entry").isEqualTo(1);
        books(a).evict("b2");
        books(b).slow("b2");
        assertThat(computations()).as("b recomputed after a's eviction").isEqualTo(2);
        books(b).evictAll();
        books(a).slow("b2");
        assertThat(computations()).as("a recomputed after b cleared the cache").isEqualTo(3);
    }

    @Test
    void keysOfEveryKindRoundTripAndNeverCollide() {
        Object[] keys = {"a:b:c", new Isbn("a:b:c"), 7, 7L, "7", new SimpleKey("x", 1), List.of("x", 1)};
        List<String> first = new ArrayList<>();
        for (Object key : keys) {
            first.add(books(a).echo(key));
        }
        first.add(books(a).two("x", 1));
        assertThat(computations()).as("every key is its own entry, except two(x, 1) = SimpleKey(x, 1)")
                .isEqualTo(keys.length);
        assertThat(first.get(first.size() - 1)).isEqualTo(first.get(5));

        List<String> second = new ArrayList<>();
        for (Object key : keys) {
            second.add(books(b).echo(key));
        }
        second.add(books(b).two("x", 1));
        assertThat(second).as("the other replica reads the same entries").isEqualTo(first);
        assertThat(computations()).isEqualTo(keys.length);
    }

    @Test
    void tamperedValuesAreNeverInstantiatedAndAreRecomputed() throws Exception {
        books(a).slow("b3");
        BrickworksCache cache = a.getBean(BrickworksCache.class);
        List<String> stored = cache.listKeysByIndex("books", "FUNC_CACHE").get(10, TimeUnit.SECONDS);
        assertThat(stored).hasSize(1);
        String key = stored.get(0);

        ByteArrayOutputStream javaStream = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(javaStream)) {
            out.writeObject(new Tampered.Gadget());
        }
        plant(cache, key, javaStream.toByteArray());
        assertThat(books(b).slow("b3")).isEqualTo(new Book("b3", "title-b3"));
        assertThat(computations()).as("a Java serialization stream is recomputed").isEqualTo(2);

        String outside = "{\"ms\":1,\"v\":{\"t\":\"" + Tampered.Outside.class.getName() + "\",\"v\":{\"title\":\"x\"}}}";
        plant(cache, key, outside.getBytes(StandardCharsets.UTF_8));
        assertThat(books(b).slow("b3")).isEqualTo(new Book("b3", "title-b3"));
        assertThat(computations()).as("JSON naming a class outside the allowlist is recomputed").isEqualTo(3);

        assertThat(Tampered.DESERIALIZED).as("the Java stream was never deserialized").isFalse();
        assertThat(Tampered.INITIALIZED).as("the class outside the allowlist was never initialized").isFalse();
        assertThat(books(a).slow("b3")).isEqualTo(new Book("b3", "title-b3"));
        assertThat(computations()).as("the recomputed value is stored again").isEqualTo(3);
    }

    /**
     * Overwrites a stored entry the way a tampering writer would: straight through the backend, since
     * the public API may not write in the function cache's namespace.
     */
    private static void plant(BrickworksCache cache, String entry, byte[] bytes) throws Exception {
        CacheBackend backend = ((DefaultBrickworksCache) cache).runtime().backend();
        String fullKey = cache.settings().keyPrefix() + ":" + cache.currentTenant() + ":FUNC_CACHE:" + entry;
        backend.set(fullKey, bytes, 60_000, false, List.of()).get(10, TimeUnit.SECONDS);
    }
}
