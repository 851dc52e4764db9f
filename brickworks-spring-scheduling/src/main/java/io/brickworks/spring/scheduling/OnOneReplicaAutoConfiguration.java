package io.brickworks.spring.scheduling;

import io.brickworks.cache.BrickworksCache;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Import;

/**
 * Spring Boot auto-configuration of {@link OnOneReplica}: active when the context has a
 * {@link BrickworksCache} bean (the application's own, or the one the Brickworks cache auto-configuration
 * makes, which runs before this one), unless {@code brickworks.cache.scheduling.enabled=false}.
 */
@AutoConfiguration(afterName = "io.brickworks.spring.boot.BrickworksCacheAutoConfiguration")
@ConditionalOnBean(BrickworksCache.class)
@ConditionalOnProperty(prefix = "brickworks.cache.scheduling", name = "enabled", havingValue = "true",
        matchIfMissing = true)
@Import(OnOneReplicaConfiguration.class)
public class OnOneReplicaAutoConfiguration {
}
