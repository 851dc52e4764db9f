package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.CacheSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link RedisBulkTest} (the bulk contract) with the near cache on; and a bulk read
 * serves what the near cache holds and asks Redis only for the rest (counted by the server itself,
 * {@code INFO commandstats}).
 */
class NearCacheBulkTest extends RedisBulkTest {

    @Override
    protected CacheSettings.Builder settings() {
        return super.settings().nearCache(true);
    }

    /** The near cache reads (and is invalidated) key by key: 1,000 keys here, 10,000 on the other variants. */
    @Override
    protected int manyKeys() {
        return 1_000;
    }

    @Test
    void aBulkReadFetchesOnlyWhatTheNearCacheDoesNotHold() {
        await(cache.setMany(Map.of("held-1", "1", "held-2", "2", "fetched", "3")));
        await(cache.getKey("held-1"));
        await(cache.getKey("held-2"));
        SharedRedis.server().cli("CONFIG", "RESETSTAT");

        assertThat(await(cache.getMany(List.of("held-1", "fetched", "held-2"))).values())
                .containsExactly(Map.entry("held-1", "1"), Map.entry("fetched", "3"), Map.entry("held-2", "2"));

        assertThat(readCommands()).as("read commands Redis answered").isEqualTo(1);
    }

    @Test
    void aBulkReadSeesAChangeByAnotherWriterOnceTheNearCacheIsTold() {
        await(cache.setMany(Map.of("shared", "old")));
        assertThat(await(cache.getMany(List.of("shared"))).values()).containsEntry("shared", "old");
        assertThat(await(cache.getMany(List.of("shared"))).values()).containsEntry("shared", "old");
        // a writer that is not this library
        SharedRedis.server().cli("SET", fullKey(MASTER, "default", "shared"), "new");
        eventually().until(() -> "new".equals(await(cache.getMany(List.of("shared"))).values().get("shared")));
    }

    /** How many GET and MGET commands the server answered since the last reset of its statistics. */
    private static long readCommands() {
        long total = 0;
        for (String line : SharedRedis.server().cli("INFO", "commandstats").split("\\R")) {
            if (line.startsWith("cmdstat_get:") || line.startsWith("cmdstat_mget:")) {
                String calls = line.substring(line.indexOf("calls=") + 6);
                total += Long.parseLong(calls.substring(0, calls.indexOf(',')));
            }
        }
        return total;
    }
}
