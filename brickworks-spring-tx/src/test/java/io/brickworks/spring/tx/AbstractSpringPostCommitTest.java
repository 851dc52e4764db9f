package io.brickworks.spring.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.db.Db;
import io.brickworks.tx.TransactionalCache;
import io.brickworks.tx.NoTransactionException;
import io.brickworks.tx.PostCommit;
import io.brickworks.tx.TransactionRolledBackException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Post-commit callbacks in Spring-managed transactions, with a real DataSourceTransactionManager and
 * TransactionTemplate, on every database a subclass gives.
 */
abstract class AbstractSpringPostCommitTest {

    private final List<String> ran = new CopyOnWriteArrayList<>();
    private BrickworksCache cache;
    private TransactionalCache txCache;
    private JdbcTemplate jdbc;
    private TransactionTemplate tx;
    private TransactionTemplate requiresNew;
    private TransactionTemplate nested;
    private String table;
    private DataSource ds;

    /** A data source of a fresh database or schema; called once per test. */
    protected abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        ds = dataSource();
        DataSourceTransactionManager manager = new DataSourceTransactionManager(ds);
        jdbc = new JdbcTemplate(ds);
        tx = new TransactionTemplate(manager);
        requiresNew = new TransactionTemplate(manager);
        requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        nested = new TransactionTemplate(manager);
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        cache = BrickworksCache.builder().settings(CacheSettings.builder().build()).build();
        txCache = TransactionalCache.of(cache);
        table = "bw_spring_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        jdbc.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(100))");
    }

    @AfterEach
    void tearDown() {
        try {
            jdbc.execute("DROP TABLE " + table);
        } finally {
            cache.close();
        }
    }

    private void insert(int id) {
        jdbc.update("INSERT INTO " + table + " (id, name) VALUES (?, ?)", id, "row " + id);
    }

    private List<Integer> ids() {
        return jdbc.queryForList("SELECT id FROM " + table + " ORDER BY id", Integer.class);
    }

    @Test
    void commitRunsTheCallbacksInOrderAndTheCacheShowsTheChangeWhenTheTemplateReturns() {
        cache.setKey("user-1", "stale").join();
        List<CompletableFuture<?>> futures = new ArrayList<>();
        tx.executeWithoutResult(status -> {
            insert(1);
            PostCommit.register(() -> ran.add("plain"));
            PostCommit.register(() -> CompletableFuture.supplyAsync(() -> "fresh").thenCompose(v -> cache.setKey("user-2", v)));
            futures.add(txCache.deleteKey("user-1"));
            PostCommit.register(() -> ran.add("last"));
            assertThat(ran).isEmpty();
            assertThat(cache.getKey("user-1").join()).isEqualTo("stale");
        });
        assertThat(ids()).containsExactly(1);
        assertThat(ran).containsExactly("plain", "last");
        assertThat(cache.getKey("user-1").join()).isNull();
        assertThat(cache.getKey("user-2").join()).isEqualTo("fresh");
        assertThat(futures.get(0).join()).isEqualTo(true);
    }

    @Test
    void aThrowingCallbackRollsBackAndRunsNothing() {
        List<CompletableFuture<?>> futures = new ArrayList<>();
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            insert(1);
            PostCommit.register(() -> ran.add("never"));
            futures.add(txCache.setKey("k", "never"));
            throw new IllegalStateException("rollback");
        })).hasMessage("rollback");
        assertThat(ids()).isEmpty();
        assertThat(ran).isEmpty();
        assertThat(cache.getKey("k").join()).isNull();
        assertThatThrownBy(() -> futures.get(0).join()).isInstanceOf(TransactionRolledBackException.class);
    }

    @Test
    void setRollbackOnlyRunsNothing() {
        tx.executeWithoutResult(status -> {
            insert(1);
            PostCommit.register(() -> ran.add("never"));
            status.setRollbackOnly();
        });
        assertThat(ids()).isEmpty();
        assertThat(ran).isEmpty();
    }

    @Test
    void aFailingCallbackDoesNotStopTheOthersOrUndoTheCommit() {
        tx.executeWithoutResult(status -> {
            insert(1);
            PostCommit.register(() -> ran.add("first"));
            PostCommit.register(() -> {
                throw new IllegalStateException("callback fails");
            });
            PostCommit.register(() -> CompletableFuture.failedFuture(new IllegalStateException("async fails")));
            PostCommit.register(() -> ran.add("last"));
        });
        assertThat(ids()).containsExactly(1);
        assertThat(ran).containsExactly("first", "last");
    }

    @Test
    void requiresNewKeepsTheCallbacksOfTheInnerTransactionApart() {
        tx.executeWithoutResult(outer -> {
            insert(1);
            PostCommit.register(() -> ran.add("outer"));
            requiresNew.executeWithoutResult(inner -> {
                insert(2);
                PostCommit.register(() -> ran.add("inner committed"));
            });
            assertThat(ran).containsExactly("inner committed");
            assertThatThrownBy(() -> requiresNew.executeWithoutResult(inner -> {
                insert(3);
                PostCommit.register(() -> ran.add("inner rolled back"));
                throw new IllegalStateException("inner fails");
            })).hasMessage("inner fails");
        });
        assertThat(ran).containsExactly("inner committed", "outer");
        assertThat(ids()).containsExactly(1, 2);
    }

    @Test
    void nestedPropagationRunsCallbacksOfARolledBackSavepointAsDocumented() {
        tx.executeWithoutResult(outer -> {
            insert(1);
            assertThatThrownBy(() -> nested.executeWithoutResult(inner -> {
                insert(2);
                PostCommit.register(() -> ran.add("inside the rolled-back savepoint"));
                throw new IllegalStateException("savepoint rolls back");
            })).hasMessage("savepoint rolls back");
        });
        assertThat(ids()).containsExactly(1);
        assertThat(ran).containsExactly("inside the rolled-back savepoint");
    }

    @Test
    void aBrickworksSessionOpenedInsideASpringTransactionTakesTheCallbacksFirst() {
        try (Db db = Db.builder().dataSource(ds).build()) {
            tx.executeWithoutResult(status -> {
                PostCommit.register(() -> ran.add("spring"));
                db.useSession(session -> {
                    session.update("INSERT INTO " + table + " (id, name) VALUES (?, ?)", 1, "session");
                    PostCommit.register(() -> ran.add("session"));
                });
                assertThat(ran).containsExactly("session");
            });
        }
        assertThat(ran).containsExactly("session", "spring");
        assertThat(ids()).containsExactly(1);
    }

    @Test
    void outsideATransactionRegisteringSaysHowToOpenOne() {
        assertThat(PostCommit.isTransactionActive()).isFalse();
        assertThatThrownBy(() -> PostCommit.register(() -> ran.add("x")))
                .isInstanceOf(NoTransactionException.class)
                .hasMessageContaining("db.useSession")
                .hasMessageContaining("@Transactional");
        assertThat(txCache.setKey("now", "v").join()).isTrue();
        assertThat(cache.getKey("now").join()).isEqualTo("v");
    }
}
