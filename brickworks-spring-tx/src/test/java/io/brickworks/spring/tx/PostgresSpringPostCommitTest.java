package io.brickworks.spring.tx;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/** The Spring bridge on the real PostgreSQL (127.0.0.1:5432, database test, user postgres). */
class PostgresSpringPostCommitTest extends AbstractSpringPostCommitTest {

    private static PGSimpleDataSource postgres() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {5432});
        ds.setDatabaseName("test");
        ds.setUser("postgres");
        return ds;
    }

    @BeforeAll
    static void postgresIsRunning() {
        try (Connection c = postgres().getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            fail("PostgreSQL is not reachable at 127.0.0.1:5432 (database 'test', user 'postgres', trust auth): "
                    + e.getMessage() + ". Start it with `service postgresql start` (or `pg_ctlcluster 15 main start`), "
                    + "create the database with `createdb -h 127.0.0.1 -U postgres test`, then run the tests again.", e);
        }
    }

    @Override
    protected DataSource dataSource() {
        return postgres();
    }
}
