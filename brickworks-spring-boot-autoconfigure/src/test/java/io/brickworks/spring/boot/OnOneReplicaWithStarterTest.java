package io.brickworks.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.spring.scheduling.OnOneReplica;
import io.brickworks.spring.scheduling.ReplicaLock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * What the starter gives: this library's auto-configurations, found as Boot finds them (the
 * {@code AutoConfiguration.imports} files of the autoconfigure and scheduling modules), make the
 * {@link BrickworksCache} bean (memory backend) and {@code @OnOneReplica} work on a
 * {@code @Scheduled} method with no set-up but {@code @EnableScheduling}.
 */
class OnOneReplicaWithStarterTest {

    /** Every auto-configuration of this library listed in the imports files on the class path. */
    private static Class<?>[] brickworksAutoConfigurations() {
        return ImportCandidates.load(AutoConfiguration.class, OnOneReplicaWithStarterTest.class.getClassLoader())
                .getCandidates().stream().filter(name -> name.startsWith("io.brickworks."))
                .map(BrickworksCacheAutoConfigurationTest::firstPresent).toArray(Class<?>[]::new);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Jobs {
        private final List<Long> fencingTokens = new CopyOnWriteArrayList<>();

        @Scheduled(fixedDelay = 20)
        @OnOneReplica(name = "nightly-report")
        public void report() {
            fencingTokens.add(ReplicaLock.current().fencingToken());
        }

        /** The tokens the job saw (a method: the bean is a proxy, whose fields are not the job's). */
        public List<Long> fencingTokens() {
            return fencingTokens;
        }
    }

    @Test
    void aScheduledMethodRunsUnderTheLockOfTheAutoConfiguredCache() {
        Class<?>[] found = brickworksAutoConfigurations();
        assertThat(found).extracting(Class::getSimpleName)
                .contains("BrickworksCacheAutoConfiguration", "OnOneReplicaAutoConfiguration");
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(found))
                .withUserConfiguration(Jobs.class).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(BrickworksCache.class);
                    assertThat(context.getBean(BrickworksCache.class).settings().useRedis()).isFalse();
                    List<Long> tokens = context.getBean(Jobs.class).fencingTokens();
                    await().atMost(Duration.ofSeconds(20)).until(() -> tokens.size() >= 3);
                    List<Long> seen = List.copyOf(tokens);
                    assertThat(seen.get(0)).isPositive();
                    assertThat(seen).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
                });
    }
}
