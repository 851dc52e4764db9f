package io.brickworks.cache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas (two cache managers, each with its own library cache and connections) on one backend
 * share a JCache cache: what one writes the other reads, iterates and removes, and entry processors
 * of both, run at once on one entry, lose no update. The negative control turns the entry lock off
 * and, with the read-then-write interleaving forced by a barrier, shows that an update is then lost. Subclasses supply the backend's settings.
 */
abstract class ReplicasContract {

    /** Increments per replica. */
    static final int TIMES = 300;

    private CacheManager managerA;
    private CacheManager managerB;
    private Cache<String, Long> a;
    private Cache<String, Long> b;

    /** The provider settings of the backend (library setting names, as in the environment). */
    protected abstract Properties backend();

    private CacheManager manager(String replica) {
        return new BrickworksCachingProvider().getCacheManager(URI.create("urn:replica:" + replica),
                getClass().getClassLoader(), backend());
    }

    @BeforeEach
    void open() {
        managerA = manager("a");
        managerB = manager("b");
        MutableConfiguration<String, Long> config = new MutableConfiguration<String, Long>()
                .setTypes(String.class, Long.class);
        a = managerA.createCache("shared", config);
        b = managerB.createCache("shared", config);
        a.clear();
    }

    @AfterEach
    void close() {
        EntryStore.lockMutations = true;
        managerA.close();
        managerB.close();
    }

    @Test
    void whatOneReplicaWritesTheOtherReadsIteratesAndRemoves() {
        a.putAll(Map.of("x", 1L, "y", 2L, "z", 3L));
        assertThat(b.get("x")).isEqualTo(1L);
        assertThat(b.getAll(Set.of("x", "y", "missing"))).isEqualTo(Map.of("x", 1L, "y", 2L));
        Set<String> keys = new HashSet<>();
        for (Cache.Entry<String, Long> e : b) {
            keys.add(e.getKey());
        }
        assertThat(keys).containsExactlyInAnyOrder("x", "y", "z");
        assertThat(b.replace("y", 2L, 20L)).isTrue();
        assertThat(a.get("y")).isEqualTo(20L);
        b.removeAll(Set.of("x"));
        assertThat(a.containsKey("x")).isFalse();
        b.removeAll();
        assertThat(a.iterator().hasNext()).isFalse();
    }

    private long incrementFromBothReplicas() {
        List<CompletableFuture<Void>> runs = List.of(a, b).stream().map(c -> CompletableFuture.runAsync(() -> {
            for (int i = 0; i < TIMES; i++) {
                c.invoke("n", IncrementReplica.INCREMENT);
            }
        })).toList();
        runs.forEach(CompletableFuture::join);
        return a.get("n");
    }

    @Test
    void entryProcessorsOfBothReplicasLoseNoUpdate() {
        assertThat(incrementFromBothReplicas()).isEqualTo(2L * TIMES);
    }

    /**
     * The planted bug (no entry lock), with the interleaving forced: each replica's processor reads the
     * entry, then waits until the other has read it too, then writes. One of the two increments is lost.
     */
    @Test
    void negativeControlWithoutTheEntryLockUpdatesAreLost() {
        EntryStore.lockMutations = false;
        CyclicBarrier bothRead = new CyclicBarrier(2);
        EntryProcessor<String, Long, Long> slowIncrement = (entry, arguments) -> {
            long next = (entry.exists() ? entry.getValue() : 0L) + 1;
            try {
                bothRead.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            entry.setValue(next);
            return next;
        };
        List<CompletableFuture<Long>> runs = List.of(a, b).stream()
                .map(c -> CompletableFuture.supplyAsync(() -> c.invoke("n", slowIncrement))).toList();
        runs.forEach(CompletableFuture::join);
        assertThat(a.get("n")).isLessThan(2L);
    }
}
