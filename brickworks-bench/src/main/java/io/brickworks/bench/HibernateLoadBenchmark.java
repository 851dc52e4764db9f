package io.brickworks.bench;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.hibernate.SessionFactory;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;
import org.hibernate.cfg.Configuration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Hibernate entity load by id (a new session each time) on the PostgreSQL at 127.0.0.1:5432 (table
 * {@code jc26_bench_item}, 1,000 rows): with the second-level cache through hibernate-jcache and this
 * provider on Redis with the near cache (every entity loaded once before measuring), and without a
 * second-level cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HibernateLoadBenchmark {

    static final int ROWS = 1_000;

    /** The benchmark's entity. */
    @Entity
    @Table(name = "jc26_bench_item")
    @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
    public static class BenchItem {
        @Id
        public Long id;
        public String name;
        public long amount;
    }

    @Param({"l2-near-cache", "no-l2"})
    public String cache;

    private SessionFactory sf;

    @Setup(Level.Trial)
    public void open() throws Exception {
        Configuration c = new Configuration().addAnnotatedClass(BenchItem.class)
                .setProperty("hibernate.connection.url", "jdbc:postgresql://127.0.0.1:5432/test")
                .setProperty("hibernate.connection.username", "postgres")
                .setProperty("hibernate.connection.pool_size", "2")
                .setProperty("hibernate.hbm2ddl.auto", "create");
        if (cache.equals("l2-near-cache")) {
            Path props = Files.createTempFile("jc26-bench", ".properties");
            Files.writeString(props, "USE_REDIS=1\nREDIS_HOST=127.0.0.1\nREDIS_PORT=" + BenchRedis.port()
                    + "\nNEAR_CACHE=1\nJCACHE_NAMESPACE=hibernate\nJCACHE_ALLOWED_TYPES=org.hibernate.cache.*\n");
            c.setProperty("hibernate.cache.use_second_level_cache", "true")
                    .setProperty("hibernate.cache.region.factory_class", "jcache")
                    .setProperty("hibernate.javax.cache.provider", "io.brickworks.cache.jcache.BrickworksCachingProvider")
                    .setProperty("hibernate.javax.cache.uri", props.toUri().toString())
                    .setProperty("hibernate.javax.cache.missing_cache_strategy", "create");
        } else {
            c.setProperty("hibernate.cache.use_second_level_cache", "false");
        }
        sf = c.buildSessionFactory();
        sf.inTransaction(s -> {
            for (long id = 0; id < ROWS; id++) {
                BenchItem item = new BenchItem();
                item.id = id;
                item.name = "item " + id;
                item.amount = id * 7;
                s.persist(item);
            }
        });
        for (long id = 0; id < ROWS; id++) {
            long k = id;
            sf.fromSession(s -> s.find(BenchItem.class, k));
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        sf.close();
    }

    @Benchmark
    @Threads(1)
    public Object loadById() {
        long id = ThreadLocalRandom.current().nextInt(ROWS);
        return sf.fromSession(s -> s.find(BenchItem.class, id));
    }
}
