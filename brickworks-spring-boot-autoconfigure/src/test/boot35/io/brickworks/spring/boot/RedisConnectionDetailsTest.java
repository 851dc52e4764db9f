package io.brickworks.spring.boot;

import java.util.List;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@link RedisConnectionDetailsContract} with Boot 3.5's {@code RedisConnectionDetails}. */
class RedisConnectionDetailsTest extends RedisConnectionDetailsContract {

    @Override
    protected ApplicationContextRunner withStandaloneDetails(ApplicationContextRunner runner) {
        return runner.withBean(RedisConnectionDetails.class, () -> new RedisConnectionDetails() {
            @Override
            public String getUsername() {
                return "app";
            }

            @Override
            public String getPassword() {
                return "from-details";
            }

            @Override
            public Standalone getStandalone() {
                return Standalone.of("details-host", 7777, 2);
            }
        });
    }

    @Override
    protected ApplicationContextRunner withClusterDetails(ApplicationContextRunner runner) {
        return runner.withBean(RedisConnectionDetails.class, () -> new RedisConnectionDetails() {
            @Override
            public Cluster getCluster() {
                return () -> List.of(new Node("n1", 7000), new Node("n2", 7001));
            }
        });
    }
}
