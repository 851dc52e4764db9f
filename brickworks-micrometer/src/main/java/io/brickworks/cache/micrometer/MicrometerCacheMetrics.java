package io.brickworks.cache.micrometer;

import io.brickworks.cache.function.FunctionCacheStats;
import io.brickworks.cache.metrics.BackendFailure;
import io.brickworks.cache.metrics.CacheMetrics;
import io.brickworks.cache.metrics.LockEvent;
import io.brickworks.cache.metrics.NearCacheStats;
import io.micrometer.core.instrument.TimeGauge;
import io.brickworks.cache.metrics.QueueEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/** The cache's metrics hook as Micrometer meters; see {@link BrickworksCacheMetrics}. */
final class MicrometerCacheMetrics implements CacheMetrics {

    private final MeterRegistry registry;
    private final Tags tags;
    private final BoundedMeters<KeyMeters> keys;
    private final BoundedMeters<QueueMeters> queues;
    private final BoundedMeters<LockMeters> locks;
    /** The counters of the functions of each name, summed by the function counters of that name. */
    private final ConcurrentHashMap<String, List<Supplier<FunctionCacheStats>>> functions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> commands = new ConcurrentHashMap<>();
    private final Map<BackendFailure, Counter> failures = new EnumMap<>(BackendFailure.class);
    private final Counter reconnects;
    /** The near cache's counters, once one was reported; the meters read whichever was reported last. */
    private volatile Supplier<NearCacheStats> nearCache;
    private final java.util.concurrent.atomic.AtomicBoolean nearCacheMeters = new java.util.concurrent.atomic.AtomicBoolean();

    MicrometerCacheMetrics(MeterRegistry registry, Tags tags, boolean tenantTag, int maxNames) {
        this.registry = registry;
        this.tags = tags;
        this.keys = new BoundedMeters<>(tenantTag, maxNames, KeyMeters::new);
        this.queues = new BoundedMeters<>(tenantTag, maxNames, QueueMeters::new);
        this.locks = new BoundedMeters<>(tenantTag, maxNames, LockMeters::new);
        for (BackendFailure cause : BackendFailure.values()) {
            failures.put(cause, Counter.builder("brickworks.backend.failures").tags(tags)
                    .tag("cause", cause.name().toLowerCase(Locale.ROOT))
                    .description("backend calls that failed, by cause").register(registry));
        }
        this.reconnects = Counter.builder("brickworks.backend.reconnects").tags(tags)
                .description("connections to the backend opened again after a drop").register(registry);
    }

    /** The common tags plus {@code tenant} when tenants are a tag ({@code tenant} non-null) and one more. */
    private Tags tags(String tenant, String key, String value) {
        Tags t = tags.and(key, value);
        return tenant == null ? t : t.and("tenant", tenant);
    }

    private final class KeyMeters {
        final Counter hits;
        final Counter misses;
        final Counter puts;
        final Counter deletes;

        KeyMeters(String tenant, String namespace) {
            Tags t = tags(tenant, "namespace", namespace);
            hits = Counter.builder("brickworks.cache.gets").tags(t).tag("result", "hit")
                    .description("key-value reads").register(registry);
            misses = Counter.builder("brickworks.cache.gets").tags(t).tag("result", "miss")
                    .description("key-value reads").register(registry);
            puts = Counter.builder("brickworks.cache.puts").tags(t).description("key-value writes").register(registry);
            deletes = Counter.builder("brickworks.cache.deletes").tags(t).description("key-value deletes")
                    .register(registry);
        }
    }

    private final class QueueMeters {
        final Map<QueueEvent, Counter> byEvent = new EnumMap<>(QueueEvent.class);

        QueueMeters(String tenant, String queue) {
            Tags t = tags(tenant, "queue", queue);
            byEvent.put(QueueEvent.PUSH, Counter.builder("brickworks.queue.pushes").tags(t).description("items pushed")
                    .register(registry));
            byEvent.put(QueueEvent.POP, Counter.builder("brickworks.queue.pops").tags(t).tag("result", "item")
                    .description("pops").register(registry));
            byEvent.put(QueueEvent.EMPTY_POP, Counter.builder("brickworks.queue.pops").tags(t).tag("result", "empty")
                    .description("pops").register(registry));
        }
    }

    private final class LockMeters {
        final Map<LockEvent, Counter> byEvent = new EnumMap<>(LockEvent.class);
        final AtomicLong held = new AtomicLong();
        final Timer hold;

        LockMeters(String tenant, String name) {
            Tags t = tags(tenant, "lock", name);
            byEvent.put(LockEvent.ACQUIRED, Counter.builder("brickworks.lock.acquisitions").tags(t)
                    .tag("result", "acquired").description("attempts to take a lock").register(registry));
            byEvent.put(LockEvent.NOT_ACQUIRED, Counter.builder("brickworks.lock.acquisitions").tags(t)
                    .tag("result", "not_acquired").description("attempts to take a lock").register(registry));
            byEvent.put(LockEvent.RELEASED, Counter.builder("brickworks.lock.releases").tags(t)
                    .tag("result", "released").description("ends of a held lock").register(registry));
            byEvent.put(LockEvent.LOST, Counter.builder("brickworks.lock.releases").tags(t)
                    .tag("result", "lost").description("ends of a held lock").register(registry));
            byEvent.put(LockEvent.RENEWED, Counter.builder("brickworks.lock.renewals").tags(t)
                    .description("extensions of a held lock").register(registry));
            Gauge.builder("brickworks.lock.held", held, AtomicLong::get).tags(t)
                    .description("lock handles of this instance holding the lock now").register(registry);
            hold = Timer.builder("brickworks.lock.hold").tags(t).description("how long lock handles held the lock")
                    .register(registry);
        }
    }

