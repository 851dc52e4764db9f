package io.brickworks.spring.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.lock.LockHandle;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Which beans {@link OnOneReplicaAutoConfiguration} makes under which conditions. */
class OnOneReplicaAutoConfigurationTest {

    private final BrickworksCache cache = BrickworksCache.builder().build();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OnOneReplicaAutoConfiguration.class))
            .withBean(Job.class);

    @AfterEach
    void close() {
        cache.close();
    }

    static class Job {
        @OnOneReplica(name = "auto-job")
        public Long run() {
            return ReplicaLock.current().fencingToken();
        }
    }

    @Test
    void withACacheBeanTheAnnotationWorks() {
        runner.withBean(BrickworksCache.class, () -> cache).run(context -> {
            assertThat(context).hasSingleBean(OnOneReplicaPostProcessor.class);
            Job job = context.getBean(Job.class);
            assertThat(AopUtils.isAopProxy(job)).isTrue();
            assertThat(job.run()).isPositive();
            try (LockHandle other = cache.masterTenant().tryLock("auto-job", Duration.ofSeconds(30)).join()
                    .orElseThrow()) {
                assertThat(job.run()).as("skipped while another owner holds the lock").isNull();
            }
        });
    }

    @Test
    void withoutACacheBeanNothingIsConfigured() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(OnOneReplicaPostProcessor.class);
            assertThat(AopUtils.isAopProxy(context.getBean(Job.class))).isFalse();
        });
    }

    @Test
    void thePropertySwitchesItOff() {
        runner.withBean(BrickworksCache.class, () -> cache)
                .withPropertyValues("brickworks.cache.scheduling.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(OnOneReplicaPostProcessor.class));
    }

    @Test
    void thePropertySetToTrueKeepsItOn() {
        runner.withBean(BrickworksCache.class, () -> cache)
                .withPropertyValues("brickworks.cache.scheduling.enabled=true")
                .run(context -> assertThat(context).hasSingleBean(OnOneReplicaPostProcessor.class));
    }
}
