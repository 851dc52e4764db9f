package io.brickworks.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.tx.PostCommit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The session contract on the real PostgreSQL, through a HikariCP pool built from DB_* style settings. */
class PostgresDbSessionTest extends AbstractDbSessionTest {

    @BeforeAll
    static void postgresIsRunning() {
        Postgres.requireRunning();
    }

    @Override
    protected Db openDb() {
        return Db.builder().settings(Postgres.settings()).build();
    }

    @Test
    void aCommitThatFailsRollsBackAndDiscardsTheCallbacks() {
        String deferred = table + "_deferred";
        db.useSession(s -> s.update("CREATE TABLE " + deferred
                + " (id INT, CONSTRAINT " + deferred + "_u UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)"));
        try {
            assertThatThrownBy(() -> db.useSession(s -> {
                s.update("INSERT INTO " + deferred + " (id) VALUES (1), (1)");
                PostCommit.register(() -> ran.add("never"));
                PostCommit.register(() -> cache.setKey("k", "never"));
            })).isInstanceOf(DbException.class).hasMessageContaining("commit failed")
                    .satisfies(e -> assertThat(((DbException) e).sqlState()).isEqualTo("23505"));
            assertThat(ran).isEmpty();
            assertThat(cache.getKey("k").join()).isNull();
            List<Integer> rows = db.inSession(s -> s.query("SELECT id FROM " + deferred, row -> row.getInt(1)));
            assertThat(rows).isEmpty();
        } finally {
            db.useSession(s -> s.update("DROP TABLE " + deferred));
        }
    }

    @Test
    void aNestedScopeRecoversTheTransactionAfterAFailedStatement() {
        db.useSession(outer -> {
            outer.update("INSERT INTO " + table + " (id, name) VALUES (1, 'kept')");
            assertThatThrownBy(() -> db.useSession(inner -> {
                PostCommit.register(() -> ran.add("inner"));
                inner.update("INSERT INTO " + table + " (id, name) VALUES (1, 'duplicate')");
            })).isInstanceOf(DbException.class);
            // without the savepoint PostgreSQL would refuse every further statement in this transaction
            outer.update("INSERT INTO " + table + " (id, name) VALUES (2, 'after')");
            PostCommit.register(() -> ran.add("outer"));
        });
        assertThat(ids()).containsExactly(1, 2);
        assertThat(ran).containsExactly("outer");
    }
}
