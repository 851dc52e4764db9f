package io.brickworks.spring.boot;

import io.brickworks.cache.BrickworksCache;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The Actuator health indicator {@code brickworks} for Spring Boot 3.5 (org.springframework.boot.actuate.health): UP after a real round trip to the
 * backend, DOWN with the reason otherwise; details name the backend and its address, never a
 * password ({@link BrickworksHealth}). Off with {@code management.health.brickworks.enabled=false};
 * backs off when the application defines a bean named {@code brickworksHealthIndicator}. Compiled against
 * its own Boot line; skipped on the other ({@link BootLines} logs once when neither line's type is present).
 */
@AutoConfiguration(after = BrickworksCacheAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(BrickworksCache.class)
@ConditionalOnProperty(prefix = "management.health.brickworks", name = "enabled", havingValue = "true",
        matchIfMissing = true)
public class BrickworksBoot35HealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "brickworksHealthIndicator")
    public HealthIndicator brickworksHealthIndicator(BrickworksCache cache) {
        BrickworksHealth health = new BrickworksHealth(cache);
        return new AbstractHealthIndicator("Brickworks cache health check failed") {
            @Override
            protected void doHealthCheck(Health.Builder builder) {
                BrickworksHealth.Outcome outcome = health.check();
                builder.withDetails(outcome.details());
                if (outcome.up()) {
                    builder.up();
                } else {
                    builder.down(outcome.error());
                }
            }
        };
    }
}
