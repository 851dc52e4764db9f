package io.brickworks.spring.boot;

import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * The reader of the application's {@code DataRedisConnectionDetails} bean (Boot 4's spring-boot-data-redis), for the cache's
 * settings ({@link CacheSettingsResolver}): runs before the cache's auto-configuration, only when
 * that type is on the class path. Compiled against its own Boot line.
 */
@AutoConfiguration(before = BrickworksCacheAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails")
public class BrickworksBoot4ConnectionDetailsAutoConfiguration {

    @Bean
    BootRedisConnections brickworksBoot4RedisConnections() {
        return new Reader();
    }

    /** Loaded only when Boot's type is on the class path. */
    static final class Reader implements BootRedisConnections {
        @Override
        public BootRedisConnection find(ListableBeanFactory beans) {
            DataRedisConnectionDetails d = beans.getBeanProvider(DataRedisConnectionDetails.class).getIfUnique();
            if (d == null || d.getClass().getSimpleName().startsWith("Properties")) {
                return null;
            }
            DataRedisConnectionDetails.Standalone standalone = d.getStandalone();
            DataRedisConnectionDetails.Sentinel sentinel = d.getSentinel();
            DataRedisConnectionDetails.Cluster cluster = d.getCluster();
            return new BootRedisConnection(d.getUsername(), d.getPassword(),
                    standalone == null ? null : standalone.getHost(), standalone == null ? null : standalone.getPort(),
                    standalone != null ? Integer.valueOf(standalone.getDatabase())
                            : sentinel != null ? Integer.valueOf(sentinel.getDatabase()) : null,
                    sentinel == null ? null : sentinel.getMaster(),
                    sentinel == null ? List.of() : nodes(sentinel.getNodes()),
                    cluster == null ? List.of() : nodes(cluster.getNodes()),
                    d.getSslBundle() != null);
        }

        private static List<String> nodes(List<DataRedisConnectionDetails.Node> nodes) {
            return nodes.stream().map(n -> n.host() + ":" + n.port()).toList();
        }
    }
}
