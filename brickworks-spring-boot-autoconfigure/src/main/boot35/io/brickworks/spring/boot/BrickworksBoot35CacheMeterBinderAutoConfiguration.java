package io.brickworks.spring.boot;

import org.springframework.boot.actuate.metrics.cache.CacheMeterBinderProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Boot's cache meters for the Brickworks Spring caches on Spring Boot 3.5 (org.springframework.boot.actuate.metrics.cache, in spring-boot-actuator): a
 * {@code CacheMeterBinderProvider} bean, which Boot's cache metrics registrar uses for every cache
 * its cache managers list at startup ({@link SpringCacheMeterBinder}). Backs off when the application
 * defines a bean named {@code brickworksCacheMeterBinderProvider}. Compiled against its own Boot line.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.actuate.autoconfigure.metrics.cache.CacheMetricsAutoConfiguration")
@ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry", "org.springframework.boot.actuate.metrics.cache.CacheMeterBinderProvider"})
public class BrickworksBoot35CacheMeterBinderAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "brickworksCacheMeterBinderProvider")
    public CacheMeterBinderProvider<?> brickworksCacheMeterBinderProvider() {
        return new Provider();
    }

    /** A class, not a lambda, so that Boot reads its cache type and asks it only for Brickworks caches. */
    static final class Provider implements CacheMeterBinderProvider<BrickworksSpringCache> {
        @Override
        public io.micrometer.core.instrument.binder.MeterBinder getMeterBinder(BrickworksSpringCache cache,
                                                                            Iterable<io.micrometer.core.instrument.Tag> tags) {
            return new SpringCacheMeterBinder(cache, tags);
        }
    }
}
