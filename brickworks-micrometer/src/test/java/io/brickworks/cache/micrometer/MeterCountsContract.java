package io.brickworks.cache.micrometer;

import static io.brickworks.cache.SetOptions.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.function.CachedFunction;
import io.brickworks.cache.internal.DefaultBrickworksCache;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.spi.CacheBackend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A scripted sequence of operations, then every meter holds exactly the expected count; the
 * backends extend it.
 */
abstract class MeterCountsContract {

    protected BrickworksCache cache;
    protected SimpleMeterRegistry registry;

    /** A fresh cache on an empty store. */
    protected abstract BrickworksCache newCache();

    @BeforeEach
    void open() {
        cache = newCache();
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void close() {
        cache.close();
        registry.close();
    }

    protected static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    protected double counter(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    protected double functionCounter(String name, String... tags) {
        FunctionCounter c = registry.find(name).tags(tags).functionCounter();
        return c == null ? -1 : c.count();
    }

    @Test
    void keyValueReadsWritesAndDeletesAreCountedPerNamespace() throws Exception {
        new BrickworksCacheMetrics(cache).bindTo(registry);

        await(cache.setKey("a", "1"));
        await(cache.setKey("b", "2", options().namespace("ns2")));
        await(cache.getKey("a"));
        await(cache.getKeyBytes("a"));
        await(cache.getKey("missing"));
        await(cache.getKey("b", "ns2"));
        await(cache.deleteKey("a"));
        await(cache.getKey("a"));

        assertThat(counter("brickworks.cache.gets", "namespace", "default", "result", "hit")).isEqualTo(2);
        assertThat(counter("brickworks.cache.gets", "namespace", "default", "result", "miss")).isEqualTo(2);
        assertThat(counter("brickworks.cache.gets", "namespace", "ns2", "result", "hit")).isEqualTo(1);
        assertThat(counter("brickworks.cache.gets", "namespace", "ns2", "result", "miss")).isZero();
        assertThat(counter("brickworks.cache.puts", "namespace", "default")).isEqualTo(1);
        assertThat(counter("brickworks.cache.puts", "namespace", "ns2")).isEqualTo(1);
        assertThat(counter("brickworks.cache.deletes", "namespace", "default")).isEqualTo(1);
        assertThat(registry.find("brickworks.cache.gets").tagKeys("tenant").counters()).isEmpty();
    }

    @Test
    void theTenantTagIsOnlyThereWhenAskedFor() throws Exception {
        new BrickworksCacheMetrics(cache).tenantTag(true).bindTo(registry);

        await(cache.forTenant("acme").setKey("a", "1"));
        await(cache.forTenant("acme").getKey("a"));
        await(cache.forTenant("globex").getKey("a"));

        assertThat(counter("brickworks.cache.gets", "tenant", "acme", "result", "hit")).isEqualTo(1);
        assertThat(counter("brickworks.cache.gets", "tenant", "globex", "result", "miss")).isEqualTo(1);
        assertThat(counter("brickworks.cache.puts", "tenant", "acme", "namespace", "default")).isEqualTo(1);
    }

    @Test
    void queuePushesPopsAndEmptyPopsAreCountedPerQueue() throws Exception {
        new BrickworksCacheMetrics(cache).bindTo(registry);

        await(cache.pushToQueue("jobs", "1"));
        await(cache.pushToQueue("jobs", "2"));
        await(cache.popFromQueue("jobs"));
        await(cache.popFromQueue("jobs"));
        await(cache.popFromQueue("jobs"));
        await(cache.popFromQueue("other"));

        assertThat(counter("brickworks.queue.pushes", "queue", "jobs")).isEqualTo(2);
        assertThat(counter("brickworks.queue.pops", "queue", "jobs", "result", "item")).isEqualTo(2);
        assertThat(counter("brickworks.queue.pops", "queue", "jobs", "result", "empty")).isEqualTo(1);
        assertThat(counter("brickworks.queue.pops", "queue", "other", "result", "empty")).isEqualTo(1);
    }

    @Test
    void lockEventsTheHeldGaugeAndTheHoldTimer() throws Exception {
        new BrickworksCacheMetrics(cache).bindTo(registry);

        LockHandle job = await(cache.tryLock("job", Duration.ofSeconds(30))).orElseThrow();
        assertThat(await(cache.tryLock("job", Duration.ofSeconds(30)))).isEmpty();
        assertThat(registry.get("brickworks.lock.held").tags("lock", "job").gauge().value()).isEqualTo(1);
        assertThat(await(job.extend(Duration.ofSeconds(30)))).isTrue();
        assertThat(await(job.release())).isTrue();

        assertThat(await(cache.attemptDistributedLock("report"))).isTrue();
        assertThat(await(cache.attemptDistributedLock("report"))).isFalse();
        assertThat(await(cache.releaseDistributedLock("report"))).isTrue();

        // a handle whose lock someone else removed: its release finds it lost
        LockHandle gone = await(cache.tryLock("gone", Duration.ofSeconds(30))).orElseThrow();
        await(((DefaultBrickworksCache) cache).backend().delete("brickworks:public:__locks__:gone"));
        assertThat(await(gone.release())).isFalse();

        assertThat(counter("brickworks.lock.acquisitions", "lock", "job", "result", "acquired")).isEqualTo(1);
        assertThat(counter("brickworks.lock.acquisitions", "lock", "job", "result", "not_acquired")).isEqualTo(1);
        assertThat(counter("brickworks.lock.renewals", "lock", "job")).isEqualTo(1);
        assertThat(counter("brickworks.lock.releases", "lock", "job", "result", "released")).isEqualTo(1);
        assertThat(counter("brickworks.lock.releases", "lock", "job", "result", "lost")).isZero();
        assertThat(registry.get("brickworks.lock.held").tags("lock", "job").gauge().value()).isZero();
        assertThat(registry.get("brickworks.lock.hold").tags("lock", "job").timer().count()).isEqualTo(1);

        assertThat(counter("brickworks.lock.acquisitions", "lock", "report", "result", "acquired")).isEqualTo(1);
        assertThat(counter("brickworks.lock.acquisitions", "lock", "report", "result", "not_acquired")).isEqualTo(1);
        assertThat(counter("brickworks.lock.releases", "lock", "report", "result", "released")).isEqualTo(1);

        assertThat(counter("brickworks.lock.releases", "lock", "gone", "result", "lost")).isEqualTo(1);
        assertThat(registry.get("brickworks.lock.held").tags("lock", "gone").gauge().value()).isZero();
    }

    @Test
    void lockNamesBeyondTheCapAreCountedUnderOther() throws Exception {
        new BrickworksCacheMetrics(cache).maxNames(2).bindTo(registry);

        for (String name : new String[] {"a", "b", "c", "d"}) {
            assertThat(await(cache.attemptDistributedLock(name))).isTrue();
        }

        assertThat(counter("brickworks.lock.acquisitions", "lock", "a", "result", "acquired")).isEqualTo(1);
        assertThat(counter("brickworks.lock.acquisitions", "lock", "b", "result", "acquired")).isEqualTo(1);
        assertThat(counter("brickworks.lock.acquisitions", "lock", "_other", "result", "acquired")).isEqualTo(2);
        assertThat(registry.find("brickworks.lock.acquisitions").counters()).hasSize(6);
    }

    @Test
    void functionMetersCountFunctionsBuiltBeforeAndAfterBinding() throws Exception {
        CachedFunction.Async1<String, String> before = cache.functions().function("before", String.class)
                .async(x -> CompletableFuture.completedFuture("v" + x));
        await(before.apply("1"));
        new BrickworksCacheMetrics(cache).bindTo(registry);
        CachedFunction.Async1<String, String> after = cache.functions().function("after", String.class)
                .async(x -> CompletableFuture.completedFuture("w" + x));

        await(before.apply("1"));
        await(after.apply("1"));
        await(after.apply("1"));
        await(after.apply("2"));

        assertThat(functionCounter("brickworks.function.gets", "function", "before", "result", "hit")).isEqualTo(1);
        assertThat(functionCounter("brickworks.function.gets", "function", "before", "result", "miss")).isEqualTo(1);
        assertThat(functionCounter("brickworks.function.computations", "function", "before")).isEqualTo(1);
        assertThat(functionCounter("brickworks.function.gets", "function", "after", "result", "hit")).isEqualTo(1);
        assertThat(functionCounter("brickworks.function.gets", "function", "after", "result", "miss")).isEqualTo(2);
        assertThat(functionCounter("brickworks.function.computations", "function", "after")).isEqualTo(2);
        assertThat(functionCounter("brickworks.function.waits", "function", "after")).isZero();
        assertThat(functionCounter("brickworks.function.early.refreshes", "function", "after")).isZero();
        assertThat(functionCounter("brickworks.function.decode.failures", "function", "after")).isZero();
    }

    @Test
    void aFunctionValueThatDoesNotDecodeIsCounted() throws Exception {
        new BrickworksCacheMetrics(cache).bindTo(registry);
        CachedFunction.Async1<String, Integer> f = cache.functions().function("numbers", Integer.class)
                .async(x -> CompletableFuture.completedFuture(7));
        await(f.apply("1"));
        String entry = await(cache.listKeysByIndex("numbers", "FUNC_CACHE")).get(0);
        // the public API may not write in the function cache's namespace: plant the bytes through the backend
        CacheBackend backend = ((DefaultBrickworksCache) cache).runtime().backend();
        await(backend.set(cache.settings().keyPrefix() + ":" + cache.currentTenant() + ":FUNC_CACHE:" + entry,
                "not json".getBytes(StandardCharsets.UTF_8), 60_000, false, List.of()));

        assertThat(await(f.apply("1"))).isEqualTo(7);

        assertThat(functionCounter("brickworks.function.decode.failures", "function", "numbers")).isEqualTo(1);
        assertThat(functionCounter("brickworks.function.computations", "function", "numbers")).isEqualTo(2);
    }

    @Test
    void pingIsARoundTripWithItsDuration() throws Exception {
        Duration took = await(cache.ping());

        assertThat(took).isPositive().isLessThan(Duration.ofSeconds(10));
    }
}
