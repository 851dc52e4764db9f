package io.brickworks.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * A small product service on brickworks-spring-boot-starter: {@code GET /products/{id}} is cached
 * with {@code @Cacheable(sync = true)} (one computation per product across all replicas),
 * {@code PUT /products/{id}?name=...} renames in a {@code @Transactional} method whose cache eviction
 * runs after the commit, and {@code /actuator/health} reports the cache. Memory backend and H2 by
 * default; Redis with {@code USE_REDIS=1} or Boot's {@code spring.data.redis.*} properties.
 */
@SpringBootApplication
@EnableCaching
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
