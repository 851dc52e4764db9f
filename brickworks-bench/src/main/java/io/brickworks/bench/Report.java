package io.brickworks.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The results of one run, and their three forms: the console table, {@code docs/benchmarks.md}
 * (with the chart) and a JSON file.
 */
final class Report {

    /**
     * A JMH score: ops/s, its 99.9% error (NaN when JMH has too few samples for one), and the bytes
     * allocated per operation (NaN when not measured).
     */
    record Score(double ops, double error, double bytesPerOp) {
    }

    final Map<String, String> machine = new LinkedHashMap<>();
    final Map<String, String> versions = new LinkedHashMap<>();
    final Map<String, String> settings = new LinkedHashMap<>();
    final Map<String, Score> scores = new LinkedHashMap<>();
    final Map<String, Double> limits = new LinkedHashMap<>();
    /** Commands per call of each Redis case: label to count. */
    final Map<String, RoundTrips.Count> commands = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    /** The cold-start burst, per JVM (empty when not run). */
    final List<ColdStartBurst.Result> bursts = new ArrayList<>();
    /** The near cache's invalidation delay, when measured. */
    NearCacheInvalidationDelay.Result nearInvalidation;
    /** Whether to show JMH's error bars: only when a pass has enough samples for them to mean something. */
    boolean showErrors;

    /** The id of a benchmark: {@code Class.method key=value ...}, as {@link Comparison} names them. */
    static String idOf(BenchmarkParams params) {
        String full = params.getBenchmark();
        String[] parts = full.split("\\.");
        String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
        List<String> kv = new ArrayList<>();
        for (String key : new TreeSet<>(params.getParamsKeys())) {
            kv.add(key + "=" + params.getParam(key));
        }
        return Comparison.id(name, kv.toArray(new String[0]));
    }

    void add(RunResult result) {
        Result<?> primary = result.getPrimaryResult();
        Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
        scores.put(idOf(result.getParams()), new Score(primary.getScore(), primary.getScoreError(),
                alloc == null ? Double.NaN : alloc.getScore()));
    }

    /** Ops/s of a JMH result or a redis-benchmark limit, or null when it was not measured. */
    Double ops(String id) {
        if (id == null) {
            return null;
        }
        Score s = scores.get(id);
        return s != null ? Double.valueOf(s.ops()) : limits.get(id);
    }

    private String opsText(String id) {
        Double ops = ops(id);
        if (ops == null) {
            return "n/a";
        }
        Score s = scores.get(id);
        String text = String.format("%,.0f", ops);
        if (showErrors && s != null && Double.isFinite(s.error()) && s.error() > 0) {
            text += String.format(" ± %,.0f", s.error());
        }
        return text;
    }

    private String ratioText(Comparison c) {
        Double ours = ops(c.ours());
        Double theirs = ops(c.peerId());
        return ours == null || theirs == null || theirs == 0 ? (c.peer() == null ? "" : "n/a")
                : String.format("%.2f", ours / theirs);
    }

