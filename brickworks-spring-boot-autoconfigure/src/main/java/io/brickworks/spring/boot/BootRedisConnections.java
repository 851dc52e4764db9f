package io.brickworks.spring.boot;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Reads the application's Redis connection-details bean in a form both Boot lines share. Each line's
 * auto-configuration ({@code BrickworksBoot4ConnectionDetailsAutoConfiguration} on Boot 4's
 * {@code DataRedisConnectionDetails}, {@code BrickworksBoot35ConnectionDetailsAutoConfiguration} on
 * Boot 3.5's {@code RedisConnectionDetails}) defines one as a bean when its line's type is on the
 * class path; {@link BootLines} logs once when neither is.
 */
interface BootRedisConnections {

    /**
     * The connection-details bean, or null when there is none, or only Boot's own made from
     * {@code spring.data.redis.*} (those properties are read directly).
     */
    BootRedisConnection find(ListableBeanFactory beans);
}
