/**
 * The metrics hook of the cache ({@link io.brickworks.cache.metrics.CacheMetrics}), free of any
 * metrics library; {@code brickworks-micrometer} binds it to a Micrometer registry.
 */
package io.brickworks.cache.metrics;
