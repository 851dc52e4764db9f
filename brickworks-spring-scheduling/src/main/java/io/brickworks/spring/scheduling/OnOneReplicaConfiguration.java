package io.brickworks.spring.scheduling;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * Registers the {@link OnOneReplica} post-processor. Import it with {@link EnableOnOneReplica}; the Spring
 * Boot auto-configuration ({@link OnOneReplicaAutoConfiguration}) imports it too. Needs one
 * {@code BrickworksCache} bean in the context (looked up at the first annotated call).
 */
@Configuration(proxyBeanMethods = false)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
public class OnOneReplicaConfiguration {

    /** Static, as every bean post-processor, so that it does not make this configuration an early bean. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static OnOneReplicaPostProcessor onOneReplicaPostProcessor() {
        return new OnOneReplicaPostProcessor();
    }
}
