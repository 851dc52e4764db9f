package io.brickworks.spring.boot;

import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;

/**
 * The reader of the application's {@code RedisConnectionDetails} bean (Boot 3.5's spring-boot-autoconfigure), for the cache's
 * settings ({@link CacheSettingsResolver}): runs before the cache's auto-configuration, only when
 * that type is on the class path. Compiled against its own Boot line.
 */
@AutoConfiguration(before = BrickworksCacheAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails")
public class BrickworksBoot35ConnectionDetailsAutoConfiguration {

    @Bean
    BootRedisConnections brickworksBoot35RedisConnections() {
        return new Reader();
    }

    /** Loaded only when Boot's type is on the class path. */
    static final class Reader implements BootRedisConnections {
        @Override
        public BootRedisConnection find(ListableBeanFactory beans) {
            RedisConnectionDetails d = beans.getBeanProvider(RedisConnectionDetails.class).getIfUnique();
            if (d == null || d.getClass().getSimpleName().startsWith("Properties")) {
                return null;
            }
            RedisConnectionDetails.Standalone standalone = d.getStandalone();
            RedisConnectionDetails.Sentinel sentinel = d.getSentinel();
            RedisConnectionDetails.Cluster cluster = d.getCluster();
            return new BootRedisConnection(d.getUsername(), d.getPassword(),
                    standalone == null ? null : standalone.getHost(), standalone == null ? null : standalone.getPort(),
                    standalone != null ? Integer.valueOf(standalone.getDatabase())
                            : sentinel != null ? Integer.valueOf(sentinel.getDatabase()) : null,
                    sentinel == null ? null : sentinel.getMaster(),
                    sentinel == null ? List.of() : nodes(sentinel.getNodes()),
                    cluster == null ? List.of() : nodes(cluster.getNodes()),
                    standalone != null && standalone.getSslBundle() != null
                            || sentinel != null && sentinel.getSslBundle() != null);
        }

        private static List<String> nodes(List<RedisConnectionDetails.Node> nodes) {
            return nodes.stream().map(n -> n.host() + ":" + n.port()).toList();
        }
    }
}
