package io.brickworks.spring.boot;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.metrics.NearCacheStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The check behind the health indicator of each Boot line: one real round trip to the backend,
 * {@link BrickworksCache#ping()} (a Redis {@code PING}; the memory backend answers at once), waited
 * for at most the command timeout plus a second. Details name the backend and its address or
 * topology, never a password, and give the round trip ({@code roundTripMillis}, as ping measured it);
 * with the near cache on, {@code nearCache} holds its details ({@link #nearCacheDetails}).
 */
public final class BrickworksHealth {

    /** The outcome of one check. */
    public record Outcome(boolean up, Map<String, Object> details, Throwable error) {
    }

    private final BrickworksCache cache;

    public BrickworksHealth(BrickworksCache cache) {
        this.cache = cache;
    }

    /**
     * The near cache's details: whether it serves from the process now ({@code tracking}; while it
     * does not, reads go to Redis and the cache is still up), its counters, and how old the latest
     * answered heartbeat is against the staleness bound.
     */
    static Map<String, Object> nearCacheDetails(NearCacheStats near) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("tracking", near.tracking());
        d.put("size", near.size());
        d.put("hits", near.hits());
        d.put("misses", near.misses());
        d.put("invalidations", near.invalidations());
        d.put("flushes", near.flushes());
        d.put("trackingReconnects", near.trackingReconnects());
        d.put("millisSinceHeartbeat", near.millisSinceHeartbeat());
        d.put("stalenessBoundMillis", near.stalenessBoundMillis());
        return d;
    }

    /** Checks the backend now; never throws. */
    public Outcome check() {
        CacheSettings s = cache.settings();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("backend", s.useRedis() ? "redis" : "memory");
        if (s.useRedis()) {
            details.put("address", s.redisAddress());
            details.put("ssl", s.redisSsl());
        }
        details.put("keyPrefix", s.keyPrefix());
        try {
            Duration roundTrip = cache.ping().get(s.commandTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            details.put("roundTripMillis", roundTrip.toNanos() / 1_000_000.0);
            cache.nearCacheStats().ifPresent(near -> details.put("nearCache", nearCacheDetails(near)));
            return new Outcome(true, details, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, details, e);
        } catch (ExecutionException | CompletionException e) {
            return new Outcome(false, details, e.getCause() != null ? e.getCause() : e);
        } catch (TimeoutException | RuntimeException e) {
            return new Outcome(false, details, e);
        }
    }
}
