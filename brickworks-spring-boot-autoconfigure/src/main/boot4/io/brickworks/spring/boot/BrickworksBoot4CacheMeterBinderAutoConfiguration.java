package io.brickworks.spring.boot;

import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Boot's cache meters for the Brickworks Spring caches on Spring Boot 4 (org.springframework.boot.cache.metrics, in spring-boot-cache): a
 * {@code CacheMeterBinderProvider} bean, which Boot's cache metrics registrar uses for every cache
 * its cache managers list at startup ({@link SpringCacheMeterBinder}). Backs off when the application
 * defines a bean named {@code brickworksCacheMeterBinderProvider}. Compiled against its own Boot line.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration")
@ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry", "org.springframework.boot.cache.metrics.CacheMeterBinderProvider"})
public class BrickworksBoot4CacheMeterBinderAutoConfiguration {

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
