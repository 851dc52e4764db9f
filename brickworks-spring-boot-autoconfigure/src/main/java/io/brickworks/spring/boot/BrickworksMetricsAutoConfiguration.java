package io.brickworks.spring.boot;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.micrometer.BrickworksCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Binds the cache's meters (the README's "Meters" table) to the application's Micrometer registry:
 * when {@code brickworks-micrometer} is on the class path and the context has a {@link MeterRegistry}
 * (Actuator makes one), a {@link BrickworksCacheMetrics} {@code MeterBinder} bean, which Boot binds to
 * its registry (once, to the composite when there are several). Backs off when the application
 * defines its own {@link BrickworksCacheMetrics} bean (with other tags, the tenant tag or another
 * cap); runs after Boot's metrics auto-configuration of either Boot line.
 */
@AutoConfiguration(after = BrickworksCacheAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, BrickworksCacheMetrics.class})
@ConditionalOnBean({MeterRegistry.class, BrickworksCache.class})
public class BrickworksMetricsAutoConfiguration {

    /** The binder of the cache's meters, with no extra tags, no tenant tag and the default cap. */
    @Bean
    @ConditionalOnMissingBean
    public BrickworksCacheMetrics brickworksCacheMetrics(BrickworksCache cache) {
        return new BrickworksCacheMetrics(cache);
    }
}
