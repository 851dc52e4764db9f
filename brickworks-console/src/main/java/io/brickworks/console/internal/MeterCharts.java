package io.brickworks.console.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Charts sampled in the process from the application's {@link MeterRegistry}: every step, the sums of
 * the library's meters (all tags together) are read and the change since the last step becomes one
 * point: the hit ratio of key-value reads, the mean store command time, queue pushes and pops per
 * second, the mean lock hold time and the locks held. One daemon thread,
 * {@code brickworks-console-sampler}; {@link #close()} stops it. Points are kept in ring buffers of the
 * window's length, so memory stays fixed.
 */
public final class MeterCharts implements Charts {

    private final MeterRegistry registry;
    private final long stepSeconds;
    private final int size;
    private final ScheduledExecutorService sampler;
    /** Guarded by this. */
    private final double[][] rings;
    private int next;
    private int filled;
    private Totals last;

    private record Totals(double hits, double misses, double commandCount, double commandMillis, double pushes,
                          double pops, double holdCount, double holdMillis, double held) {
    }

    private static final String[][] SERIES = {
        {"hit-ratio", "Key-value hit ratio", "%"},
        {"latency", "Store command time (mean)", "ms"},
        {"pushes", "Queue pushes", "/s"},
        {"pops", "Queue pops", "/s"},
        {"lock-hold", "Lock hold time (mean)", "ms"},
        {"locks-held", "Locks held here", ""},
    };

    public MeterCharts(MeterRegistry registry, Duration step, Duration window) {
        this(registry, step, window, true);
    }

    /** With {@code sampling} false, nothing samples but {@link #sample()} (tests call it). */
    MeterCharts(MeterRegistry registry, Duration step, Duration window, boolean sampling) {
        this.registry = registry;
        this.stepSeconds = step.toSeconds();
        this.size = (int) window.dividedBy(step);
        this.rings = new double[SERIES.length][size];
        for (double[] ring : rings) {
            java.util.Arrays.fill(ring, Double.NaN);
        }
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brickworks-console-sampler");
            t.setDaemon(true);
            return t;
        });
        if (sampling) {
            sampler.scheduleAtFixedRate(this::sample, 0, step.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private double sum(String name, String tagKey, String tagValue, ToDoubleFunction<Meter> value) {
        double total = 0;
        for (Meter m : registry.find(name).meters()) {
            if (tagKey == null || tagValue.equals(m.getId().getTag(tagKey))) {
                total += value.applyAsDouble(m);
            }
        }
        return total;
    }

    private static double count(Meter m) {
        if (m instanceof Counter c) {
            return c.count();
        }
        if (m instanceof FunctionCounter f) {
            return f.count();
        }
        if (m instanceof Timer t) {
            return t.count();
        }
        return 0;
    }

    private Totals read() {
        return new Totals(
                sum("brickworks.cache.gets", "result", "hit", MeterCharts::count),
                sum("brickworks.cache.gets", "result", "miss", MeterCharts::count),
                sum("brickworks.backend.commands", null, null, MeterCharts::count),
                sum("brickworks.backend.commands", null, null, m -> ((Timer) m).totalTime(TimeUnit.MILLISECONDS)),
                sum("brickworks.queue.pushes", null, null, MeterCharts::count),
                sum("brickworks.queue.pops", "result", "item", MeterCharts::count),
                sum("brickworks.lock.hold", null, null, MeterCharts::count),
                sum("brickworks.lock.hold", null, null, m -> ((Timer) m).totalTime(TimeUnit.MILLISECONDS)),
                sum("brickworks.lock.held", null, null, m -> m instanceof Gauge g ? g.value() : 0));
    }

    private static double ratio(double part, double whole) {
        return whole > 0 ? part / whole : Double.NaN;
    }

    synchronized void sample() {
        Totals now;
        try {
            now = read();
        } catch (RuntimeException e) {
            return;
        }
        if (last != null) {
            double gets = now.hits - last.hits + now.misses - last.misses;
            double[] point = {
                ratio(now.hits - last.hits, gets) * 100,
                ratio(now.commandMillis - last.commandMillis, now.commandCount - last.commandCount),
                (now.pushes - last.pushes) / stepSeconds,
                (now.pops - last.pops) / stepSeconds,
                ratio(now.holdMillis - last.holdMillis, now.holdCount - last.holdCount),
                now.held,
            };
            for (int i = 0; i < point.length; i++) {
                rings[i][next] = point[i];
            }
            next = (next + 1) % size;
            filled = Math.min(size, filled + 1);
        }
        last = now;
    }

    @Override
    public synchronized List<Series> series() {
        List<Series> out = new ArrayList<>(SERIES.length);
        for (int i = 0; i < SERIES.length; i++) {
            double[] points = new double[size];
            for (int j = 0; j < size; j++) {
                points[j] = rings[i][(next + j) % size];
            }
            out.add(new Series(SERIES[i][0], SERIES[i][1], SERIES[i][2], points));
        }
        return out;
    }

    @Override
    public long stepSeconds() {
        return stepSeconds;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
