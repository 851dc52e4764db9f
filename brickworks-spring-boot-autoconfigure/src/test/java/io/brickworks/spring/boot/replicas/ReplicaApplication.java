package io.brickworks.spring.boot.replicas;

import io.brickworks.spring.boot.BrickworksCacheAutoConfiguration;
import io.brickworks.spring.boot.BrickworksBoot35ConnectionDetailsAutoConfiguration;
import io.brickworks.spring.boot.BrickworksBoot35HealthAutoConfiguration;
import io.brickworks.spring.boot.BrickworksBoot4ConnectionDetailsAutoConfiguration;
import io.brickworks.spring.boot.BrickworksBoot4HealthAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One replica: caching on, the Brickworks auto-configuration, and this package as the application's
 * package (so cached values of its types decode by default).
 */
@Configuration(proxyBeanMethods = false)
@EnableCaching
@AutoConfigurationPackage
@ImportAutoConfiguration({BrickworksCacheAutoConfiguration.class,
        BrickworksBoot4ConnectionDetailsAutoConfiguration.class, BrickworksBoot35ConnectionDetailsAutoConfiguration.class,
        BrickworksBoot4HealthAutoConfiguration.class, BrickworksBoot35HealthAutoConfiguration.class})
public class ReplicaApplication {

    @Bean
    public Books books() {
        return new Books();
    }
}
