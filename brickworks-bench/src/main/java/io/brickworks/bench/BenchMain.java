package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.tck.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmark command ({@code bench/run}): starts one redis-server, fills it, runs every JMH case
 * against it, measures the machine's limit with redis-benchmark and the index listing's commands with
 * MONITOR, prints one table, and writes {@code docs/benchmarks.md}, its PNG chart and a JSON file.
 *
 * <pre>
 * BenchMain [--long] [--include REGEX] [--rounds N] [--interleaved BLOCKS] [--burst ROUNDS] [--docs DIR] [--work DIR]
 * </pre>
 * {@code --burst ROUNDS} runs only the cold-start burst ({@link ColdStartBurst}) and writes its
 * section into {@code burst.md} in the work folder; a full pass runs it too (2 rounds per child JVM).
 * {@code --include} runs only the JMH cases whose name matches (and then writes the report into the
 * work folder, never over the docs). {@code --rounds N} runs instead the paired pass of the
 * latency-bound cases ({@link Rounds}) and writes {@code rounds.md} and {@code rounds.json};
 * {@code --interleaved BLOCKS} runs them in one JVM instead ({@link Interleaved}) and writes
 * {@code interleaved.md}.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean careful = false;
        String include = null;
        int rounds = 0;
        int blocks = 0;
        int burstRounds = 0;
        Path docs = Path.of("docs");
        Path work = Path.of("brickworks-bench", "target", "bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--long" -> careful = true;
                case "--include" -> include = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--interleaved" -> blocks = Integer.parseInt(args[++i]);
                case "--burst" -> burstRounds = Integer.parseInt(args[++i]);
                case "--docs" -> docs = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]
                        + " (use --long, --include REGEX, --rounds N, --interleaved BLOCKS, --burst ROUNDS, --docs DIR, --work DIR)");
            }
        }
        Files.createDirectories(work);
        Path out = include == null ? docs : work;
        Files.createDirectories(out);

        Report report = new Report();
        long started = System.nanoTime();
        try (RedisServer server = RedisServer.start()) {
            int port = server.port();
            System.out.println("redis-server " + redisVersion(server) + " on " + server.address() + "; filling "
                    + Keys.COUNT + " keys");
            BenchRedis.fill(port);
            describeMachine(report, server);
            if (rounds > 0) {
                if (rounds < 2) {
                    throw new IllegalArgumentException("--rounds must be at least 2, was " + rounds);
                }
                Rounds.run(rounds, port, work, out, report.machine);
                return;
            }
            if (blocks > 0) {
                Interleaved.run(blocks, port, out, report.machine);
                return;
            }
            if (burstRounds > 0) {
                String md = ColdStartBurst.markdown(ColdStartBurst.measure(port, burstRounds));
                try (BrickworksCache cache = Clients.brickworksRedis(port)) {
                    RoundTrips.Count miss = CommandCounts.functionMiss(port, cache.functions()
                            .function("bench.count", String.class)
                            .async(argument -> CompletableFuture.completedFuture(Keys.VALUE)));
                    md += String.format("%nCommands per miss (`MONITOR` around one miss, after a first one): %d sent "
                            + "by the client, %d run inside scripts.%n", miss.clientCommands(), miss.scriptCommands());
                }
                System.out.println();
                System.out.print(md);
                Files.writeString(work.resolve("burst.md"), md);
                System.out.println("Wrote " + work.resolve("burst.md"));
                return;
            }

            Collection<RunResult> results = runJmh(port, careful, include, work, report);
            results.forEach(report::add);

            System.out.println("redis-benchmark (" + Limit.CLIENTS + " clients, pipelines 1 and 16)");
            int requests = careful ? 1_000_000 : 300_000;
            for (int pipeline : new int[] {1, 16}) {
                Map<String, Double> rps = Limit.measure(port, pipeline, pipeline == 1 ? requests : requests * 4);
                rps.forEach((command, value) -> report.limits.put(Comparison.limitId(command, pipeline), value));
            }
            report.bursts.addAll(ColdStartBurst.measure(port, 2));
            System.out.println("near-cache invalidation delay (2,000 writes)");
            report.nearInvalidation = NearCacheInvalidationDelay.measure(port, 2_000);
            try {
                report.commands.putAll(CommandCounts.measure(port));
            } catch (RuntimeException e) {
                report.notes.add("commands per call not counted: " + e);
            }
        }
        report.settings.put("duration", String.format("%.1f minutes", (System.nanoTime() - started) / 60e9));
        report.machine.put("load average at end (1, 5, 15 min)", loadAverage());

        System.out.println();
        System.out.print(report.table());
        System.out.println();
        System.out.println("Commands per call (MONITOR): sent by the client / run inside scripts");
        report.commands.forEach((label, count) -> System.out.printf("  %-50s %6d / %,d%n", label,
                count.clientCommands(), count.scriptCommands()));
        System.out.println();
        System.out.println("Targets of the issue:");
        for (Targets.Verdict v : Targets.check(report)) {
            System.out.printf("  %-12s %-70s %s%n", v.result(), v.target(), v.measured());
        }
        report.notes.forEach(n -> System.out.println("Note: " + n));

        Path json = out.resolve("benchmarks.json");
        Path png = out.resolve("benchmarks.png");
        Path md = out.resolve("benchmarks.md");
        report.writeJson(json);
        Chart.write(report.bars(), "Brickworks Cache vs peers (" + report.settings.get("pass") + " pass)", png);
        report.writeMarkdown(md, png.getFileName().toString(), json.getFileName().toString());
        System.out.println();
        System.out.println("Wrote " + md + ", " + png + " and " + json);
    }

    private static Collection<RunResult> runJmh(int port, boolean careful, String include, Path work, Report report)
            throws RunnerException, IOException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include != null ? include : "io\\.brickworks\\.bench\\..*")
                .jvmArgsAppend("-D" + BenchRedis.PORT_PROPERTY + "=" + port, "-Xms1g", "-Xmx1g",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=error")
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(false)
                .resultFormat(ResultFormatType.JSON)
                .result(work.resolve("jmh-result.json").toString());
        String jmh;
        if (careful) {
            options.forks(3).warmupIterations(5).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(2));
            jmh = "3 forks, 5 × 2 s warm-up, 5 × 2 s measurement";
            report.settings.put("pass", "long");
            report.settings.put("errors", ", ± the 99.9% confidence interval over 3 forks × 5 iterations");
            report.showErrors = true;
        } else {
            options.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
            jmh = "1 fork, 2 × 1 s warm-up, 3 × 1 s measurement";
            report.settings.put("pass", "short");
            report.settings.put("errors", "; one fork of 3 short iterations, so no error bars: differences under about 10% are noise");
        }
        report.settings.put("jmh", jmh);
        Path log = work.resolve("jmh.log");
        System.out.println("JMH (" + jmh + "); full output in " + log);
        try (PrintStream logStream = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            return new Runner(options.build(), new Progress(logStream, System.out)).run();
        }
    }

    private static String redisVersion(RedisServer server) {
        for (String line : server.cli("INFO", "server").split("\\R")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return "unknown";
    }

    private static void describeMachine(Report report, RedisServer server) throws IOException {
        report.machine.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        report.machine.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        String memKb = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        if (!memKb.equals("unknown")) {
            long kb = Long.parseLong(memKb.replaceAll("[^0-9]", ""));
            memKb = String.format("%.1f GiB", kb / 1024.0 / 1024.0);
        }
        report.machine.put("memory", memKb);
        report.machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        report.machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        report.machine.put("redis", "redis-server " + redisVersion(server) + " (loopback, no persistence)");
        report.machine.put("redis-benchmark", command("redis-benchmark", "--version"));
        report.machine.put("load average at start (1, 5, 15 min)", loadAverage());
        report.versions.put("commit measured", command("git", "rev-parse", "--short", "HEAD")
                + (command("git", "status", "--porcelain", "--untracked-files=no").isEmpty() ? "" : " (with local changes)"));
        try (InputStream in = BenchMain.class.getResourceAsStream("/bench-versions.properties")) {
            if (in == null) {
                throw new IllegalStateException("bench-versions.properties is missing from the class path");
            }
            for (String line : new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList()) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    report.versions.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
    }

    /** The first three fields of /proc/loadavg: how busy the shared machine was. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: leave it unknown
        }
        return "unknown";
    }

    private static String command(String... cmd) {
        try {
            Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
