package io.brickworks.spring.boot;

import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.util.ClassUtils;

/** Reads the application's {@code DataRedisConnectionDetails} bean (Boot 4's spring-boot-data-redis). */
final class BootRedisConnections {

    private static final String TYPE = "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails";

    private BootRedisConnections() {
    }

    /**
     * The connection-details bean, or null when there is none, or only Boot's own made from
     * {@code spring.data.redis.*} (those properties are read directly).
     */
    static BootRedisConnection find(ListableBeanFactory beans, ClassLoader loader) {
        return ClassUtils.isPresent(TYPE, loader) ? Reader.read(beans) : null;
    }

    /** Loaded only when Boot's type is on the class path. */
    private static final class Reader {
        static BootRedisConnection read(ListableBeanFactory beans) {
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
