package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.spi.QueueKeys;
import io.brickworks.cache.tck.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged delivery across processes and crashes: one producer and three consumer JVMs
 * ({@link QueueProcess}) on a redis-server that this test starts with {@code appendfsync always}.
 * 10,000 jobs pushed the original's way, then 400 with job ids (each pushed twice: the second is a
 * duplicate) and priorities 0-3; the consumers share a concurrency limit of {@value QueueProcess#LIMIT}.
 * One consumer is killed with SIGKILL while it has jobs in flight, and the redis-server is killed
 * and restarted once while the others work. Every job must be processed and acknowledged (the
 * queue's records end empty), the deliveries in flight, sampled all along, never exceed the
 * limit; duplicates are counted and reported.
 */
class RedisQueueProcessesTest {

    private static final int JOBS = 10_000;
    private static final int UNIQUE_JOBS = 400;
    private static final String QUEUE = "jobs";
    private static final Duration VISIBILITY = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private RedisServer redis;

    @AfterEach
    void stop() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private Process spawn(Path out, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath, QueueProcess.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        processes.add(p);
        return p;
    }

    private static List<String> lines(Path out) {
        try {
            return Files.exists(out) ? Files.readAllLines(out) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many times each job was processed, over the outputs of every consumer. */
    private static Map<String, Integer> processed(List<Path> outputs) {
        Map<String, Integer> counts = new HashMap<>();
        for (Path out : outputs) {
            for (String line : lines(out)) {
                if (line.startsWith("DONE ")) {
                    counts.merge(line.split(" ")[1], 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void noJobIsLostWhenAConsumerIsKilledAndRedisRestarts() throws Exception {
        redis = RedisServer.start("--appendonly", "yes", "--appendfsync", "always");
        String port = String.valueOf(redis.port());
        List<Path> outputs = new ArrayList<>();
        List<Process> consumers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path out = dir.resolve("consumer-" + i + ".log");
            outputs.add(out);
            consumers.add(spawn(out, "consume", port, QUEUE, String.valueOf(VISIBILITY.toMillis())));
        }
        for (Path out : outputs) {
            await().atMost(Duration.ofSeconds(60)).until(() -> lines(out).contains("READY"));
        }
        Path producerOut = dir.resolve("producer.log");
        Process producer = spawn(producerOut, "produce", port, QUEUE, String.valueOf(JOBS),
                String.valueOf(UNIQUE_JOBS));
        QueueKeys keys = QueueKeys.of("brickworks:public:default:" + QUEUE);
        AtomicLong mostInFlight = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(() -> {
            try {
                mostInFlight.accumulateAndGet(Long.parseLong(redis.cli("ZCARD", keys.inflight())), Math::max);
            } catch (RuntimeException restarting) {
                // Redis is down for its restart
            }
        }, 0, 20, TimeUnit.MILLISECONDS);

        // SIGKILL the first consumer while it works
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> processed(outputs.subList(0, 1)).size() >= 300);
        Process victim = consumers.get(0);
        victim.destroyForcibly();
        assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
        int doneByVictim = total(processed(outputs.subList(0, 1)));

        assertThat(producer.waitFor(60, TimeUnit.SECONDS)).as("the producer finished").isTrue();
        assertThat(lines(producerOut)).as("producer output").contains("PUSHED " + JOBS)
                .contains("DUPLICATES " + UNIQUE_JOBS);

        // kill and restart Redis while the others work
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> processed(outputs).size() >= JOBS / 2);
        int beforeRestart = processed(outputs).size();
        redis.kill();
        redis.restart();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> processed(outputs).size() == JOBS + UNIQUE_JOBS
                        && "0".equals(redis.cli("HLEN", keys.items()))
                        && "0".equals(redis.cli("EXISTS", keys.list(), keys.staging(), keys.inflight(),
                                keys.delayed(), keys.dead(), keys.priorities().get(0), keys.priorities().get(1),
                                keys.priorities().get(2), keys.jobs(), keys.jobOf())));
        sampler.shutdownNow();

        Map<String, Integer> counts = processed(outputs);
        int duplicates = total(counts) - counts.size();
        System.out.printf("queue processes: %d jobs, all processed and acknowledged; %d processed by the killed "
                + "consumer before SIGKILL; %d done before the Redis restart; %d duplicate deliveries; at most %d "
                + "in flight%n", JOBS + UNIQUE_JOBS, doneByVictim, beforeRestart, duplicates, mostInFlight.get());
        assertThat(counts).hasSize(JOBS + UNIQUE_JOBS);
        for (int i = 0; i < JOBS; i++) {
            assertThat(counts).containsKey(String.format("job-%05d", i));
        }
        for (int i = 0; i < UNIQUE_JOBS; i++) {
            assertThat(counts).containsKey(String.format("prio-%05d", i));
        }
        assertThat(mostInFlight.get()).as("deliveries in flight at once, over all consumers")
                .isPositive().isLessThanOrEqualTo(QueueProcess.LIMIT);
        // duplicates come from the killed consumer's in-flight jobs and the acknowledgements lost with Redis
        assertThat(duplicates).as("duplicate deliveries").isLessThan(100);
    }
}
