package io.brickworks.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

/**
 * Boot's own cache meters for one Brickworks Spring cache, as Caffeine and Redis caches have them:
 * {@code cache.gets{result=hit|miss}}, {@code cache.puts} and {@code cache.evictions}, tagged with
 * the cache's name (and the cache manager's bean name, by Boot). They count this process's calls
 * ({@code get} and {@code retrieve}: a hit, or a miss when the value was absent or this process
 * computed it; {@code put} and a {@code putIfAbsent} that stored; {@code evict} and
 * {@code evictIfPresent}). No size is reported: the entries live in the shared store. The library's
 * own meters ({@code brickworks.cache.*}) are bound beside these.
 */
final class SpringCacheMeterBinder extends CacheMeterBinder<BrickworksSpringCache> {

    SpringCacheMeterBinder(BrickworksSpringCache cache, Iterable<Tag> tags) {
        super(cache, cache.getName(), tags);
    }

    @Override
    protected Long size() {
        return null;
    }

    @Override
    protected long hitCount() {
        BrickworksSpringCache cache = getCache();
        return cache == null ? 0 : cache.hits.sum();
    }

    @Override
    protected Long missCount() {
        BrickworksSpringCache cache = getCache();
        return cache == null ? null : cache.misses.sum();
    }

    @Override
    protected Long evictionCount() {
        BrickworksSpringCache cache = getCache();
        return cache == null ? null : cache.evictions.sum();
    }

    @Override
    protected long putCount() {
        BrickworksSpringCache cache = getCache();
        return cache == null ? 0 : cache.puts.sum();
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
    }
}
