package io.brickworks.spring.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.tck.ChildJvm;
import io.brickworks.cache.tck.RedisServer;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas of a Spring service ({@link ReplicaApp}) in separate JVM processes on one redis-server that
 * this class starts, running the same {@code @Scheduled(fixedRate)} job under {@link OnOneReplica}. The
 * shared record is a PostgreSQL table (127.0.0.1:5432, database {@code test}) in which each run takes
 * the next tick number and records its replica, fencing token, start and end.
 */
class OnOneReplicaProcessesTest {

    static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final List<Path> outputs = new ArrayList<>();
    private RedisServer redis;
    private Connection db;
    private String table;

    /** A redis-server and a table of runs for each test. */
    @BeforeEach
    void startRedisAndCreateTable() throws SQLException {
        redis = RedisServer.start();
        db = DriverManager.getConnection(JDBC_URL, "postgres", "");
        table = "one_replica_ticks_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id BIGSERIAL PRIMARY KEY, tick BIGINT NOT NULL, replica TEXT NOT NULL,"
                    + " token BIGINT NOT NULL, started_ms BIGINT NOT NULL, ended_ms BIGINT, lost BOOLEAN)");
        }
    }

    @AfterEach
    void stopReplicasAndDropTable() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        redis.close();
        try (Statement s = db.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
        db.close();
    }

    /** One recorded run of the job. */
    record Run(long tick, String replica, long token, long startedMs, Long endedMs, Boolean lost) {
    }

    private List<Run> runs() throws SQLException {
        List<Run> runs = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT tick, replica, token, started_ms, ended_ms, lost FROM " + table
                     + " ORDER BY started_ms, id")) {
            while (rs.next()) {
                runs.add(new Run(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        (Long) rs.getObject(5), (Boolean) rs.getObject(6)));
            }
        }
        return runs;
    }

    /** Starts a replica in its own JVM with the test class path and the job's settings. */
    private void replica(String id, Map<String, String> job) throws IOException {
        List<String> options = new ArrayList<>(List.of("-Dredis.port=" + redis.port(), "-Dreplica=" + id,
                "-Djob.table=" + table, "-Dorg.slf4j.simpleLogger.log.io.brickworks.spring.scheduling.OnOneReplica=debug"));
        job.forEach((k, v) -> options.add("-Djob." + k + "=" + v));
        Path out = dir.resolve(id + ".log");
        processes.add(ChildJvm.start(out, options, ReplicaApp.class));
        outputs.add(out);
    }

    private static String output(Path out) {
        return ChildJvm.output(out);
    }

    private static long count(Path out, String marker) {
        return output(out).lines().filter(line -> line.contains(marker)).count();
    }

    /** How often the replica's scheduler fired the job: runs plus skips. */
    private static long firings(Path out) {
        return count(out, "RUN ") + count(out, ": skipped, lock");
    }

    private void startReplicas(int n, Map<String, String> job) throws IOException {
        for (int i = 0; i < n; i++) {
            replica("replica-" + i, job);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> outputs.stream().allMatch(o -> output(o).contains("READY")));
    }

    private static Map<String, String> job(String name, long periodMs, String ttl, String atLeast, long workMs) {
        Map<String, String> job = new LinkedHashMap<>();
        job.put("name", name);
        job.put("period", String.valueOf(periodMs));
        job.put("ttl", ttl);
        job.put("atLeast", atLeast);
        job.put("work", String.valueOf(workMs));
        return job;
    }

    /** Every tick once, in order, without overlap in time, with strictly increasing fencing tokens. */
    private static void assertRunOnceEach(List<Run> runs) {
        assertThat(runs).isNotEmpty();
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            assertThat(run.tick()).as("run %d of %s: ticks are done once each, in order", i, runs).isEqualTo(i + 1);
            if (i > 0) {
                Run before = runs.get(i - 1);
                assertThat(before.endedMs()).as("run %s ended before %s started", before, run).isNotNull();
                assertThat(run.startedMs()).as("no overlap: %s after %s", run, before)
                        .isGreaterThanOrEqualTo(before.endedMs());
                assertThat(run.token()).as("fencing tokens increase: %s after %s", run, before)
                        .isGreaterThan(before.token());
            }
            assertThat(run.lost()).as("no run saw its lock lost: %s", run).isNotEqualTo(Boolean.TRUE);
        }
    }

    @Test
    void threeReplicasDoEveryTickOnceWithIncreasingFencingTokens() throws Exception {
        startReplicas(3, job("ticks", 250, "2s", "100ms", 30));
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250))
                .until(() -> outputs.stream().allMatch(o -> firings(o) >= 30));
        for (Process p : processes) {
            p.destroyForcibly();
        }
        List<Run> runs = runs();
        assertRunOnceEach(runs);
        assertThat(runs).hasSizeGreaterThanOrEqualTo(30);
        Map<String, Long> byReplica = new TreeMap<>();
        runs.forEach(r -> byReplica.merge(r.replica(), 1L, Long::sum));
        for (int i = 0; i < outputs.size(); i++) {
            System.out.printf("replica-%d: %d firings, %d runs%n", i, firings(outputs.get(i)),
                    count(outputs.get(i), "RUN "));
        }
        System.out.printf("%d ticks, each once; runs per replica %s; tokens %d..%d%n", runs.size(), byReplica,
                runs.get(0).token(), runs.get(runs.size() - 1).token());
    }

    @Test
    void aJobThreeTimesLongerThanItsTtlKeepsItsLock() throws Exception {
        startReplicas(3, job("long", 300, "1s", "0s", 3_500));
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250))
                .until(() -> runs().stream().filter(r -> r.endedMs() != null).count() >= 2);
        List<Run> runs = runs();
        assertRunOnceEach(runs);
        Run first = runs.get(0);
        assertThat(first.endedMs() - first.startedMs()).as("the run lasted more than three TTLs")
                .isGreaterThanOrEqualTo(3_000);
        assertThat(outputs.stream().mapToLong(o -> count(o, ": skipped, lock")).sum())
                .as("the other replicas fired meanwhile and were skipped").isPositive();
        System.out.printf("long runs (ttl 1 s): %s%n", runs);
    }

    @Test
    void aReplicaKilledMidJobIsFollowedByAnotherWithinItsTtl() throws Exception {
        Duration ttl = Duration.ofSeconds(2);
        startReplicas(3, job("killed", 200, "2s", "0s", 1_500));
        Run running = await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    List<Run> runs = runs();
                    return runs.isEmpty() ? null : runs.get(runs.size() - 1);
                }, r -> r != null && r.endedMs() == null);
        Process victim = processes.get(Integer.parseInt(running.replica().substring("replica-".length())));
        victim.destroyForcibly();
        assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long killedMs = System.currentTimeMillis();

        Run next = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> runs().stream().filter(r -> r.tick() == running.tick() + 1).findFirst().orElse(null),
                        r -> r != null);
        long gapMs = next.startedMs() - killedMs;
        System.out.printf("killed %s mid-job; %s ran tick %d %d ms after the kill (ttl %d ms)%n", running.replica(),
                next.replica(), next.tick(), gapMs, ttl.toMillis());
        assertThat(next.replica()).isNotEqualTo(running.replica());
        assertThat(next.token()).isGreaterThan(running.token());
        assertThat(next.startedMs()).as("the next tick started within the TTL plus one second of the kill")
                .isLessThanOrEqualTo(killedMs + ttl.toMillis() + 1_000);
        List<Run> runs = runs();
        assertThat(runs.get(runs.size() - 1).tick()).isEqualTo(runs.size());
    }
}
