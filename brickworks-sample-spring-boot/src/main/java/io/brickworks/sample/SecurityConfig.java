package io.brickworks.sample;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The sample's security: the product API stays open (and, being an API, without CSRF tokens); the
 * Brickworks console ({@code /actuator/brickworks/}) needs a login. User {@code operator} has the
 * console's action role ({@code BRICKWORKS_ADMIN}), user {@code viewer} only sees. Passwords come from
 * {@code sample.console.operator-password} and {@code sample.console.viewer-password}; when unset, a
 * random one is made and logged at start-up (a sample, not a user store).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfig.class);

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a.requestMatchers("/actuator/brickworks", "/actuator/brickworks/**")
                        .authenticated().anyRequest().permitAll())
                .formLogin(Customizer.withDefaults())
                .csrf(c -> c.ignoringRequestMatchers("/products/**"));
        return http.build();
    }

    @Bean
    UserDetailsService users(@Value("${sample.console.operator-password:}") String operator,
                             @Value("${sample.console.viewer-password:}") String viewer) {
        return new InMemoryUserDetailsManager(
                User.withUsername("operator").password("{noop}" + password("operator", operator))
                        .roles("BRICKWORKS_ADMIN").build(),
                User.withUsername("viewer").password("{noop}" + password("viewer", viewer)).roles("VIEWER").build());
    }

    private static String password(String user, String configured) {
        if (!configured.isEmpty()) {
            return configured;
        }
        String made = UUID.randomUUID().toString();
        LOG.info("console user {} has the generated password {}", user, made);
        return made;
    }
}
