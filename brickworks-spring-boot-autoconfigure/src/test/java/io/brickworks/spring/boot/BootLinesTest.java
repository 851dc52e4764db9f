package io.brickworks.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.spring.boot.replicas.ReplicaApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The line-specific parts of the one starter jar: on the test's Boot line each part is there, and
 * when its line's type is missing the part is not there and {@link BootLines} has the sentence that
 * says so (logged once per JVM at startup).
 */
class BootLinesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(ReplicaApplication.class);

    @Test
    void everyPartIsThereOnThisLine() {
        runner.run(context -> {
            assertThat(context).hasBean("brickworksHealthIndicator").hasSingleBean(BootRedisConnections.class);
            assertThat(BootLines.missing(context.getClassLoader())).isEmpty();
        });
    }

    @Test
    void withoutEitherLinesHealthTypeThereIsNoIndicatorAndTheLogSaysSo() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health.",
                "org.springframework.boot.actuate.health.")).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("brickworksHealthIndicator");
            assertThat(BootLines.missing(context.getClassLoader())).singleElement().asString()
                    .contains("no 'brickworks' health indicator").contains("spring-boot-starter-actuator");
        });
    }

    @Test
    void withoutEitherLinesConnectionDetailsTypeTheLogSaysSo() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.data.redis.",
                "org.springframework.boot.autoconfigure.data.redis.")).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(BootRedisConnections.class);
            assertThat(BootLines.missing(context.getClassLoader())).singleElement().asString()
                    .contains("connection-details bean is not read");
        });
    }
}
