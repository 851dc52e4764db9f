package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;


import io.brickworks.cache.tck.RedisServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVM processes ({@link NearCacheProcess}) on the shared redis-server: one writes
 * random keys for {@link #WRITE_SECONDS} s (20 by default, to keep CI time bounded; the 60 s
 * with {@code -Dbrickworks.test.nearCacheSeconds=60}), the other reads them through its near cache.
 * After one second of quiet, every entry the reader holds equals Redis's value; the worst lag (how
 * long after a newer write had completed a read still returned an older value) is printed, not
 * asserted (no timing assertions on a shared machine). The second test does the same on a server of
 * its own with a {@code FLUSHALL}, a {@code CLIENT KILL} of every connection and a restart of Redis in
 * the middle.
 */
class NearCacheProcessesTest {

    static final int WRITE_SECONDS = Integer.getInteger("brickworks.test.nearCacheSeconds", 20);

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killChildren() {
        processes.forEach(Process::destroyForcibly);
    }

    private Process spawn(Path out, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-cp", classPath,
                NearCacheProcess.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        processes.add(p);
        return p;
    }

    private static String output(Path out) throws IOException {
        return Files.exists(out) ? Files.readString(out) : "";
    }

    @Test
    void aReaderOnAnotherProcessEndsWithZeroStaleEntries() throws Exception {
        RedisServer redis = SharedRedis.server();
        redis.flushAll();
        String result = readWhileWriting(redis, writes -> { });

        Lag lag = Lag.of(dir.resolve("writes.log"), dir.resolve("reads.log"));
        assertThat(lag.reads).isPositive();
        System.out.printf("near cache across processes: %d writes, %d reads, %s; %d reads returned a value older "
                + "than a completed write, worst lag %.3f ms%n", lag.writes, lag.reads, held(result), lag.lateReads,
                lag.worstMicros / 1000.0);
    }

    @Test
    void zeroStaleEntriesAcrossProcessesAfterFlushKillAndRestart() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            String result = readWhileWriting(redis, writes -> {
                // each fault comes after the writer has completed more writes since the one before
                awaitMoreWrites(writes);
                redis.cli("FLUSHALL");
                awaitMoreWrites(writes);
                // every client connection: the reader's tracking and main connections and the writer's
                redis.cli("CLIENT", "KILL", "TYPE", "normal");
                awaitMoreWrites(writes);
                redis.restart();
            });
            // (checked in readWhileWriting: entries held again after the restart, none differing from Redis)
            System.out.printf("near cache across processes with FLUSHALL, CLIENT KILL and a restart: %s%n",
                    held(result));
        }
    }

    /** What is done to Redis while the writer writes, given the writer's log of completed writes. */
    @FunctionalInterface
    private interface DuringWrites {
        void run(Path writes) throws Exception;
    }

    /**
     * Starts the reader, then the writer for {@link #WRITE_SECONDS} s, runs {@code during} meanwhile,
     * stops the reader after the writer and checks that it holds entries, none of them stale; returns
     * the reader's output. The logs are {@code writes.log} and {@code reads.log} in {@link #dir}.
     */
    private String readWhileWriting(RedisServer redis, DuringWrites during) throws Exception {
        Path readerOut = dir.resolve("reader.out");
        Path writerOut = dir.resolve("writer.out");
        Path writes = dir.resolve("writes.log");
        Process reader = spawn(readerOut, "read", String.valueOf(redis.port()), dir.resolve("reads.log").toString());
        await().atMost(Duration.ofSeconds(60)).until(() -> output(readerOut).contains("READY") || !reader.isAlive());
        assertThat(output(readerOut)).contains("READY");
        Process writer = spawn(writerOut, "write", String.valueOf(redis.port()), String.valueOf(WRITE_SECONDS),
                writes.toString());
        during.run(writes);
        assertThat(writer.waitFor(WRITE_SECONDS + 60, TimeUnit.SECONDS)).as(output(writerOut)).isTrue();
        assertThat(output(writerOut)).contains("WROTE");
        try (OutputStream stop = reader.getOutputStream()) {
            stop.write("STOP\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(reader.waitFor(60, TimeUnit.SECONDS)).as(output(readerOut)).isTrue();
        String result = output(readerOut);
        assertThat(result).as(result).containsPattern("HELD [1-9]\\d* STALE 0\\b");
        return result;
    }

    private static String held(String readerOutput) {
        return readerOutput.lines().filter(l -> l.startsWith("HELD")).findFirst().orElse("");
    }

    /** Waits until the writer's log of completed writes has grown by a few thousand writes. */
    private static void awaitMoreWrites(Path writes) throws IOException {
        long before = Files.exists(writes) ? Files.size(writes) : 0;
        await().atMost(Duration.ofSeconds(WRITE_SECONDS)).until(() -> Files.exists(writes)
                && Files.size(writes) >= before + 64 * 1024);
    }

    /**
     * For each read of key k that returned value v at time R: if the write after v to k had
     * completed at C before R, the read lagged by R - C.
     */
    record Lag(long writes, long reads, long lateReads, long worstMicros) {

        static Lag of(Path writes, Path reads) throws IOException {
            Map<Long, long[]> nextCompletion = new HashMap<>();
            Map<Integer, Long> lastValue = new HashMap<>();
            long writeCount = 0;
            // value -> completion time of the next write to the same key
            for (String line : Files.readAllLines(writes)) {
                String[] f = line.split(" ");
                if (f.length < 3) {
                    continue;
                }
                int key = Integer.parseInt(f[0]);
                long value = Long.parseLong(f[1]);
                long completed = Long.parseLong(f[2]);
                Long previous = lastValue.put(key, value);
                if (previous != null) {
                    nextCompletion.put(previous, new long[] {completed});
                }
                writeCount++;
            }
            long readCount = 0;
            long late = 0;
            long worst = 0;
            for (String line : Files.readAllLines(reads)) {
                String[] f = line.split(" ");
                if (f.length < 3) {
                    continue;
                }
                readCount++;
                long started = Long.parseLong(f[1]);
                long value = Long.parseLong(f[2]);
                long[] next = value < 0 ? null : nextCompletion.get(value);
                if (next != null && next[0] < started) {
                    late++;
                    worst = Math.max(worst, started - next[0]);
                }
            }
            return new Lag(writeCount, readCount, late, worst);
        }
    }
}
