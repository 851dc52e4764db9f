package io.brickworks.cache.jcache.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.ChildJvm;
import io.brickworks.cache.tck.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hibernate's second-level cache through hibernate-jcache and this provider, shared by two JVM
 * processes (this one and a {@link HibernateReplica}) on one redis-server with the near cache on, over
 * the PostgreSQL of the test machine (tables {@code jc26_*}). A read in this process after a commit in
 * the other never returns the old state (read-write, nonstrict-read-write; read-only entities created
 * there are read here), a cached collection read here after the other process added or removed an
 * element is the new one, a lookup by natural id here after the other process changed the natural id
 * or deleted the entity never returns the old mapping, the query cache is invalidated by the other
 * process's write, and concurrent updates of the same entities from both processes leave every cached
 * entity equal to its row. The negative controls make the same changes behind Hibernate's back (plain
 * JDBC, a writer that is not this library): the same checks then see the entity, the collection and
 * the natural-id mapping stale, so they do detect staleness.
 */
class HibernateSecondLevelCacheTest {

    private static RedisServer redis;
    private static Path dir;
    private static SessionFactory sf;
    private static BrickworksCache queues;
    private static Process replica;
    private static Path replicaOut;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        dir = Files.createTempDirectory("jc26-hibernate");
        Path props = Jc26Hibernate.writeJCacheProperties(dir, redis.port());
        sf = Jc26Hibernate.open(props, true, "create");
        queues = BrickworksCache.builder().settings(CacheSettings.builder().useRedis(true).redisHost(redis.host())
                .redisPort(redis.port()).build()).build();
        replicaOut = dir.resolve("replica.log");
        replica = ChildJvm.start(replicaOut, List.of(), HibernateReplica.class, props.toString(),
                Integer.toString(redis.port()));
        await().atMost(Duration.ofSeconds(120)).until(() -> ChildJvm.output(replicaOut).contains("ready"));
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            queues.blocking().pushToQueue("jc26.cmd", "exit");
            replica.destroyForcibly();
        }
        if (sf != null) {
            sf.close();
        }
        if (queues != null) {
            queues.close();
        }
        redis.close();
    }

    /** Runs a command in the other process and waits for it to be committed there. */
    private static void inOtherProcess(String command) {
        queues.blocking().pushToQueue("jc26.cmd", command);
        String reply = queues.blocking().popFromQueue("jc26.reply", Duration.ofSeconds(240));
        assertThat(reply).as("reply to %s; replica output: %s", command, ChildJvm.output(replicaOut)).isEqualTo("ok");
    }

    private static String cachedName(Class<?> type, long id) {
        return sf.fromSession(s -> {
            Object e = s.find(type, id);
            if (e instanceof JcReadWriteItem rw) {
                return rw.name;
            }
            if (e instanceof JcNonstrictItem ns) {
                return ns.name;
            }
            return e == null ? null : ((JcReadOnlyItem) e).name;
        });
    }

    private static String cachedState(long id) {
        return sf.fromSession(s -> {
            JcReadWriteItem e = s.find(JcReadWriteItem.class, id);
            return e.name + "/" + e.counter;
        });
    }

    @Test
    void readWriteEntityIsNeverStaleAfterACommitInTheOtherProcess() {
        sf.inTransaction(s -> s.persist(new JcReadWriteItem(100L, "first")));
        Statistics stats = sf.getStatistics();
        assertThat(cachedName(JcReadWriteItem.class, 100)).isEqualTo("first");
        long hits = stats.getSecondLevelCacheHitCount();
        assertThat(cachedName(JcReadWriteItem.class, 100)).isEqualTo("first");
        assertThat(stats.getSecondLevelCacheHitCount()).as("served by the second-level cache").isGreaterThan(hits);

        for (int i = 0; i < 20; i++) {
            inOtherProcess("rename-rw 100 second-" + i);
            assertThat(cachedName(JcReadWriteItem.class, 100)).isEqualTo("second-" + i);
        }
    }

    @Test
    void nonstrictEntityIsNeverStaleAfterACommitInTheOtherProcess() {
        sf.inTransaction(s -> s.persist(new JcNonstrictItem(300L, "first")));
        assertThat(cachedName(JcNonstrictItem.class, 300)).isEqualTo("first");
        for (int i = 0; i < 20; i++) {
            inOtherProcess("rename-ns 300 second-" + i);
            assertThat(cachedName(JcNonstrictItem.class, 300)).isEqualTo("second-" + i);
        }
    }

    @Test
    void readOnlyEntityCreatedInTheOtherProcessIsReadHereFromTheCache() {
        inOtherProcess("insert-ro 200 made-there");
        Statistics stats = sf.getStatistics();
        assertThat(cachedName(JcReadOnlyItem.class, 200)).isEqualTo("made-there");
        long hits = stats.getSecondLevelCacheHitCount();
        assertThat(cachedName(JcReadOnlyItem.class, 200)).isEqualTo("made-there");
        assertThat(stats.getSecondLevelCacheHitCount()).isGreaterThan(hits);
    }

    private static String cachedQuery(String query) {
        return sf.fromSession(s -> s.createQuery(query, String.class).setParameter("id", 400L)
                .setCacheable(true).getSingleResult());
    }

    @Test
    void queryCacheIsInvalidatedByAWriteInTheOtherProcess() {
        sf.inTransaction(s -> s.persist(new JcReadWriteItem(400L, "before")));
        Statistics stats = sf.getStatistics();
        String query = "select i.name from JcReadWriteItem i where i.id = :id";
        assertThat(cachedQuery(query)).isEqualTo("before");
        long queryHits = stats.getQueryCacheHitCount();
        assertThat(cachedQuery(query)).isEqualTo("before");
        assertThat(stats.getQueryCacheHitCount()).as("served by the query cache").isGreaterThan(queryHits);

        inOtherProcess("rename-rw 400 after");
        assertThat(cachedQuery(query)).isEqualTo("after");
    }

    @Test
    void concurrentUpdatesFromBothProcessesLeaveTheCacheEqualToTheDatabase() throws Exception {
        int items = 5;
        int times = 20;
        sf.inTransaction(s -> {
            for (long id = 500; id < 500 + items; id++) {
                s.persist(new JcReadWriteItem(id, "n" + id));
            }
        });
        CompletableFuture<Void> there = CompletableFuture.runAsync(() ->
                inOtherProcess("increment 500 " + times + " " + items));
        for (int i = 0; i < times; i++) {
            for (long id = 500; id < 500 + items; id++) {
                Jc26Hibernate.increment(sf, id);
            }
        }
        there.get();
        for (long id = 500; id < 500 + items; id++) {
            assertThat(Jc26Hibernate.databaseState(id)).isEqualTo("n" + id + "/" + 2 * times);
            assertThat(cachedState(id)).as("item %d", id).isEqualTo(Jc26Hibernate.databaseState(id));
        }
    }

    @Test
    void negativeControlAWriteBehindHibernateIsSeenAsStale() throws Exception {
        sf.inTransaction(s -> s.persist(new JcReadWriteItem(600L, "cached")));
        assertThat(cachedState(600)).isEqualTo("cached/0");
        inOtherProcess("behind 600 rename-rw changed");
        assertThat(Jc26Hibernate.databaseState(600)).isEqualTo("changed/0");
        assertThat(cachedState(600)).as("the check sees a cache that differs from the database")
                .isNotEqualTo(Jc26Hibernate.databaseState(600));
    }

    private static final String ELEMENTS = JcBasket.class.getName() + ".elements";

    /** The elements of basket {@code id}, sorted, read through a new session (collection cache). */
    private static String cachedElements(long id) {
        return sf.fromSession(s -> new TreeSet<>(s.find(JcBasket.class, id).elements).toString());
    }

    @Test
    void collectionIsNeverStaleAfterACommitInTheOtherProcess() {
        sf.inTransaction(s -> s.persist(new JcBasket(700L, Set.of("a"))));
        Statistics stats = sf.getStatistics();
        assertThat(cachedElements(700)).isEqualTo("[a]");
        long hits = stats.getCollectionStatistics(ELEMENTS).getCacheHitCount();
        assertThat(cachedElements(700)).isEqualTo("[a]");
        assertThat(stats.getCollectionStatistics(ELEMENTS).getCacheHitCount())
                .as("served by the collection cache").isGreaterThan(hits);

        for (int i = 0; i < 10; i++) {
            inOtherProcess("add-element 700 e" + i);
            assertThat(cachedElements(700)).isEqualTo(i == 0 ? "[a, e0]" : "[a, e" + (i - 1) + ", e" + i + "]");
            if (i > 0) {
                inOtherProcess("remove-element 700 e" + (i - 1));
                assertThat(cachedElements(700)).isEqualTo("[a, e" + i + "]");
            }
        }
    }

    /** The id of the country whose natural id is {@code code}, looked up by natural id in a new session. */
    private static Long byCode(String code) {
        return sf.fromSession(s -> {
            JcCountry c = s.bySimpleNaturalId(JcCountry.class).load(code);
            return c == null ? null : c.id;
        });
    }

    @Test
    void naturalIdIsNeverStaleAfterAChangeOrADeleteInTheOtherProcess() {
        sf.inTransaction(s -> s.persist(new JcCountry(800L, "c-first")));
        Statistics stats = sf.getStatistics();
        assertThat(byCode("c-first")).isEqualTo(800L);
        long hits = stats.getNaturalIdCacheHitCount();
        assertThat(byCode("c-first")).isEqualTo(800L);
        assertThat(stats.getNaturalIdCacheHitCount()).as("served by the natural-id cache").isGreaterThan(hits);

        String previous = "c-first";
        for (int i = 0; i < 10; i++) {
            inOtherProcess("code 800 c" + i);
            assertThat(byCode(previous)).as("the old natural id %s", previous).isNull();
            assertThat(byCode("c" + i)).isEqualTo(800L);
            previous = "c" + i;
        }
        inOtherProcess("delete-country 800");
        assertThat(byCode(previous)).as("the natural id of the deleted entity").isNull();
    }

    @Test
    void negativeControlAnElementAddedBehindHibernateLeavesTheCollectionStale() {
        sf.inTransaction(s -> s.persist(new JcBasket(900L, Set.of("a"))));
        assertThat(cachedElements(900)).isEqualTo("[a]");
        inOtherProcess("behind 900 add-element b");
        assertThat(cachedElements(900)).as("the collection check sees the old collection").isEqualTo("[a]");
    }

    @Test
    void negativeControlANaturalIdChangedBehindHibernateLeavesTheMappingStale() {
        sf.inTransaction(s -> s.persist(new JcCountry(900L, "n-first")));
        assertThat(byCode("n-first")).isEqualTo(900L);
        inOtherProcess("behind 900 code n-changed");
        assertThat(byCode("n-first")).as("the natural-id check sees the old mapping").isEqualTo(900L);
    }
}
