package io.brickworks.spring.scheduling;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * One replica of a service, in its own JVM, for {@link OnOneReplicaProcessesTest}: a Spring context with
 * one {@code @Scheduled(fixedRate)} job under {@link OnOneReplica}, configured by system properties
 * ({@code redis.port}, {@code replica}, {@code job.*}). Each run of the job takes the next tick number
 * from a PostgreSQL table, records it with its replica, fencing token and start time, works for
 * {@code job.work} ms and records its end time and whether it saw its lock lost. Prints {@code READY}
 * when the context has started; skipped runs are logged at DEBUG by the annotation.
 */
public final class ReplicaApp {

    private ReplicaApp() {
    }

    public static void main(String[] args) throws Exception {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(Config.class);
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.currentThread().join();
        context.close();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @EnableOnOneReplica
    static class Config {
        @Bean
        BrickworksCache cache(@Value("${redis.port}") int port) {
            return BrickworksCache.builder().settings(CacheSettings.builder().useRedis(true)
                    .redisHost("127.0.0.1").redisPort(port).build()).build();
        }

        @Bean
        TickJob job(@Value("${replica}") String replica, @Value("${job.table}") String table,
                    @Value("${job.work}") long workMillis) throws SQLException {
            return new TickJob(replica, table, workMillis);
        }
    }

    /** The job: one tick of shared work per run, recorded in the shared table. */
    public static class TickJob {
        private final String replica;
        private final String table;
        private final long workMillis;
        private final Connection db;

        TickJob(String replica, String table, long workMillis) throws SQLException {
            this.replica = replica;
            this.table = table;
            this.workMillis = workMillis;
            this.db = DriverManager.getConnection(OnOneReplicaProcessesTest.JDBC_URL, "postgres", "");
        }

        @Scheduled(fixedRateString = "${job.period}")
        @OnOneReplica(name = "${job.name}", ttl = "${job.ttl}", lockAtLeastFor = "${job.atLeast}")
        public void tick() throws Exception {
            ReplicaLock lock = ReplicaLock.current();
            long id;
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + table
                    + " (tick, replica, token, started_ms) SELECT COALESCE(MAX(tick), 0) + 1, ?, ?, ? FROM " + table
                    + " RETURNING id, tick")) {
                insert.setString(1, replica);
                insert.setLong(2, lock.fencingToken());
                insert.setLong(3, System.currentTimeMillis());
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                    System.out.println("RUN " + rs.getLong(2) + " " + lock.fencingToken());
                    System.out.flush();
                }
            }
            Thread.sleep(workMillis);
            try (PreparedStatement update = db.prepareStatement("UPDATE " + table
                    + " SET ended_ms = ?, lost = ? WHERE id = ?")) {
                update.setLong(1, System.currentTimeMillis());
                update.setBoolean(2, lock.isLost());
                update.setLong(3, id);
                update.executeUpdate();
            }
        }
    }
}
