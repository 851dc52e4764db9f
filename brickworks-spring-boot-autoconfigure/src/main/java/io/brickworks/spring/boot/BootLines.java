package io.brickworks.spring.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;

/**
 * The starter's line-specific parts (health indicator, connection-details reader, Boot's cache
 * meters) are in one jar for Boot 4 and Boot 3.5, each behind a condition on its line's type. So
 * that none of them is missing without a word, this says once per JVM, at INFO, which part neither
 * line's type enables and what to add.
 */
final class BootLines {

    private static final Logger LOG = LoggerFactory.getLogger(BootLines.class);
    private static final AtomicBoolean REPORTED = new AtomicBoolean();

    private BootLines() {
    }

    /** Logs {@link #missing(ClassLoader)} once per JVM. */
    static void reportOnce(ClassLoader loader) {
        if (REPORTED.compareAndSet(false, true)) {
            for (String line : missing(loader)) {
                LOG.info(line);
            }
        }
    }

    /** One sentence per line-specific part that neither Boot line's type enables here. */
    static List<String> missing(ClassLoader loader) {
        List<String> missing = new ArrayList<>();
        if (!ClassUtils.isPresent("org.springframework.boot.health.contributor.HealthIndicator", loader)
                && !ClassUtils.isPresent("org.springframework.boot.actuate.health.HealthIndicator", loader)) {
            missing.add("Brickworks: no 'brickworks' health indicator: neither Boot 4's "
                    + "org.springframework.boot.health.contributor.HealthIndicator (spring-boot-health) nor Boot 3.5's "
                    + "org.springframework.boot.actuate.health.HealthIndicator (spring-boot-actuator) is on the class "
                    + "path; add spring-boot-starter-actuator for it");
        }
        if (!ClassUtils.isPresent("org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails", loader)
                && !ClassUtils.isPresent("org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails",
                loader)) {
            missing.add("Brickworks: a Redis connection-details bean is not read: neither Boot 4's "
                    + "DataRedisConnectionDetails (spring-boot-data-redis) nor Boot 3.5's RedisConnectionDetails "
                    + "(spring-boot-autoconfigure) is on the class path; the brickworks.cache.redis.* and "
                    + "spring.data.redis.* properties are read");
        }
        if (ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry", loader)
                && !ClassUtils.isPresent("org.springframework.boot.cache.metrics.CacheMeterBinderProvider", loader)
                && !ClassUtils.isPresent("org.springframework.boot.actuate.metrics.cache.CacheMeterBinderProvider",
                loader)) {
            missing.add("Brickworks: no Boot cache meters (cache.gets, cache.puts, cache.evictions) for the Spring "
                    + "caches: neither Boot 4's CacheMeterBinderProvider (spring-boot-cache) nor Boot 3.5's "
                    + "(spring-boot-actuator) is on the class path (on Boot 4 add spring-boot-starter-cache); the "
                    + "brickworks.cache.* meters are bound as usual");
        }
        return missing;
    }
}
