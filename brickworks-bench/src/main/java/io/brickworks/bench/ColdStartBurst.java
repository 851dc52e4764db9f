package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.function.CachedFunction;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The cold-start burst: {@value #CALLS} concurrent misses of one cached function on Redis (an async
 * function returning the 100-byte value at once; every argument new, so every call misses), against
 * {@value #CALLS} concurrent {@code setKey} of new keys, in the same JVM. Each burst starts every call
 * at once, then waits for all of them; the time is from the first call to the last completion. Each
 * round uses a new cache (new connection, empty function), as after a restart; the rounds alternate
 * which burst goes first.
 *
 * <p>The bursts run in child JVMs: two at the machine's CPU count and two started with
 * {@code -XX:ActiveProcessorCount=1}, a one-CPU container (where {@code CompletableFuture}'s default
 * async pool is a new thread per task). Each child reports the medians, every failure, and how many
 * threads the JVM started during a burst.
 */
final class ColdStartBurst {

    static final int CALLS = 10_000;
    private static final String LINE = "BURST ";

    /** What one child JVM measured: burst times in ms per round, failed calls, threads started during a burst (max). */
    record Result(String jvm, int cpus, List<Double> setKeyMillis, List<Double> missMillis, long failures,
                  long threadsStarted) {

        double ratio() {
            return Stats.median(missMillis) / Stats.median(setKeyMillis);
        }
    }

    private ColdStartBurst() {
    }

    /** The child JVM: {@code ColdStartBurst <port> <rounds>}; prints one line for the parent. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<Double> setKey = new ArrayList<>();
        List<Double> miss = new ArrayList<>();
        long[] failures = {0};
        long threads = 0;
        for (int round = 0; round < rounds; round++) {
            try (BrickworksCache cache = Clients.brickworksRedis(port)) {
                String prefix = "burst-" + round + "-";
                CachedFunction.Async1<Integer, String> function = cache.functions()
                        .function("bench.burst." + round, String.class)
                        .async(argument -> CompletableFuture.completedFuture(Keys.VALUE));
                IntFunction<CompletableFuture<?>> set = i -> cache.setKey(prefix + i, Keys.VALUE);
                IntFunction<CompletableFuture<?>> call = function::apply;
                boolean setFirst = round % 2 == 0;
                Burst first = burst(setFirst ? set : call, failures);
                Burst second = burst(setFirst ? call : set, failures);
                setKey.add((setFirst ? first : second).millis());
                miss.add((setFirst ? second : first).millis());
                threads = Math.max(threads, Math.max(first.threadsStarted(), second.threadsStarted()));
            }
        }
        System.out.println(LINE + Runtime.getRuntime().availableProcessors() + " " + failures[0] + " " + threads
                + " " + join(setKey) + " " + join(miss));
    }

    private record Burst(double millis, long threadsStarted) {
    }

    private static Burst burst(IntFunction<CompletableFuture<?>> call, long[] failures) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long startedBefore = threads.getTotalStartedThreadCount();
        List<CompletableFuture<?>> calls = new ArrayList<>(CALLS);
        long start = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            calls.add(call.apply(i));
        }
        CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).handle((v, e) -> null)
                .get(5, TimeUnit.MINUTES);
        double millis = (System.nanoTime() - start) / 1e6;
        long started = threads.getTotalStartedThreadCount() - startedBefore;
        List<CompletableFuture<?>> failed = calls.stream().filter(CompletableFuture::isCompletedExceptionally).toList();
        if (!failed.isEmpty() && failures[0] == 0) {
            System.out.println("first failure: " + failed.get(0).handle((v, e) -> e).join());
        }
        failures[0] += failed.size();
        return new Burst(millis, started);
    }

    private static String join(List<Double> values) {
        return String.join(",", values.stream().map(v -> String.format("%.1f", v)).toList());
    }

    /**
     * Runs the burst in child JVMs at the machine's CPU count and limited to one CPU, each twice, in
     * the order A B B A so that a busy start or end of the run weighs on both alike; {@code rounds}
     * rounds per child JVM.
     */
    static List<Result> measure(int port, int rounds) throws IOException, InterruptedException {
        String all = "the machine's CPUs";
        String one = "-XX:ActiveProcessorCount=1";
        Result a1 = child(port, rounds, all, null);
        Result b1 = child(port, rounds, one, one);
        Result b2 = child(port, rounds, one, one);
        Result a2 = child(port, rounds, all, null);
        return List.of(merge(a1, a2), merge(b1, b2));
    }

    private static Result merge(Result a, Result b) {
        return new Result(a.jvm(), a.cpus(), concat(a.setKeyMillis(), b.setKeyMillis()),
                concat(a.missMillis(), b.missMillis()), a.failures() + b.failures(),
                Math.max(a.threadsStarted(), b.threadsStarted()));
    }

    private static List<Double> concat(List<Double> a, List<Double> b) {
        List<Double> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Result child(int port, int rounds, String jvm, String flag) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms512m", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        if (flag != null) {
            command.add(flag);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ColdStartBurst.class.getName(),
                String.valueOf(port), String.valueOf(rounds)));
        System.out.println("Cold-start burst, " + rounds + " rounds, JVM with " + jvm);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the burst JVM failed:\n" + output);
        }
        output.lines().filter(l -> !l.startsWith(LINE)).forEach(l -> System.out.println("  " + l));
        String line = output.lines().filter(l -> l.startsWith(LINE)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the burst JVM printed no result:\n" + output));
        String[] f = line.substring(LINE.length()).split(" ");
        Result result = new Result(jvm, Integer.parseInt(f[0]), millis(f[3]), millis(f[4]), Long.parseLong(f[1]),
                Long.parseLong(f[2]));
        System.out.printf("  %d CPU(s): setKey %s ms, misses %s ms, ratio %.1f, %d failed, %d threads started%n",
                result.cpus(), f[3], f[4], result.ratio(), result.failures(), result.threadsStarted());
        return result;
    }

    private static List<Double> millis(String csv) {
        return Arrays.stream(csv.split(",")).map(Double::valueOf).toList();
    }

    /** The markdown section of the results. */
    static String markdown(List<Result> results) {
        StringBuilder md = new StringBuilder();
        md.append("### Cold-start burst\n\n");
        md.append(String.format("%,d concurrent misses of one cached function on Redis (every argument new; an "
                + "async function that returns the 100-byte value at once) against %,d concurrent `setKey` of new "
                + "keys, in the same JVM: every call started at once, then all joined; a new cache (connection, "
                + "empty function) per round, default settings (command timeout 5 s). Median of %d rounds, in "
                + "two child JVMs at the machine's CPU count and two started with `-XX:ActiveProcessorCount=1` "
                + "(run in the order A B B A). "
                + "Target: 0 failures, and the miss burst within 10× the `setKey` burst.%n%n", CALLS, CALLS,
                results.get(0).setKeyMillis().size()));
        md.append("| JVM | CPUs | 10,000 setKey (ms) | 10,000 misses (ms) | misses ÷ setKey | failed calls | "
                + "threads started during a burst |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            md.append(String.format("| %s | %d | %.0f | %.0f | %.1f | %d | %d |%n", r.jvm(), r.cpus(),
                    Stats.median(r.setKeyMillis()), Stats.median(r.missMillis()), r.ratio(), r.failures(),
                    r.threadsStarted()));
        }
        md.append("\nA miss costs four round trips and a release (5 commands, see *Commands per call*) and the function's "
                + "invocation on the cache's executor; a `setKey` is one round trip.\n");
        return md.toString();
    }
}