    @Override
    public void keyRead(String tenant, String namespace, boolean hit) {
        KeyMeters m = keys.get(tenant, namespace);
        (hit ? m.hits : m.misses).increment();
    }

    @Override
    public void keyWritten(String tenant, String namespace) {
        keys.get(tenant, namespace).puts.increment();
    }

    @Override
    public void keyDeleted(String tenant, String namespace) {
        keys.get(tenant, namespace).deletes.increment();
    }

    @Override
    public void queue(String tenant, String queue, QueueEvent event) {
        queues.get(tenant, queue).byEvent.get(event).increment();
    }

    @Override
    public void lock(String tenant, String name, LockEvent event) {
        locks.get(tenant, name).byEvent.get(event).increment();
    }

    /**
     * Handles count in the gauge from their acquisition to their end; {@code attemptDistributedLock}
     * has no end event (its lock may just expire), so only handles count.
     */
    @Override
    public void lockHandleEnded(String tenant, String name, long heldNanos) {
        LockMeters m = locks.get(tenant, name);
        m.hold.record(heldNanos, TimeUnit.NANOSECONDS);
        m.held.decrementAndGet();
    }

    @Override
    public void lockHandleOpened(String tenant, String name) {
        locks.get(tenant, name).held.incrementAndGet();
    }

    @Override
    public void functionCreated(String name, Supplier<FunctionCacheStats> stats) {
        List<Supplier<FunctionCacheStats>> all = functions.computeIfAbsent(name, n -> {
            List<Supplier<FunctionCacheStats>> list = new CopyOnWriteArrayList<>();
            Tags t = tags.and("function", n);
            functionCounter("brickworks.function.gets", t.and("result", "hit"), list, FunctionCacheStats::hits,
                    "calls of a cached function");
            functionCounter("brickworks.function.gets", t.and("result", "miss"), list, FunctionCacheStats::misses,
                    "calls of a cached function");
            functionCounter("brickworks.function.computations", t, list, FunctionCacheStats::computations,
                    "invocations of the function by this process");
            functionCounter("brickworks.function.waits", t, list, FunctionCacheStats::waits,
                    "calls that waited for another caller's computation");
            functionCounter("brickworks.function.early.refreshes", t, list, FunctionCacheStats::earlyRefreshes,
                    "recomputations started before expiry");
            functionCounter("brickworks.function.decode.failures", t, list, FunctionCacheStats::decodeFailures,
                    "cached values that did not decode and were deleted");
            return list;
        });
        all.add(stats);
    }

    private void functionCounter(String name, Tags t, List<Supplier<FunctionCacheStats>> list,
                                 ToLongFunction<FunctionCacheStats> count, String description) {
        FunctionCounter.builder(name, list, l -> {
            long sum = 0;
            for (Supplier<FunctionCacheStats> s : l) {
                sum += count.applyAsLong(s.get());
            }
            return sum;
        }).tags(t).description(description).register(registry);
    }

    @Override
    public void command(String kind, long nanos) {
        Timer timer = commands.get(kind);
        if (timer == null) {
            timer = commands.computeIfAbsent(kind, k -> Timer.builder("brickworks.backend.commands").tags(tags)
                    .tag("command", k.toLowerCase(Locale.ROOT))
                    .description("backend commands, from the call to the server's answer").register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void backendFailure(BackendFailure cause) {
        failures.get(cause).increment();
    }

    @Override
    public void reconnected() {
        reconnects.increment();
    }

    @Override
    public void nearCacheCreated(Supplier<NearCacheStats> stats) {
        nearCache = stats;
        if (!nearCacheMeters.compareAndSet(false, true)) {
            return;
        }
        nearCounter("brickworks.nearcache.gets", tags.and("result", "hit"), NearCacheStats::hits,
                "reads of near-cached namespaces answered from the process");
        nearCounter("brickworks.nearcache.gets", tags.and("result", "miss"), NearCacheStats::misses,
                "reads of near-cached namespaces that went to Redis");
        nearCounter("brickworks.nearcache.invalidations", tags, NearCacheStats::invalidations,
                "keys dropped because Redis said they changed");
        nearCounter("brickworks.nearcache.flushes", tags, NearCacheStats::flushes,
                "times the whole near cache was emptied (flush, lost connection, missed heartbeat, SWAPDB)");
        nearCounter("brickworks.nearcache.tracking.reconnects", tags, NearCacheStats::trackingReconnects,
                "tracking connections opened again");
        Gauge.builder("brickworks.nearcache.size", this, m -> m.nearCache.get().size()).tags(tags)
                .description("entries held in the process").register(registry);
        Gauge.builder("brickworks.nearcache.tracking", this, m -> m.nearCache.get().tracking() ? 1 : 0).tags(tags)
                .description("1 while reads are served from the process, 0 while they all go to Redis").register(registry);
        TimeGauge.builder("brickworks.nearcache.heartbeat.age", this, TimeUnit.MILLISECONDS,
                        m -> m.nearCache.get().millisSinceHeartbeat()).tags(tags)
                .description("time since the latest answered heartbeat was sent; serving stops before it reaches the bound")
                .register(registry);
        TimeGauge.builder("brickworks.nearcache.staleness.bound", this, TimeUnit.MILLISECONDS,
                        m -> m.nearCache.get().stalenessBoundMillis()).tags(tags)
                .description("the configured staleness bound").register(registry);
    }

    private void nearCounter(String name, Tags t, ToLongFunction<NearCacheStats> count, String description) {
        FunctionCounter.builder(name, this, m -> count.applyAsLong(m.nearCache.get())).tags(t)
                .description(description).register(registry);
    }
}
