package io.brickworks.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each point is the change of the meters since the step before, over every tag (tenant, namespace). */
class MeterChartsTest {

    private static double last(Charts.Series s) {
        return s.points()[s.points().length - 1];
    }

    @Test
    void pointsAreTheChangesSinceTheLastStep() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter hitsA = registry.counter("brickworks.cache.gets", "result", "hit", "namespace", "a");
        Counter hitsB = registry.counter("brickworks.cache.gets", "result", "hit", "namespace", "b");
        Counter misses = registry.counter("brickworks.cache.gets", "result", "miss", "namespace", "a");
        Timer commands = registry.timer("brickworks.backend.commands", "command", "get");
        Counter pushes = registry.counter("brickworks.queue.pushes");
        hitsA.increment(100);
        try (MeterCharts charts = new MeterCharts(registry, Duration.ofSeconds(10), Duration.ofMinutes(1), false)) {
            charts.sample();
            hitsA.increment(2);
            hitsB.increment(1);
            misses.increment(1);
            commands.record(4, TimeUnit.MILLISECONDS);
            commands.record(6, TimeUnit.MILLISECONDS);
            pushes.increment(50);

            charts.sample();

            Map<String, Charts.Series> series = charts.series().stream()
                    .collect(Collectors.toMap(Charts.Series::id, s -> s));
            assertThat(last(series.get("hit-ratio"))).isEqualTo(75.0);
            assertThat(last(series.get("latency"))).isEqualTo(5.0);
            assertThat(last(series.get("pushes"))).isEqualTo(5.0);
            assertThat(last(series.get("lock-hold"))).isNaN();
            assertThat(series.get("hit-ratio").points()).hasSize(6);
            assertThat(Charts.svg(series.get("hit-ratio"), charts.stepSeconds(), 560, 120))
                    .contains("now 75.0 %").contains("<path d=\"M560.0 ");
        }
    }
}
