package io.brickworks.cache.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.FencingProbe;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The memory backend's fencing tokens go on above those of the previous process: a downstream store
 * that saw the tokens of a process before it restarted accepts those of the next one. A restart is a
 * new backend in this JVM; the negative control floors tokens at the microseconds since the
 * backend's start, as before ({@link MemoryBackend#epochFloor}), and sees them go back.
 */
class MemoryFencingTest {

    private static long[] acrossARestart(boolean epochFloor) throws Exception {
        CacheSettings settings = CacheSettings.builder().build();
        long before;
        long started = System.nanoTime();
        MemoryBackend first = new MemoryBackend(settings);
        first.epochFloor(epochFloor);
        try (BrickworksCache cache = BrickworksCache.builder().settings(settings).backend(first).build()) {
            FencingProbe.draw(cache, "job", 1_000);
            // the first process lives 1.5 s before its last token, far longer than the next one takes to
            // draw its first: without the epoch floor its tokens (microseconds since its start) are lower
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> System.nanoTime() - started > Duration.ofMillis(1500).toNanos());
            before = FencingProbe.next(cache, "job");
        }
        MemoryBackend restarted = new MemoryBackend(settings);
        restarted.epochFloor(epochFloor);
        try (BrickworksCache cache = BrickworksCache.builder().settings(settings).backend(restarted).build()) {
            return new long[] {before, FencingProbe.next(cache, "job")};
        }
    }

    @Test
    void tokensAfterARestartAreAboveTokensBeforeIt() throws Exception {
        long[] tokens = acrossARestart(true);
        assertThat(tokens[1]).isGreaterThan(tokens[0]);
    }

    @Test
    void negativeControlWithoutTheEpochFloorARestartTurnsTokensBack() throws Exception {
        long[] tokens = acrossARestart(false);
        assertThat(tokens[1]).as("the first token of the new process, floored at its start").isLessThan(tokens[0]);
    }
}
