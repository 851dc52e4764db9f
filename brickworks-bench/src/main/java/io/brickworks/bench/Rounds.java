package io.brickworks.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.DoublePredicate;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The paired pass ({@code bench/run --rounds N}) of the latency-bound cases: one call in flight,
 * whose throughput is a chain of thread wake-ups on a machine shared by client and server, so that
 * its ratios drift with whatever else the machine does. Each round runs every case once (one fork,
 * short iterations) in an order shuffled per round, so that no case always runs first or last; each
 * comparison is then the geometric mean of its per-round ratios, with their range and the number of
 * rounds this library was ahead. Running the cases of one comparison minutes apart, as JMH does with
 * forks, lets slow drift (other tenants, the host's frequency) decide the ratio; pairing them within
 * a round and shuffling the order cancels most of it.
 */
final class Rounds {

    /** One JMH case: {@code Class.method} and its parameters. */
    record Case(String benchmark, Map<String, String> params) {
        String id() {
            return Comparison.id(benchmark, params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new));
        }
    }

    /** One comparison of this library's case with a peer's, and the threshold for it. */
    record Pair(String name, Case ours, Case peer, String target, DoublePredicate met) {
    }

    private static final String LOCK = "LockBenchmark.acquireRelease";

    static final List<Pair> PAIRS = List.of(
            lock("brickworks", "shedlock"), lock("brickworks", "shedlock-safe"), lock("brickworks", "redisson"),
            lock("brickworks-handle", "shedlock"), lock("brickworks-handle", "shedlock-safe"),
            lock("brickworks-handle", "redisson"),
            new Pair("Function-cache hit on Redis vs a plain get",
                    new Case("FunctionCacheBenchmark.cachedHit", Map.of("backend", "redis")),
                    new Case("FunctionCacheBenchmark.plainGet", Map.of("backend", "redis")), "≥ 0.90", r -> r >= 0.9),
            kv("get"), kv("set"));

    private static Pair lock(String ours, String peer) {
        String shown = ours.equals("brickworks") ? "attemptDistributedLock" : "tryLock handle (fenced)";
        return new Pair("Lock cycle, " + shown + " vs " + peer, new Case(LOCK, Map.of("client", ours)),
                new Case(LOCK, Map.of("client", peer)), "> 1", r -> r > 1.0);
    }

    private static Pair kv(String op) {
        String benchmark = "RedisKvBenchmark." + op;
        return new Pair("Redis " + op.toUpperCase() + ", 1 in flight, vs raw Lettuce",
                new Case(benchmark, params("client", "brickworks", "inFlight", "1")),
                new Case(benchmark, params("client", "lettuce", "inFlight", "1")), "≥ 0.95", r -> r >= 0.95);
    }

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private final int rounds;
    private final int port;
    private final PrintStream log;
    /** Scores per case id, one per round, in round order. */
    private final Map<String, List<Double>> scores = new LinkedHashMap<>();

    private Rounds(int rounds, int port, PrintStream log) {
        this.rounds = rounds;
        this.port = port;
        this.log = log;
    }

    /** Runs {@code rounds} rounds against the redis-server at {@code port}; writes rounds.md and rounds.json into {@code out}. */
    static void run(int rounds, int port, Path work, Path out, Map<String, String> machine)
            throws IOException, RunnerException {
        Path logFile = work.resolve("rounds-jmh.log");
        long started = System.nanoTime();
        try (PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8)) {
            Rounds r = new Rounds(rounds, port, log);
            System.out.println("Paired rounds: " + rounds + " × " + r.cases().size()
                    + " cases, shuffled per round; JMH output in " + logFile);
            r.measure();
            String minutes = String.format("%.1f minutes", (System.nanoTime() - started) / 60e9);
            String table = r.table();
            System.out.println();
            System.out.print(table);
            Files.writeString(out.resolve("rounds.md"), r.markdown(table, machine, minutes));
            Files.writeString(out.resolve("rounds.json"), r.json());
            System.out.println("Wrote " + out.resolve("rounds.md") + " and " + out.resolve("rounds.json"));
        }
    }

    private List<Case> cases() {
        Map<String, Case> unique = new LinkedHashMap<>();
        for (Pair p : PAIRS) {
            unique.putIfAbsent(p.ours().id(), p.ours());
            unique.putIfAbsent(p.peer().id(), p.peer());
        }
        return new ArrayList<>(unique.values());
    }

    private void measure() throws RunnerException {
        List<Case> cases = cases();
        for (int round = 0; round < rounds; round++) {
            List<Case> order = new ArrayList<>(cases);
            Collections.shuffle(order, new Random(round));
            for (Case c : order) {
                double score = runOnce(c);
                scores.computeIfAbsent(c.id(), k -> new ArrayList<>()).add(score);
                System.out.printf("  round %d/%d  %-70s %,12.0f ops/s%n", round + 1, rounds, c.id(), score);
            }
        }
    }

    private double runOnce(Case c) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote("io.brickworks.bench." + c.benchmark()) + "$")
                .jvmArgsAppend("-D" + BenchRedis.PORT_PROPERTY + "=" + port, "-Xms1g", "-Xmx1g",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=error")
                .forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(true);
        c.params().forEach((k, v) -> options.param(k, v));
        var results = new Runner(options.build(), new Progress(log, new PrintStream(PrintStream.nullOutputStream())))
                .run();
        if (results.size() != 1) {
            throw new IllegalStateException("expected one result for " + c.id() + ", got " + results.size());
        }
        RunResult result = results.iterator().next();
        return result.getPrimaryResult().getScore();
    }

    /** Per pair: the per-round ratios. */
    private List<Double> ratios(Pair p) {
        List<Double> ours = scores.get(p.ours().id());
        List<Double> theirs = scores.get(p.peer().id());
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            ratios.add(ours.get(i) / theirs.get(i));
        }
        return ratios;
    }



    private String table() {
        StringBuilder t = new StringBuilder();
        t.append("| Comparison | Brickworks (median ops/s) | Peer (median ops/s) | Ratio (geometric mean) "
                + "| Range of ratios | Rounds ahead | Target | Verdict |\n");
        t.append("|---|---:|---:|---:|---|---:|---|---|\n");
        for (Pair p : PAIRS) {
            List<Double> r = ratios(p);
            double g = Stats.geomean(r);
            long ahead = r.stream().filter(x -> x > 1.0).count();
            t.append(String.format("| %s | %,.0f | %,.0f | %.2f | %.2f – %.2f | %d of %d | %s | %s |%n", p.name(),
                    Stats.median(scores.get(p.ours().id())), Stats.median(scores.get(p.peer().id())), g,
                    Collections.min(r), Collections.max(r), ahead, r.size(), p.target(),
                    p.met().test(g) ? "met" : "MISSED"));
        }
        return t.toString();
    }

    private String markdown(String table, Map<String, String> machine, String minutes) {
        StringBuilder md = new StringBuilder();
        md.append("# Paired rounds: the latency-bound cases\n\n");
        md.append("Generated by `bench/run --rounds ").append(rounds).append("` (").append(minutes)
                .append("). Each round runs every case below once (1 fork, 2 × 1 s warm-up, 3 × 1 s "
                        + "measurement) against one redis-server, in an order shuffled per round. Each ratio is "
                        + "taken within a round, Brickworks ÷ peer; the table shows their geometric mean, their "
                        + "range and in how many rounds Brickworks was ahead.\n\n");
        md.append("Why: at one call in flight a cycle is a chain of thread wake-ups (caller, Netty event loop, "
                + "redis-server) on two cores shared by all three, so its throughput drifts with whatever else the "
                + "machine does. JMH runs one case's forks back to back and the next case minutes later, which "
                + "lets that drift, and a case's position in the run, decide a ratio of a few percent. Pairing "
                + "within rounds and shuffling the order cancels most of it; the range shows what is left.\n\n");
        md.append(table).append('\n');
        md.append("## Machine\n\n");
        machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\n## Every score (ops/s), by round\n\n| Case |");
        for (int i = 1; i <= rounds; i++) {
            md.append(" ").append(i).append(" |");
        }
        md.append("\n|---|").append("---:|".repeat(rounds)).append('\n');
        scores.forEach((id, list) -> {
            md.append("| `").append(id).append("` |");
            list.forEach(s -> md.append(String.format(" %,.0f |", s)));
            md.append('\n');
        });
        return md.toString();
    }

    private String json() {
        StringBuilder j = new StringBuilder("{\n  \"rounds\": ").append(rounds).append(",\n  \"scores\": {\n");
        List<String> entries = new ArrayList<>();
        scores.forEach((id, list) -> entries.add("    \"" + id + "\": " + list));
        j.append(String.join(",\n", entries)).append("\n  },\n  \"pairs\": [\n");
        List<String> pairs = new ArrayList<>();
        for (Pair p : PAIRS) {
            List<Double> r = ratios(p);
            pairs.add(String.format("    {\"name\": \"%s\", \"ours\": \"%s\", \"peer\": \"%s\", \"geomeanRatio\": %.4f, "
                    + "\"ratios\": %s}", p.name(), p.ours().id(), p.peer().id(), Stats.geomean(r), r));
        }
        j.append(String.join(",\n", pairs)).append("\n  ]\n}\n");
        return j.toString();
    }
}