    /** The rows of the table: case, ours, peer, theirs, ratio. */
    List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        String lastCase = null;
        for (Comparison c : Comparison.all()) {
            boolean first = !c.caseName().equals(lastCase);
            lastCase = c.caseName();
            rows.add(new String[] {
                first ? c.caseName() : "",
                first ? opsText(c.ours()) : "",
                c.peer() == null ? "" : c.peer(),
                c.peer() == null ? "" : opsText(c.peerId()),
                ratioText(c)});
        }
        return rows;
    }

    private static final String[] HEADER = {"Case", "Brickworks ops/s", "Compared with", "Their ops/s", "Ratio"};

    /** The table for the console. */
    String table() {
        List<String[]> rows = rows();
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            width[i] = HEADER[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendLine(sb, HEADER, width);
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append("-".repeat(w)).append("  ");
        }
        sb.append(rule.toString().stripTrailing()).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            if (i > 0 && !r[0].isEmpty()) {
                sb.append('\n');
            }
            appendLine(sb, r, width);
        }
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            boolean number = i == 1 || i == 3 || i == 4;
            String cell = cells[i];
            String pad = " ".repeat(width[i] - cell.length());
            line.append(number ? pad + cell : cell + pad).append("  ");
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    /** The bars of the chart: every comparison with a ratio. */
    List<Chart.Bar> bars() {
        List<Chart.Bar> bars = new ArrayList<>();
        for (Comparison c : Comparison.all()) {
            Double ours = ops(c.ours());
            Double theirs = ops(c.peerId());
            if (ours != null && theirs != null && theirs > 0) {
                bars.add(new Chart.Bar(c.caseName() + " vs " + c.peer(), ours / theirs));
            }
        }
        return bars;
    }

    /** Everything, as JSON. */
    void writeJson(Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", machine);
        root.put("versions", versions);
        root.put("settings", settings);
        Map<String, Object> jmh = new LinkedHashMap<>();
        scores.forEach((id, s) -> jmh.put(id, Map.of("opsPerSecond", s.ops(),
                "error", Double.isFinite(s.error()) ? s.error() : "n/a",
                "bytesPerOp", Double.isFinite(s.bytesPerOp()) ? s.bytesPerOp() : "n/a")));
        root.put("jmh", jmh);
        root.put("limit", limits);
        Map<String, Object> trips = new LinkedHashMap<>();
        commands.forEach((label, count) -> trips.put(label,
                Map.of("clientCommands", count.clientCommands(), "scriptCommands", count.scriptCommands())));
        root.put("commandsPerCall", trips);
        root.put("coldStartBurst", bursts);
        List<Map<String, Object>> comparisons = new ArrayList<>();
        for (Comparison c : Comparison.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("case", c.caseName());
            m.put("brickworks", ops(c.ours()));
            m.put("peer", c.peer());
            m.put("peerOps", ops(c.peerId()));
            Double ours = ops(c.ours());
            Double theirs = ops(c.peerId());
            m.put("ratio", ours == null || theirs == null || theirs == 0 ? null : ours / theirs);
            comparisons.add(m);
        }
        root.put("comparisons", comparisons);
        root.put("targets", Targets.check(this));
        root.put("notes", notes);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    /** {@code docs/benchmarks.md}. */
    void writeMarkdown(Path file, String chartName, String jsonName) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("This file, the chart and `").append(jsonName).append("` are written by `bench/run` from its own "
                + "results; do not edit them by hand. Pass: **").append(settings.getOrDefault("pass", "?"))
                .append("** (").append(settings.getOrDefault("jmh", "")).append(").\n\n");
        md.append("```\nbench/run           # the short pass: builds, runs every case once (under 10 minutes), prints the table\n"
                + "bench/run --long    # the careful pass: several forks, longer iterations, error bars\n```\n\n");
        md.append("Every case runs against **one** `redis-server`, started by the run itself on a loopback port, "
                + "pre-filled with 10,000 keys of 100-byte values; the machine's limit is measured by `redis-benchmark` "
                + "against the same server in the same run.\n\n");
        md.append("**Client and server share the machine's cores**: the JMH JVM, its client I/O threads and "
                + "`redis-server` all run on the same ").append(machine.getOrDefault("cpus", "?"))
                .append(" cores, so these numbers are lower than on a dedicated server, and a client that spends fewer "
                        + "CPU cycles per call leaves more for Redis. The machine may also be busy with other work "
                        + "during a run (see the load averages below); such noise hits each case at random, which is "
                        + "why the deterministic counts (commands per call, bytes per operation) are given too.\n\n");
        md.append("## Machine\n\n| | |\n|---|---|\n");
        machine.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\n## Versions\n\n| | |\n|---|---|\n");
        versions.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\n## Results\n\nOps/s (JMH throughput");
        md.append(settings.getOrDefault("errors", ""));
        md.append("); ratio = Brickworks ops/s ÷ the compared ops/s (above 1: Brickworks is faster).\n\n");
        md.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
        md.append("|---|---:|---|---:|---:|\n");
        for (String[] r : rows()) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        md.append("\n![Ratios of Brickworks to each peer](").append(chartName).append(")\n\n");
        md.append("### The issue's targets in this run\n\n| Target | Measured | Result |\n|---|---|---|\n");
        for (Targets.Verdict v : Targets.check(this)) {
            md.append("| ").append(v.target()).append(" | ").append(v.measured()).append(" | ").append(v.result())
                    .append(" |\n");
        }
        md.append("\nA short pass is one fork on a shared machine: a verdict within about 10% of its threshold can "
                + "flip between runs.\n\n");
        md.append("### Commands per call\n\nCounted with `MONITOR` around one call (after a first call, so "
                + "connections are open and scripts loaded): commands the client sent (each a round trip unless "
                + "pipelined) and commands that server-side scripts ran. Deterministic, unlike the timings.\n\n");
        if (commands.isEmpty()) {
            md.append("Not measured in this run.\n");
        } else {
            md.append("| Call | Sent by the client | Run inside scripts |\n|---|---:|---:|\n");
            commands.forEach((label, count) -> md.append(String.format("| %s | %d | %,d |%n", label,
                    count.clientCommands(), count.scriptCommands())));
        }
        if (!bursts.isEmpty()) {
            md.append('\n').append(ColdStartBurst.markdown(bursts));
        }
        md.append("\n### Near-cache invalidation delay\n\nFrom the completion of a write by one instance (its own "
                + "connections, near cache off) to the start of the first get of another instance (near cache on) "
                + "that is no longer served the old value, on loopback. Redis queues the push to the reader in the "
                + "same step as it runs the write, so the push often arrives before the writer has its reply (a delay "
                + "near zero); the tail is the shared machine (the measuring thread spins on one of its cores).\n\n");
        md.append(nearInvalidation == null ? "Not measured in this run.\n" : nearInvalidation.markdown());
        md.append("\n### The machine's limit (redis-benchmark, ").append(Limit.CLIENTS)
                .append(" clients, 100-byte values, 10,000 random keys)\n\n");
        limits.forEach((id, rps) -> md.append(String.format("- %s: %,.0f requests/s%n", id, rps)));
        md.append("\n## What the numbers mean\n\n");
        md.append("- **Redis GET/SET, N in flight**: one JMH thread keeps at most N asynchronous calls outstanding "
                + "(a sliding window; a new call starts when one completes). At 1 in flight this is latency: one "
                + "loopback round trip plus each client's own cost per call. At 16 and 128 it is throughput; clients "
                + "that write many commands per socket write gain most. Raw Lettuce flushes every command (one `write` "
                + "system call each); this library adds Netty's flush consolidation to its connections, so commands "
                + "issued together (in particular by the callbacks of answered calls, while a read is handled) go out "
                + "in one write, which leaves the shared cores to Redis. Jedis and Spring's `StringRedisTemplate` are "
                + "synchronous: their calls in flight are their threads (1, or 2 for the 16/128 rows, one per core).\n");
        md.append("- **Each client as its documentation sets it up**, default options: raw Lettuce on one connection "
                + "(string codec); Redisson's single-server config (a pool of up to 64 connections, 32 Netty threads) "
                + "with `StringCodec`; a `JedisPool` of 8; Spring's `LettuceConnectionFactory` (one shared native "
                + "connection); this library with its defaults (one Lettuce connection, command timeout 5 s).\n");
        md.append("- **Every set writes an expiry** (`SET key value PX`, 7 days), because this library always does; "
                + "the peers are asked to do the same. This library is given plain keys (`k00042`) and scopes them "
                + "itself to `brickworks:public:default:k00042`; the peers are given those full keys.\n");
        md.append("- **The limit** rows compare with `redis-benchmark` (C, ").append(Limit.CLIENTS)
                .append(" connections, no client-side work): pipeline 1 is what the server does with many "
                        + "independent clients; pipeline 16 is close to what this machine can do at all.\n");
        md.append("- **Memory**: this library's embedded backend through its public API (argument checks, tenant "
                + "and namespace scoping, the scoped key built, a lookup in its local tier, the entry's deadline checked "
                + "against the clock, a shared completed future) against Caffeine's `getIfPresent`/`put` and "
                + "`ConcurrentHashMap` on the full keys. *Caffeine getIfPresent, then a field of the value read* is the "
                + "least that any cache checking an entry's expiry must do, without reading the clock; *Caffeine with "
                + "per-entry expiry* is Caffeine's own `expireAfter`, which the local tier does not use (it checks "
                + "deadlines itself). Reading the clock is most of the difference: `System.nanoTime()` costs 60 to 100 "
                + "ns on this virtual machine (`kvm-clock`). *Its own backend below the API* is the backend through "
                + "its SPI with full keys and bytes. Since issue 18 the target is an absolute rate (a few million "
                + "reads a second), not a ratio to Caffeine: the memory backend is for tests and first runs.\n");
        md.append("- **Near cache**: `getKey` of keys that this library on Redis (with `NEAR_CACHE=1`) holds in its "
                + "local tier, the same component and read path as the memory backend, compared with a raw Lettuce "
                + "`GET` (1 in flight) and with the memory backend's `getKey`.\n");
        md.append("- **Locks**: one free lock taken (10-second lease) and released, waiting for each step; Redisson "
                + "`RLock.tryLock(0, lease)` + `unlock()`, ShedLock `RedisLockProvider.lock(...)` + `unlock()`. "
                + "ShedLock's default release is an unconditional `DEL` (a replica whose lease ran out can delete "
                + "the lock another replica now holds, the flaw this library fixes); with `safeUpdate(true)` it "
                + "checks the owner with a script, as this library always does, so that row is the like-for-like "
                + "one. Both libraries take a lock with `SET NX PX`; the fenced handle also draws its token in that "
                + "step (a script).\n");
        md.append("- **Queues**: one operation is a push followed by a pop (two commands).\n");
        md.append("- **Meters** (`MeteredKvBenchmark`, `MeteredRedisKvBenchmark`): this library without a metrics "
                + "binder and with `brickworks-micrometer` bound to a `SimpleMeterRegistry`, on the memory get and "
                + "the Redis GET path: the cost of bound meters.\n");
        md.append("- **Latency-bound cases** (1 in flight, locks, queues at 1 in flight, the Redis function-cache hit) "
                + "measure wake-ups more than work: on a shared virtual machine their speed changes with the load of "
                + "the moment (an idle machine can even be slower, its cores sleeping deeper), and the cases run one "
                + "after another, so two of them can differ by 50% for no reason in the client. Compare them across "
                + "passes; the commands per call above are the reliable comparison there. Two more passes measure "
                + "them with the drift paired out: `bench/run --rounds N` (JMH, every case once per round in a "
                + "shuffled order, ratios taken within rounds: [rounds.md](rounds.md)) and `bench/run --interleaved "
                + "N` (all clients in one JVM, shuffled blocks: [interleaved.md](interleaved.md)).\n");
        md.append("- A short pass has one fork and short iterations: differences under about 10% (more for "
                + "latency-bound cases) are noise. Use `bench/run --long` for numbers to quote.\n");
        if (!notes.isEmpty()) {
            md.append("\n## Notes from this run\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        md.append("\n## Every result\n\nB/op: bytes allocated per operation, as JMH's GC profiler reports it "
                + "(`gc.alloc.rate.norm`).\n\n| Benchmark | ops/s | B/op |\n|---|---:|---:|\n");
        scores.forEach((id, s) -> md.append("| `").append(id).append("` | ").append(opsText(id)).append(" | ")
                .append(Double.isFinite(s.bytesPerOp()) ? String.format("%,.0f", s.bytesPerOp()) : "n/a").append(" |\n"));
        // sections written by hand (targeted runs) follow the marker; a regeneration keeps them
        if (Files.exists(file)) {
            String old = Files.readString(file);
            int at = old.indexOf(HAND_WRITTEN);
            if (at >= 0) {
                md.append('\n').append(old.substring(at));
            }
        }
        Files.writeString(file, md.toString());
    }

    /** The line after which the page's hand-written sections start. */
    static final String HAND_WRITTEN = "<!-- written by hand below this line: bench/run keeps it -->";
}
