package io.brickworks.cache.redis;

import static io.brickworks.cache.SetOptions.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.tck.RedisClusterHarness;
import io.brickworks.cache.tck.RedisServer;
import io.lettuce.core.cluster.SlotHash;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster key layout: the standalone key names, spread over every primary, and which writes
 * take the ordered cross-slot path or the atomic one-slot script.
 */
class ClusterLayoutTest {

    private final RedisClusterHarness cluster = SharedTopologies.cluster();
    private BrickworksCache cache;

    @BeforeEach
    void open() {
        SharedTopologies.flushCluster();
        cache = BrickworksCache.builder().settings(SharedTopologies.clusterSettings().build()).build();
    }

    @AfterEach
    void close() {
        cache.close();
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    /** Resets every primary's command statistics. */
    private void resetStats() {
        cluster.primaries().forEach(p -> p.cli("CONFIG", "RESETSTAT"));
    }

    /** How many {@code EVALSHA} calls the primaries ran since the last {@link #resetStats()}. */
    private long scriptCalls() {
        long total = 0;
        for (RedisServer p : cluster.primaries()) {
            for (String line : p.cli("INFO", "commandstats").lines().toList()) {
                if (line.startsWith("cmdstat_evalsha:calls=")) {
                    String rest = line.substring("cmdstat_evalsha:calls=".length());
                    total += Long.parseLong(rest.substring(0, rest.indexOf(',')));
                }
            }
        }
        return total;
    }

    @Test
    void keysKeepTheStandaloneNamesAndSpreadOverEveryPrimary() throws Exception {
        for (int i = 0; i < 300; i++) {
            assertThat(await(cache.setKey("k" + i, "v" + i, options().indices("all")))).isTrue();
        }
        for (RedisServer primary : cluster.primaries()) {
            assertThat(Long.parseLong(primary.cli("DBSIZE"))).as("keys on %s", primary).isPositive();
        }
        RedisServer any = cluster.nodes().get(0);
        assertThat(any.cli("-c", "GET", "brickworks:public:default:k7")).isEqualTo("v7");
        assertThat(any.cli("-c", "SISMEMBER", "brickworks:public:default:__index__.all", "brickworks:public:default:k7"))
                .isEqualTo("1");
        assertThat(await(cache.listKeysByIndex("all"))).hasSize(300);
        assertThat(await(cache.deleteKeysByIndex("all"))).isEqualTo(300L);
        assertThat(await(cache.getKey("k7"))).isNull();
    }

    @Test
    void aKeyAndItsIndexInDifferentSlotsAreWrittenInOrderWithoutCrossSlotCommands() throws Exception {
        assertThat(SlotHash.getSlot("brickworks:public:default:k"))
                .isNotEqualTo(SlotHash.getSlot("brickworks:public:default:__index__.all"));
        resetStats();
        assertThat(await(cache.setKey("k", "v", options().indices("all", "other")))).isTrue();
        assertThat(scriptCalls()).as("one single-key script per index, then a plain SET").isEqualTo(2);
        assertThat(await(cache.listKeysByIndex("all"))).containsExactly("k");
        assertThat(await(cache.listKeysByIndex("other"))).containsExactly("k");
    }

    @Test
    void aKeyThatSharesItsIndexSlotThroughAHashTagIsWrittenByTheAtomicScript() throws Exception {
        assertThat(SlotHash.getSlot("brickworks:public:default:{t}a"))
                .isEqualTo(SlotHash.getSlot("brickworks:public:default:__index__.{t}"))
                .isEqualTo(SlotHash.getSlot("brickworks:public:default:__index__.{t}2"));
        resetStats();
        assertThat(await(cache.setKey("{t}a", "v", options().indices("{t}", "{t}2")))).isTrue();
        assertThat(scriptCalls()).as("one atomic script for the key and both indices").isEqualTo(1);
        assertThat(await(cache.listKeysByIndex("{t}"))).containsExactly("{t}a");
        assertThat(await(cache.listKeysByIndex("{t}2"))).containsExactly("{t}a");
    }
}
