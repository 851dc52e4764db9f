package io.brickworks.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.micrometer.BrickworksCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The cache's meters are bound to the context's {@code MeterRegistry} by Boot's own metrics
 * auto-configuration (which binds every {@code MeterBinder} bean), and only when there is one.
 */
class MetricsBindingTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BrickworksCacheAutoConfiguration.class,
                    BrickworksMetricsAutoConfiguration.class, BrickworksCacheAutoConfigurationTest.firstPresent(
                            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                            "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration")));

    @Test
    void aGetIsCountedInTheContextsRegistry() {
        runner.withBean(SimpleMeterRegistry.class).run(context -> {
            assertThat(context).hasSingleBean(BrickworksCacheMetrics.class);
            BrickworksCache cache = context.getBean(BrickworksCache.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(cache.getKey("missing").join()).isNull();
            cache.setKey("isbn-1", "Brick by brick").join();
            assertThat(cache.getKey("isbn-1").join()).isEqualTo("Brick by brick");
            assertThat(count(registry, "brickworks.cache.gets", "result", "miss")).isEqualTo(1.0);
            assertThat(count(registry, "brickworks.cache.gets", "result", "hit")).isEqualTo(1.0);
            assertThat(count(registry, "brickworks.cache.puts")).isEqualTo(1.0);
        });
    }

    @Test
    void noBinderWithoutARegistry() {
        runner.run(context -> assertThat(context).hasSingleBean(BrickworksCache.class)
                .doesNotHaveBean(BrickworksCacheMetrics.class));
    }

    @Test
    void backsOffForTheApplicationsBinder() {
        runner.withBean(SimpleMeterRegistry.class).withUserConfiguration(OwnMetrics.class)
                .run(context -> assertThat(context).getBean(BrickworksCacheMetrics.class)
                        .isSameAs(context.getBean("ownMetrics")));
    }

    /** The sum over every namespace of the counters named {@code name} with these tags. */
    private static double count(MeterRegistry registry, String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMetrics {
        @Bean
        BrickworksCacheMetrics ownMetrics(BrickworksCache cache) {
            return new BrickworksCacheMetrics(cache).tenantTag(true);
        }
    }
}
