package io.brickworks.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.tx.PostCommit;
import io.brickworks.tx.TransactionalCache;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The post-commit promise under the faults that break it, on the real PostgreSQL: a cache change
 * registered in a session happens only when the database commit succeeded. The faults are the server
 * ending the session's connection between its last statement and the commit
 * ({@code pg_terminate_backend}), and a commit refused by a deferred constraint. The negative control
 * plants the bug (a driver that hides a failed commit) and shows that the same check then fails.
 */
class PostCommitFaultTest {

    private final List<String> ran = new CopyOnWriteArrayList<>();
    private BrickworksCache cache;
    private TransactionalCache txCache;
    private Db admin;
    private String table;

    @BeforeAll
    static void postgresIsRunning() {
        Postgres.requireRunning();
    }

    @BeforeEach
    void setUp() {
        cache = BrickworksCache.builder().settings(CacheSettings.builder().build()).build();
        txCache = TransactionalCache.of(cache);
        admin = Db.builder().settings(Postgres.settings()).build();
        table = "bw_fault_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin.useSession(s -> s.update("CREATE TABLE " + table
                + " (id INT, CONSTRAINT " + table + "_u UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)"));
    }

    @AfterEach
    void tearDown() {
        try {
            admin.useSession(s -> s.update("DROP TABLE " + table));
        } finally {
            admin.close();
            cache.close();
        }
    }

    /** What a session left behind: the callbacks that ran, the cache entry, the rows. */
    private record Outcome(List<String> callbacks, String cached, List<Integer> rows, Throwable thrown) {
    }

    /** The check every fault must pass: nothing of the failed transaction is seen anywhere. */
    private static void assertNothingApplied(Outcome outcome) {
        assertThat(outcome.thrown()).as("the caller is told that the commit failed").isInstanceOf(DbException.class);
        assertThat(outcome.callbacks()).as("post-commit callbacks that ran").isEmpty();
        assertThat(outcome.cached()).as("cache entry written after a failed commit").isNull();
        assertThat(outcome.rows()).as("rows of the failed transaction").isEmpty();
    }

    /** One session on {@code db}: a row, a plain callback and a transactional cache write; then {@code fault}. */
    private Outcome runSession(Db db, SessionFault fault) {
        ran.clear();
        Throwable thrown = null;
        try {
            db.useSession(s -> {
                s.update("INSERT INTO " + table + " (id) VALUES (1)");
                PostCommit.register(() -> ran.add("callback"));
                txCache.setKey("user-1", "written after commit");
                fault.apply(s);
            });
        } catch (RuntimeException | SQLException e) {
            thrown = e;
        }
        List<Integer> rows = admin.inSession(s -> s.query("SELECT id FROM " + table, row -> row.getInt(1)));
        return new Outcome(List.copyOf(ran), cache.getKey("user-1").join(), rows, thrown);
    }

    @FunctionalInterface
    private interface SessionFault {
        void apply(DbSession session) throws SQLException;
    }

    /** The server ends the session's connection after its last statement, before the commit. */
    private static final SessionFault KILL_CONNECTION = s -> {
        int pid = s.queryFirst("SELECT pg_backend_pid()", row -> row.getInt(1)).orElseThrow();
        try (Connection other = DriverManager.getConnection(Postgres.URL, "postgres", null)) {
            other.createStatement().execute("SELECT pg_terminate_backend(" + pid + ")");
        }
    };

    /** A second row that the deferred unique constraint refuses at the commit, not at the statement. */
    private final SessionFault deferredViolation = s -> s.update("INSERT INTO " + table + " (id) VALUES (1)");

    @Test
    void theServerEndingTheConnectionBeforeTheCommitRunsNoCallback() {
        try (Db db = Db.builder().settings(Postgres.settings()).build()) {
            assertNothingApplied(runSession(db, KILL_CONNECTION));
        }
    }

    @Test
    void aCommitRefusedByADeferredConstraintRunsNoCallback() {
        try (Db db = Db.builder().settings(Postgres.settings()).build()) {
            assertNothingApplied(runSession(db, deferredViolation));
        }
    }

    @Test
    void withoutAFaultTheSameSessionAppliesEverything() {
        try (Db db = Db.builder().settings(Postgres.settings()).build()) {
            Outcome outcome = runSession(db, s -> { });
            assertThat(outcome.thrown()).isNull();
            assertThat(outcome.callbacks()).containsExactly("callback");
            assertThat(outcome.cached()).isEqualTo("written after commit");
            assertThat(outcome.rows()).containsExactly(1);
        }
    }

    // ------------------------------------------------------------------ negative control

    @Test
    void negativeControlADriverThatHidesAFailedCommitIsCaughtByTheSameCheck() {
        Db db = Db.builder().dataSource(lyingDataSource()).build();
        try {
            Outcome killed = runSession(db, KILL_CONNECTION);
            assertThatThrownBy(() -> assertNothingApplied(killed)).isInstanceOf(AssertionError.class);
            Outcome refused = runSession(db, deferredViolation);
            assertThatThrownBy(() -> assertNothingApplied(refused)).isInstanceOf(AssertionError.class);
            assertThat(refused.callbacks()).as("the planted bug runs the callbacks of a failed commit")
                    .containsExactly("callback");
        } finally {
            db.close();
        }
    }

    /** Plain connections to the test database whose {@code commit()} swallows every failure. */
    private static DataSource lyingDataSource() {
        InvocationHandler source = (proxy, method, args) -> {
            if (method.getName().equals("getConnection")) {
                Connection real = DriverManager.getConnection(Postgres.URL, "postgres", null);
                return Proxy.newProxyInstance(PostCommitFaultTest.class.getClassLoader(),
                        new Class<?>[] {Connection.class}, (p, m, a) -> {
                            try {
                                return m.invoke(real, a);
                            } catch (InvocationTargetException e) {
                                if (m.getName().equals("commit")) {
                                    return null;
                                }
                                throw e.getCause();
                            }
                        });
            }
            if (method.getName().equals("toString")) {
                return "lying data source";
            }
            throw new UnsupportedOperationException(method.getName());
        };
        return (DataSource) Proxy.newProxyInstance(PostCommitFaultTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, source);
    }
}
