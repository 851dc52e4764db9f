package io.brickworks.spring.scheduling;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Turns on {@link OnOneReplica} in a Spring application without Spring Boot (with Boot the
 * auto-configuration does it):
 *
 * <pre>{@code
 * @Configuration
 * @EnableScheduling
 * @EnableOnOneReplica
 * class Jobs {
 *     @Bean
 *     BrickworksCache cache() {
 *         return BrickworksCache.builder().settings(CacheSettings.fromEnvironment()).build();
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(OnOneReplicaConfiguration.class)
public @interface EnableOnOneReplica {
}
