package io.brickworks.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.Tenants;
import io.brickworks.tx.NoTransactionException;
import io.brickworks.tx.PostCommit;
import io.brickworks.tx.TransactionRolledBackException;
import io.brickworks.tx.TransactionalCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session and post-commit contract, run against every database (H2, PostgreSQL); the cache side
 * runs on the backend that {@link #openCache()} gives (memory unless a subclass says otherwise).
 */
abstract class AbstractDbSessionTest {

    protected Db db;
    protected BrickworksCache cache;
    protected TransactionalCache txCache;
    protected String table;
    protected final List<String> ran = new CopyOnWriteArrayList<>();

    /** A new database handle for one test; closed after it. */
    protected abstract Db openDb();

    /** The cache the callbacks write to; closed after each test. */
    protected BrickworksCache openCache() {
        return BrickworksCache.builder().settings(CacheSettings.builder().build()).build();
    }

    @BeforeEach
    void setUp() {
        db = openDb();
        cache = openCache();
        txCache = TransactionalCache.of(cache);
        table = "bw_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        db.useSession(s -> s.update("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(100))"));
    }

    @AfterEach
    void tearDown() {
        try {
            db.useSession(s -> s.update("DROP TABLE " + table));
        } finally {
            cache.close();
            db.close();
        }
    }

    private void insert(DbSession s, int id, String name) {
        s.update("INSERT INTO " + table + " (id, name) VALUES (?, ?)", id, name);
    }

    protected List<Integer> ids() {
        return db.inSession(s -> s.query("SELECT id FROM " + table + " ORDER BY id", row -> row.getInt(1)));
    }

    private String cached(String key) {
        return cache.getKey(key).join();
    }

    // ------------------------------------------------------------------ commit and rollback

    @Test
    void commitRunsCallbacksInOrderAndTheCacheShowsTheChangeWhenTheScopeReturns() {
        cache.setKey("user-1", "stale").join();
        String result = db.inSession(s -> {
            insert(s, 1, "Ada");
            PostCommit.register(() -> cache.deleteKey("user-1"));
            PostCommit.register(() -> ran.add("plain"));
            PostCommit.register(() -> CompletableFuture.supplyAsync(() -> "fresh")
                    .thenCompose(v -> cache.setKey("user-2", v)));
            s.addPostCommitCallback(() -> ran.add("via session"));
            assertThat(ran).isEmpty();
            assertThat(cached("user-1")).isEqualTo("stale");
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(ids()).containsExactly(1);
        assertThat(ran).containsExactly("plain", "via session");
        assertThat(cached("user-1")).isNull();
        assertThat(cached("user-2")).isEqualTo("fresh");
    }

    @Test
    void aThrowingBlockRollsBackRunsNoCallbackAndRethrowsTheSameException() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> db.useSession(s -> {
            insert(s, 1, "Ada");
            PostCommit.register(() -> ran.add("plain"));
            PostCommit.register(() -> cache.setKey("k", "v"));
            throw boom;
        })).isSameAs(boom);
        assertThat(ids()).isEmpty();
        assertThat(ran).isEmpty();
        assertThat(cached("k")).isNull();
        assertThat(Db.currentSession()).isEmpty();
    }

    @Test
    void checkedExceptionsPassThroughUnwrapped() {
        IOException failure = new IOException("disk");
        assertThatThrownBy(() -> db.<String, IOException>inSession(s -> {
            insert(s, 1, "Ada");
            PostCommit.register(() -> ran.add("never"));
            throw failure;
        })).isSameAs(failure);
        assertThat(ids()).isEmpty();
        assertThat(ran).isEmpty();
    }

    @Test
    void aFailingStatementRollsBackWithDbException() {
        assertThatThrownBy(() -> db.useSession(s -> {
            insert(s, 1, "Ada");
            PostCommit.register(() -> ran.add("never"));
            insert(s, 1, "duplicate");
        })).isInstanceOf(DbException.class).hasMessageContaining("INSERT INTO " + table)
                .satisfies(e -> assertThat(((DbException) e).sqlState()).startsWith("23"));
        assertThat(ids()).isEmpty();
        assertThat(ran).isEmpty();
    }

    @Test
    void aFailingCallbackDoesNotStopTheOthersOrUndoTheCommit() {
        db.useSession(s -> {
            insert(s, 1, "Ada");
            PostCommit.register(() -> ran.add("first"));
            PostCommit.register(() -> {
                throw new IllegalStateException("callback fails");
            });
            PostCommit.register(() -> CompletableFuture.failedFuture(new IllegalStateException("async fails")));
            PostCommit.register(() -> {
                throw new IOException("checked failure");
            });
            PostCommit.register(() -> cache.setKey("after", "yes"));
            PostCommit.register(() -> ran.add("last"));
        });
        assertThat(ids()).containsExactly(1);
        assertThat(ran).containsExactly("first", "last");
        assertThat(cached("after")).isEqualTo("yes");
    }

    @Test
    void callbacksRunOnceAfterTheSessionEndedAndMayOpenANewOne() {
        List<Optional<DbSession>> seen = new ArrayList<>();
        db.useSession(s -> {
            insert(s, 1, "Ada");
            PostCommit.register(() -> {
                seen.add(Db.currentSession());
                db.useSession(inner -> insert(inner, 2, "from callback"));
            });
        });
        assertThat(seen).containsExactly(Optional.empty());
        assertThat(ids()).containsExactly(1, 2);
    }

    // ------------------------------------------------------------------ current session

    @Test
    void theCurrentSessionIsFoundWithoutPassingItAndRestoredAfterTheScope() {
        assertThat(Db.currentSession()).isEmpty();
        DbSession[] outside = new DbSession[1];
        db.useSession(s -> {
            assertThat(Db.session()).isSameAs(s);
            assertThat(s.isOpen()).isTrue();
            insertThroughCurrentSession(3, "found");
            outside[0] = s;
        });
        assertThat(Db.currentSession()).isEmpty();
        assertThat(ids()).containsExactly(3);
        assertThat(outside[0].isOpen()).isFalse();
        assertThatThrownBy(() -> outside[0].update("DELETE FROM " + table)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> outside[0].addPostCommitCallback(() -> ran.add("x")))
                .isInstanceOf(IllegalStateException.class);
    }

    private void insertThroughCurrentSession(int id, String name) {
        Db.session().update("INSERT INTO " + table + " (id, name) VALUES (?, ?)", id, name);
    }

    @Test
    void outsideAnySessionRegisteringSaysHowToOpenOne() {
        assertThat(PostCommit.isTransactionActive()).isFalse();
        assertThatThrownBy(() -> PostCommit.register(() -> ran.add("x")))
                .isInstanceOf(NoTransactionException.class)
                .hasMessageContaining("none is active")
                .hasMessageContaining("db.useSession(session -> ...)");
        assertThatThrownBy(Db::session).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("db.useSession(session -> ...)");
    }

    @Test
    void statementHelpersBindParametersAndMapRows() {
        db.useSession(s -> {
            assertThat(s.update("INSERT INTO " + table + " (id, name) VALUES (?, ?), (?, ?)", 1, "Ada", 2, null))
                    .isEqualTo(2);
            assertThat(s.query("SELECT name FROM " + table + " ORDER BY id", row -> row.getString(1)))
                    .containsExactly("Ada", null);
            assertThat(s.queryFirst("SELECT name FROM " + table + " WHERE id = ?", row -> row.getString(1), 1))
                    .contains("Ada");
            assertThat(s.queryFirst("SELECT name FROM " + table + " WHERE id = ?", row -> row.getString(1), 99))
                    .isEmpty();
            assertThat(s.update("UPDATE " + table + " SET name = ? WHERE id = ?", "Grace", 2)).isEqualTo(1);
        });
        List<String> names = db.inSession(s -> s.query("SELECT name FROM " + table + " ORDER BY id",
                row -> row.getString(1)));
        assertThat(names).containsExactly("Ada", "Grace");
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsDone() {
        db.useSession(s -> {
            assertThatThrownBy(() -> s.update(" ")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sql");
            assertThatThrownBy(() -> s.update("DELETE FROM " + table, (Object[]) null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("params");
            assertThatThrownBy(() -> s.query("SELECT 1", null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("mapper");
            assertThatThrownBy(() -> s.addPostCommitCallback((Runnable) null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callback");
            insert(s, 1, "kept");
        });
        assertThat(ids()).containsExactly(1);
        assertThatThrownBy(() -> db.useSession(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("work");
    }

    // ------------------------------------------------------------------ threads

    @Test
    void twoSessionsOnParallelThreadsKeepTheirCallbacksApart() throws Exception {
        CountDownLatch bothOpen = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> committing = pool.submit(() -> db.useSession(s -> {
                insert(s, 1, "A");
                PostCommit.register(() -> ran.add("A-1"));
                meet(bothOpen);
                PostCommit.register(() -> cache.setKey("A", "committed"));
                PostCommit.register(() -> ran.add("A-2"));
            }));
            Future<?> rollingBack = pool.submit(() -> db.useSession(s -> {
                insert(s, 2, "B");
                PostCommit.register(() -> ran.add("B-1"));
                meet(bothOpen);
                PostCommit.register(() -> cache.setKey("B", "committed"));
                throw new IllegalStateException("B rolls back");
            }));
            committing.get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> rollingBack.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("B rolls back");
        } finally {
            pool.shutdownNow();
        }
        assertThat(ran).containsExactly("A-1", "A-2");
        assertThat(cached("A")).isEqualTo("committed");
        assertThat(cached("B")).isNull();
        assertThat(ids()).containsExactly(1);
    }

    private static void meet(CountDownLatch latch) {
        latch.countDown();
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other session did not open");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ nested scopes

    @Test
    void aNestedScopeThatThrowsRollsBackToItsSavepointAndDiscardsItsCallbacks() {
        db.useSession(outer -> {
            insert(outer, 1, "outer");
            PostCommit.register(() -> ran.add("outer-before"));
            assertThatThrownBy(() -> db.useSession(inner -> {
                assertThat(inner).isSameAs(outer);
                assertThat(inner.nestingLevel()).isEqualTo(1);
                insert(inner, 2, "inner");
                PostCommit.register(() -> ran.add("inner"));
                txCache.setKey("inner", "never");
                throw new IllegalStateException("inner fails");
            })).hasMessage("inner fails");
            assertThat(outer.nestingLevel()).isZero();
            assertThat(Db.session()).isSameAs(outer);
            PostCommit.register(() -> ran.add("outer-after"));
            insert(outer, 3, "outer again");
        });
        assertThat(ids()).containsExactly(1, 3);
        assertThat(ran).containsExactly("outer-before", "outer-after");
        assertThat(cached("inner")).isNull();
    }

    @Test
    void aNestedScopeThatReturnsJoinsTheOuterAndItsCallbacksWaitForTheOuterCommit() {
        db.useSession(outer -> {
            PostCommit.register(() -> ran.add("outer-1"));
            int level = db.inSession(inner -> {
                insert(inner, 1, "inner");
                PostCommit.register(() -> ran.add("inner"));
                return inner.nestingLevel();
            });
            assertThat(level).isEqualTo(1);
            assertThat(ran).isEmpty();
            PostCommit.register(() -> ran.add("outer-2"));
        });
        assertThat(ran).containsExactly("outer-1", "inner", "outer-2");
        assertThat(ids()).containsExactly(1);
    }

    @Test
    void whenTheOuterScopeThrowsTheNestedScopesCallbacksAreDiscardedToo() {
        assertThatThrownBy(() -> db.useSession(outer -> {
            db.useSession(inner -> {
                insert(inner, 1, "inner");
                PostCommit.register(() -> ran.add("inner"));
            });
            throw new IllegalStateException("outer fails");
        })).hasMessage("outer fails");
        assertThat(ran).isEmpty();
        assertThat(ids()).isEmpty();
    }

    // ------------------------------------------------------------------ TransactionalCache

    @Test
    void transactionalCacheWritesAtOnceWithoutATransaction() {
        assertThat(txCache.setKey("k", "v").join()).isTrue();
        assertThat(cached("k")).isEqualTo("v");
        assertThat(txCache.pushToQueue("q", "item").join()).isEqualTo(1L);
        assertThat(txCache.deleteKey("k").join()).isTrue();
        assertThat(cached("k")).isNull();
        assertThat(cache.popFromQueue("q").join()).isEqualTo("item");
    }

    @Test
    void transactionalCacheWritesAfterTheCommit() {
        cache.setKey("user-1", "stale").join();
        List<CompletableFuture<?>> futures = new ArrayList<>();
        db.useSession(s -> {
            insert(s, 1, "Ada");
            futures.add(txCache.deleteKey("user-1"));
            futures.add(txCache.setKey("user-2", "Grace".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            futures.add(txCache.pushToQueue("events", "user-1 changed"));
            futures.add(txCache.addToSet("changed", List.of("user-1"), "default", java.time.Duration.ofMinutes(1)));
            assertThat(futures).allSatisfy(f -> assertThat(f).isNotDone());
            assertThat(cached("user-1")).isEqualTo("stale");
            assertThat(cache.popFromQueue("events").join()).isNull();
        });
        assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(futures.get(0).join()).isEqualTo(true);
        assertThat(cached("user-1")).isNull();
        assertThat(cached("user-2")).isEqualTo("Grace");
        assertThat(cache.popFromQueue("events").join()).isEqualTo("user-1 changed");
        assertThat(cache.isSetMember("changed", "user-1").join()).isTrue();
    }

    @Test
    void transactionalCacheWritesNothingOnRollbackAndItsFuturesSaySo() {
        cache.setKey("user-1", "kept").join();
        List<CompletableFuture<?>> futures = new ArrayList<>();
        assertThatThrownBy(() -> db.useSession(s -> {
            insert(s, 1, "Ada");
            futures.add(txCache.deleteKey("user-1"));
            futures.add(txCache.pushToQueue("events", "never"));
            throw new IllegalStateException("rollback");
        })).hasMessage("rollback");
        assertThat(futures).allSatisfy(f -> {
            assertThat(f).isCancelled();
            assertThatThrownBy(f::join).isInstanceOf(TransactionRolledBackException.class);
        });
        assertThat(cached("user-1")).isEqualTo("kept");
        assertThat(cache.popFromQueue("events").join()).isNull();
    }

    @Test
    void transactionalCacheRejectsBadArgumentsAtTheCallAndRegistersNothing() {
        db.useSession(s -> {
            assertThatThrownBy(() -> txCache.setKey("a:b", "v")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("key").hasMessageContaining("a:b");
            assertThatThrownBy(() -> txCache.setKey("k", (String) null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("value");
            assertThatThrownBy(() -> txCache.deleteKey("k", "")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("namespace");
            assertThatThrownBy(() -> txCache.addToSet("s", List.of(), "default", java.time.Duration.ofMinutes(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("values");
            assertThatThrownBy(() -> txCache.addToSet("s", List.of("x"), "default", java.time.Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expire");
            s.addPostCommitCallback(() -> ran.add("only"));
        });
        assertThat(ran).containsExactly("only");
        assertThat(cached("k")).isNull();
        assertThat(cache.getSetMembers("s").join()).isEmpty();
    }

    @Test
    void transactionalCacheWritesInTheTenantOfTheCall() {
        try (BrickworksCache tenanted = BrickworksCache.builder()
                .settings(CacheSettings.builder().multiTenancyEnabled(true).build()).build()) {
            TransactionalCache tx = TransactionalCache.of(tenanted);
            db.useSession(s -> {
                Tenants.run("acme", () -> tx.setKey("k", "for acme"));
                assertThatThrownBy(() -> tx.setKey("k", "no tenant")).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("tenant");
            });
            assertThat(tenanted.forTenant("acme").getKey("k").join()).isEqualTo("for acme");
            assertThat(tenanted.masterTenant().getKey("k").join()).isNull();
        }
    }
}
