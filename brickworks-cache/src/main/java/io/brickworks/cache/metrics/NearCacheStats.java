package io.brickworks.cache.metrics;

/**
 * A snapshot of the near cache of this process (the Redis backend with {@code nearCache} on), since
 * the cache was built. See {@code docs/near-cache.md}.
 *
 * @param hits reads answered from the process
 * @param misses reads of near-cached namespaces that went to Redis (nothing held, or no tracking
 *     connection at the time)
 * @param invalidations keys dropped because Redis said they changed (its {@code invalidate} pushes,
 *     one per key)
 * @param flushes times the whole near cache was emptied because it could no longer be shown valid:
 *     an invalidation of everything ({@code FLUSHALL}, {@code FLUSHDB}), a lost main or tracking
 *     connection, a missed heartbeat deadline, a changed database epoch ({@code SWAPDB})
 * @param trackingReconnects tracking connections opened again after the first one
 * @param size entries held now (an estimate: expired entries may still count until swept)
 * @param tracking whether reads are served from the process now (a tracking connection is up and
 *     its heartbeats are answered in time)
 * @param millisSinceHeartbeat how long ago the latest answered heartbeat (or the start of tracking)
 *     was sent; every invalidation Redis sent before that moment has been applied here
 * @param stalenessBoundMillis the configured bound ({@code nearCacheStalenessBound}): the process
 *     stops serving from its near cache before {@code millisSinceHeartbeat} reaches it
 */
public record NearCacheStats(long hits, long misses, long invalidations, long flushes, long trackingReconnects,
                             long size, boolean tracking, long millisSinceHeartbeat, long stalenessBoundMillis) {
}
