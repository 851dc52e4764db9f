package io.brickworks.console.spring;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.console.BrickworksConsole;
import io.brickworks.console.ConsoleOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The console of the application's {@link BrickworksCache}, when {@code brickworks.console.enabled=true}:
 * one {@link BrickworksConsole} bean, with charts of the application's {@code MeterRegistry} when there
 * is one. {@link ConsoleManagementContextConfiguration} serves it on the management port.
 */
@AutoConfiguration(afterName = {"io.brickworks.spring.boot.BrickworksCacheAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnProperty(prefix = "brickworks.console", name = "enabled", havingValue = "true")
@ConditionalOnBean(BrickworksCache.class)
@EnableConfigurationProperties(ConsoleProperties.class)
public class ConsoleAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("io.brickworks.console");

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public BrickworksConsole brickworksConsole(BrickworksCache cache, ConsoleProperties properties,
                                               org.springframework.context.ApplicationContext context) {
        ConsoleOptions options = ConsoleOptions.defaults().withActionsEnabled(properties.isActionsEnabled())
                .withValuesShown(properties.isValuesShown())
                .withSampling(properties.getSampleEvery(), properties.getWindow());
        if (options.actionsEnabled() && !org.springframework.util.ClassUtils.isPresent(
                "org.springframework.security.core.Authentication", context.getClassLoader())) {
            LOG.warn("brickworks.console.actions-enabled is on, but without Spring Security no request has a user "
                    + "in role {}: no action will run", properties.getActionRole());
        }
        if (org.springframework.util.ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry",
                context.getClassLoader())) {
            var registries = context.getBeanProvider(io.micrometer.core.instrument.MeterRegistry.class);
            var registry = registries.getIfUnique();
            if (registry != null) {
                return BrickworksConsole.of(cache, options, registry);
            }
        }
        return BrickworksConsole.of(cache, options);
    }
}
